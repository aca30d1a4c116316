"""Proof that the log was not altered: verifying the chain and sealing its head."""

from __future__ import annotations

from collections.abc import Sequence

from hub.application import HubApplication
from hub.audit.checkpoint import Checkpoint
from hub.audit.signer import CheckpointKey
from hub.audit.verify import LogVerifier, Verification


class IntegrityService:
    def __init__(self, store: HubApplication) -> None:
        self.store = store

    def verify_log(self, key: CheckpointKey | None = None, trusted: Sequence[Checkpoint] = ()) -> Verification:
        """Checks every stored event against the chain, every checkpoint against ``key`` (by default this
        hub's own public key; an outside auditor passes the published one), and the log against the
        ``trusted`` heads held outside the database."""
        store = self.store
        return LogVerifier(store.recorder, store.chain, key or store.checkpoint_signer.public, trusted).verify()

    def seal_log(self) -> Checkpoint | None:
        return self.store.chain.seal()
