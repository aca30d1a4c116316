"""``hub backup`` and ``hub restore``: a copy of everything that is not derived, and keys kept apart from it
(docs/decisions/0033-backups-that-restore.md)."""
