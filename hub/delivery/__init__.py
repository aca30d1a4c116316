"""Notices delivered through every channel their recipient has: its view and inbox, its outbound topic,
email (docs/decisions/0036)."""
