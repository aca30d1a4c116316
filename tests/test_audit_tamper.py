"""An insider with write access to the database, and read access to everything kept with it, cannot rewrite
the log unnoticed (docs/decisions/0021): every edit, however well covered up, is named with its position
by ``hub audit verify`` against the heads published outside the database."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest

from hub.aggregates.vocabulary import BodyKind, City
from hub.audit.verify import Verification
from hub.cli.main import main
from tests.builders import ADMIN
from tests.conftest import TEST_CHECKPOINT_KEY
from tests.scenario import drive_to
from tests.tamper import EVERY, Intruder, sealed, seeds_beside_the_data  # noqa: F401 - a fixture


def found(report: Verification, prefix: str = "") -> list[tuple[str, int]]:
    return [(p.kind, p.position) for p in report.problems if p.kind.startswith(prefix)]


THE_KEY = base64.urlsafe_b64decode(TEST_CHECKPOINT_KEY)  # the real one: an insider who also holds the signing key
EDITS: dict[str, tuple[Callable[[Intruder], Any], int]] = {
    # the edit, and the first published head after it: the log up to the head before is shown intact
    "an event altered": (lambda intruder: intruder.alter(7), 10),
    "an event deleted": (lambda intruder: intruder.delete(12), 15),
    "two events swapped": (lambda intruder: intruder.swap(4, 9), 5),
}


@pytest.mark.parametrize("edit", EDITS)
def test_an_edit_covered_up_with_the_signing_key_itself_is_named_by_the_first_head_held_outside(sealed, edit):
    """The chain recomputed and every checkpoint re-signed with the real key: the database agrees with itself,
    and only the heads held outside can tell."""
    change, first_head = EDITS[edit]
    change(sealed.intruder)
    sealed.intruder.cover_up(THE_KEY)
    assert sealed.verify(held=False).ok  # the database alone is fooled
    report = sealed.verify()
    assert found(report)[0] == ("head-mismatch", first_head)
    assert all(kind == "head-mismatch" and position >= first_head for kind, position in found(report))


@pytest.mark.parametrize("edit", EDITS)
def test_an_edit_covered_up_with_every_key_derivable_from_the_data_is_named(sealed, edit):
    change, first_head = EDITS[edit]
    change(sealed.intruder)
    seeds = seeds_beside_the_data(sealed.master_key, sealed.data_dir)
    if sealed.data_dir is not None:
        assert "master.key read as a key" in seeds and "hub.sqlite hashed" in seeds
    for name, seed in seeds.items():
        sealed.intruder.cover_up(seed)
        report = sealed.verify()
        assert found(report, "head-")[0] == ("head-mismatch", first_head), name
        assert ("checkpoint-forged", sealed.head) in found(report), name
        assert ("checkpoint-forged", 5) in found(sealed.verify(held=False)), name  # the pinned key alone suffices


def test_a_chain_recomputed_with_its_checkpoints_deleted_is_caught_by_the_database_alone(sealed):
    sealed.intruder.alter(7)
    sealed.intruder.rechain()
    sealed.intruder.delete_checkpoints()
    report = sealed.verify(held=False)
    assert found(report) == [("checkpoint-missing", p) for p in sealed.checkpointed]
    assert found(sealed.verify(), "head-")[0] == ("head-mismatch", 10)


def test_a_log_cut_short_is_named_at_the_first_head_held_past_the_cut(sealed):
    sealed.intruder.truncate(after=22)
    assert sealed.verify(held=False).ok  # what was cut, checkpoints included, left no trace inside
    assert found(sealed.verify()) == [("truncated", p) for p in [*sealed.checkpointed[4:], sealed.head]]  # 25 on


def test_a_log_cut_short_and_grown_again_is_named_where_it_differs(sealed):
    sealed.intruder.truncate(after=22)
    for number in range(sealed.head - 22):  # the hub appends new events where the cut ones were (on SQLite)
        sealed.app.directory.register_agency(ADMIN, f"school-astana-{number}", f"School {number}", BodyKind.SCHOOL, City.ASTANA)
    assert sealed.app.store.recorder.max_notification_id() >= sealed.head
    assert found(sealed.verify())[0] == ("head-mismatch", 25)


def test_a_checkpoint_kept_from_publication_is_a_gap_in_the_series_held_outside(sealed):
    drive_to(sealed.app, "care_plan_active")
    first, *later = [c.position for c in sealed.app.store.chain.checkpoints.after(sealed.head)]
    assert later, "the scenario should make two checkpoints more"
    sealed.intruder.hold_back(first)
    sealed.app.integrity.seal_log()
    sealed.publish()
    report = sealed.verify()
    assert ("head-missing", first) in found(report)
    assert ("checkpoint-missing", first) in found(report)


def test_a_head_held_outside_that_was_tampered_with_is_named(sealed):
    lines = sealed.held.read_text().splitlines()
    lines[1] = lines[1].replace('"tree_size":10', '"tree_size":11')
    sealed.held.write_text("\n".join(lines) + "\n")
    assert found(sealed.verify()) == [("head-forged", 10), ("head-missing", 10)]


def test_hub_audit_verify_names_the_kind_and_position_against_the_published_heads(sealed, monkeypatch, capsys,
                                                                                  tmp_path_factory):
    for name, value in sealed.env.items():
        monkeypatch.setenv(name, value)
    pem = tmp_path_factory.mktemp("auditor") / "hub.pem"
    pem.write_text(sealed.pinned.pem())
    command = ["audit", "verify", "--public-key", str(pem), "--trusted-head", str(sealed.held)]
    assert main(command) == 0
    assert f"{sealed.heads} heads held outside up to position {sealed.head}" in capsys.readouterr().out
    (pem.parent / "empty.jsonl").write_text("")
    assert main(["audit", "verify", "--trusted-head", str(pem.parent / "empty.jsonl")]) == 0
    assert "0 heads held outside" in capsys.readouterr().out  # said, not silently left out
    sealed.intruder.alter(7)
    sealed.intruder.cover_up(THE_KEY)
    assert main(command) == 1
    assert "head-mismatch at position 10: the log up to here is not the one whose head is held outside" in (
        capsys.readouterr().out)


def test_the_first_problems_by_position_are_listed_however_many_come_after(sealed, monkeypatch):
    monkeypatch.setattr("hub.audit.verify.SHOWN", 3)
    sealed.intruder.alter(7)
    sealed.intruder.cover_up(sealed.master_key)
    report = sealed.verify()  # every checkpoint is found forged before the heads are looked at
    assert report.problem_count == sealed.heads + sealed.heads - 1  # and every head held outside after the edit
    assert found(report) == [("checkpoint-forged", 5), ("checkpoint-forged", 10), ("head-mismatch", 10)]
