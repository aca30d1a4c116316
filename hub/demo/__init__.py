"""A referral from the manuals, run end to end over the real HTTP API."""
