"""An inclusion proof: one event shown to be in the signed log, without the rest of the log
(docs/decisions/0021).

``prove`` reads the chain; ``check_proof`` needs nothing but the proof and the published public key,
so an oversight body runs it (``hub audit check-proof``) without access to the hub. The proof carries
the event as stored, so that its digest is recomputed, not taken on trust: personal values in it are
sealed with the child's key (docs/decisions/0008) and stay unreadable.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from uuid import UUID

from hub.audit.chain import content_digest
from hub.audit.chain_store import ChainStore
from hub.audit.checkpoint import Checkpoint, MalformedCheckpoint
from hub.audit.merkle import entry_leaf, inclusion_proof, root_of, verifies_inclusion
from hub.audit.signer import CheckpointKey

PROOF_TYPE = "hub_inclusion_proof"


class CannotProve(LookupError):
    """No proof can be made: the position holds no event, or no checkpoint covers it, or the chain no longer
    agrees with the checkpoint (``hub audit verify`` says where)."""


def prove(recorder: Any, chain: ChainStore, position: int, checkpoint_at: int | None = None) -> dict[str, Any]:
    """The proof that the event at ``position`` is in the tree signed by the checkpoint at ``checkpoint_at``
    (by default the latest)."""
    covering = chain.checkpoints.after(position - 1)
    if checkpoint_at is not None:
        covering = [c for c in covering if c.position == checkpoint_at]
    if not covering:
        raise CannotProve(f"no checkpoint at {checkpoint_at} covers position {position}" if checkpoint_at else
                          f"no checkpoint covers position {position} yet: run `hub audit seal` first")
    checkpoint = covering[-1]
    entries = chain.entries(0, checkpoint.position)
    leaves = [e.leaf for e in entries]
    if len(leaves) != checkpoint.tree_size or root_of(leaves) != checkpoint.root:
        raise CannotProve(f"the chain no longer agrees with the checkpoint at {checkpoint.position}: run `hub audit verify`")
    index = next((i for i, e in enumerate(entries) if e.position == position), None)
    events = recorder.select_notifications(start=position, limit=1)
    if index is None or not events or events[0].id != position:
        raise CannotProve(f"the log holds no event at position {position}")
    event = events[0]
    if content_digest(event.originator_id, event.originator_version, event.topic, event.state) != entries[index].digest:
        raise CannotProve(f"the event stored at position {position} is not the one chained there: run `hub audit verify`")
    return {
        "type": PROOF_TYPE,
        "event": {
            "position": position,
            "originator_id": str(event.originator_id),
            "originator_id_type": "uuid" if isinstance(event.originator_id, UUID) else "text",
            "originator_version": event.originator_version,
            "topic": event.topic,
            "state": base64.b64encode(bytes(event.state)).decode(),
        },
        "leaf_index": index,
        "path": [h.hex() for h in inclusion_proof(index, leaves)],
        "checkpoint": checkpoint.as_json(),
    }


def check_proof(proof: Any, key: CheckpointKey) -> str | None:
    """Why ``proof`` does not prove its event in a log signed with ``key``; None when it does."""
    try:
        if proof.get("type") != PROOF_TYPE:
            return f"not a {PROOF_TYPE}"
        checkpoint = Checkpoint.from_json(proof["checkpoint"])
        event = proof["event"]
        ident = event["originator_id"]
        originator = UUID(ident) if event["originator_id_type"] == "uuid" else ident
        digest = content_digest(originator, int(event["originator_version"]), event["topic"],
                                base64.b64decode(event["state"], validate=True))
        leaf = entry_leaf(int(event["position"]), digest)
        path = [bytes.fromhex(h) for h in proof["path"]]
        index = int(proof["leaf_index"])
    except (MalformedCheckpoint, AttributeError, KeyError, TypeError, ValueError, binascii.Error) as error:
        return f"the proof cannot be read: {type(error).__name__}: {error}"
    if not key.verifies(checkpoint):
        return f"the checkpoint at position {checkpoint.position} does not verify with key {key.id}"
    if not verifies_inclusion(leaf, index, checkpoint.tree_size, path, checkpoint.root):
        return (f"the event at position {event['position']} is not in the tree the checkpoint at position"
                f" {checkpoint.position} signed")
    return None
