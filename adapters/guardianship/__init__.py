"""The guardianship adapter: see README.md."""
