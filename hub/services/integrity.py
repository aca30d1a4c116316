"""Proof that the log was not altered: verifying the chain and sealing its head."""

from __future__ import annotations

from hub.application import HubApplication
from hub.audit.chain_store import Checkpoint
from hub.audit.signer import CheckpointKey
from hub.audit.verify import LogVerifier, Verification


class IntegrityService:
    def __init__(self, store: HubApplication) -> None:
        self.store = store

    def verify_log(self, key: CheckpointKey | None = None) -> Verification:
        """Checks every stored event against the chain, and every checkpoint against ``key``
        (by default this hub's own public key; an outside auditor passes the published one)."""
        return LogVerifier(self.store.recorder, self.store.chain, key or self.store.checkpoint_signer.public).verify()

    def seal_log(self) -> Checkpoint | None:
        return self.store.chain.seal()
