"""The ombudsman adapter: see README.md."""
