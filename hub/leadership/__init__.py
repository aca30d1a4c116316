"""One worker of each kind at a time: leader election through the store, with fencing (docs/decisions/0031)."""
