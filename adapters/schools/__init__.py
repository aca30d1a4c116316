"""The schools adapter: see README.md."""
