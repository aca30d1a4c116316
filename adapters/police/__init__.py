"""The police adapter: see README.md."""
