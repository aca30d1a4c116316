"""Proof that the log was not altered: verifying the chain and sealing its head."""

from __future__ import annotations

from eventsourcing.application import Application

from hub.audit.chain_store import ChainStore, Checkpoint
from hub.audit.signer import CheckpointKey, CheckpointSigner
from hub.audit.verify import LogVerifier, Verification


class IntegrityService(Application):
    chain: ChainStore
    checkpoint_signer: CheckpointSigner

    def verify_log(self, key: CheckpointKey | None = None) -> Verification:
        """Checks every stored event against the chain, and every checkpoint against ``key``
        (by default this hub's own public key; an outside auditor passes the published one)."""
        return LogVerifier(self.recorder, self.chain, key or self.checkpoint_signer.public).verify()

    def seal_log(self) -> Checkpoint | None:
        return self.chain.seal()
