"""Proof that the log was not altered: verifying the chain and sealing its head."""

from __future__ import annotations

from collections.abc import Sequence

from eventsourcing.application import Application

from hub.audit.chain_store import ChainStore
from hub.audit.checkpoint import Checkpoint
from hub.audit.signer import CheckpointKey, CheckpointSigner
from hub.audit.verify import LogVerifier, Verification


class IntegrityService(Application):
    chain: ChainStore
    checkpoint_signer: CheckpointSigner

    def verify_log(self, key: CheckpointKey | None = None, trusted: Sequence[Checkpoint] = ()) -> Verification:
        """Checks every stored event against the chain, every checkpoint against ``key`` (by default this
        hub's own public key; an outside auditor passes the published one), and the log against the
        ``trusted`` heads held outside the database."""
        return LogVerifier(self.recorder, self.chain, key or self.checkpoint_signer.public, trusted).verify()

    def seal_log(self) -> Checkpoint | None:
        return self.chain.seal()
