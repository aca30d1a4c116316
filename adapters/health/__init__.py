"""The health adapter: see README.md."""
