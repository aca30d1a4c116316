"""Notes and files attached to a child, a referral or a case: their bytes sealed and stored (decision 0047)."""
