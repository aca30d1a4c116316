"""Finding children the hub already knows who may be the child of a new referral (docs/decisions/0011)."""
