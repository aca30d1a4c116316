"""The ngo adapter: see README.md."""
