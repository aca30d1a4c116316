"""The hub under faults: processes killed, the broker and the database away, managers racing."""
