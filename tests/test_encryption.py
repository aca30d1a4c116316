"""Personal data at rest: sealed with one key per child, and shreddable (docs/decisions/0008).

The raw rows are read straight from the database (sqlite3 or psycopg), not
through the library, so what is asserted is what a stolen file or dump shows.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import uuid
from contextlib import closing
from typing import Any
from uuid import UUID

import psycopg
import pytest
from eventsourcing.cryptography import AESCipher
from eventsourcing.persistence import IntegrityError, MapperDeserialisationError, StoredEvent
from eventsourcing.sqlite import SQLiteDatastore
from psycopg.sql import SQL, Identifier

from hub.aggregates.case_vocabulary import InitialAssessmentOutcome
from hub.aggregates.consent import ConsentPurpose, consent_id_for
from hub.aggregates.referral import Referral
from hub.aggregates.vocabulary import Signatory
from hub.bootstrap import Hub, bootstrap
from hub.crypto.erased import ERASED
from hub.crypto.keys import ChildErased, ChildKeyStore
from hub.crypto.mapper import LIBRARY
from hub.crypto.master_key import MasterKeyError, load_master_key
from hub.crypto.tables import HubTables
from hub.privacy.policy_file import LoadedPolicy, packaged_policy_text
from hub.store import postgres_conninfo
from tests.builders import AUDITOR, INSPECTOR, INVESTIGATOR, MANAGER, referral_content, register_agencies
from tests.conftest import TEST_MASTER_KEY
from tests.scenario import notices_about, open_case

# What the story below writes about Aziz: none of it may reach the disk in clear.
PERSONAL = [
    "Aziz",
    "Karimov",  # the child's and the father's family name
    "Bolat Omarov",  # the referrer
    "+7 727 254",
    "Sayakhat",  # where he was found
    "uncle",
    "Tashkent region",
    "frightened",
    "Dana Seitkali",
    "abandonment",
    "no relatives",
    "school certificate",
]


def story(app: Hub, key: str = "story", **content: Any) -> dict[str, UUID]:
    """A referral about Aziz, acknowledged and accepted; his case assessed; a parent charged; consent given."""
    referral = app.referrals.submit_referral(INSPECTOR, referral_content(**content), idempotency_key=key).referral
    app.referrals.acknowledge_referral(MANAGER, referral.id, note="Aziz seemed frightened")
    case = app.referrals.accept_referral(MANAGER, referral.id)
    app.cases.assign_social_worker(MANAGER, case.id, "Dana Seitkali", True)
    app.cases.record_charge(INVESTIGATOR, case.id, uuid.uuid4(), "Rustam Karimov", "abandonment of a minor")
    app.cases.conclude_initial_assessment(
        MANAGER, case.id, InitialAssessmentOutcome.SIGNIFICANT_HARM_CONCERN, "no relatives in Almaty", None
    )
    app.consents.give_consent(
        MANAGER, referral.child_id, ConsentPurpose.INFORMATION_SHARING, "gta-almaty",
        [Signatory.CHILD, Signatory.LEGAL_REPRESENTATIVE], True,
        "signed in front of the school certificate",
    )
    return {"child": referral.child_id, "referral": referral.id, "case": case.id}


def other_child(app: Hub) -> dict[str, UUID]:
    referral = app.referrals.submit_referral(
        INSPECTOR,
        referral_content(child={"given_name": "Madina", "family_name": "Ospanova", "stated_age": 12, "city": "almaty"}),
        idempotency_key="other",
    ).referral
    return {"child": referral.child_id, "referral": referral.id}


# -- the raw database ------------------------------------------------------------------------------


def raw_rows(app: Hub, table: str, columns: str) -> list[tuple]:
    if isinstance(app.store.factory.datastore, SQLiteDatastore):
        with closing(sqlite3.connect(app.store.env.get("SQLITE_DBNAME"))) as db:
            return [tuple(row) for row in db.execute(f"SELECT {columns} FROM {table} ORDER BY 1, 2")]
    query = SQL("SELECT {} FROM {} ORDER BY 1, 2").format(SQL(columns), Identifier(app.store.env["POSTGRES_SCHEMA"], table))
    with psycopg.connect(postgres_conninfo(app.store.env)) as conn:
        return [tuple(row) for row in conn.execute(query).fetchall()]


def raw_events(app: Hub) -> list[StoredEvent]:
    rows = raw_rows(app, app.store.recorder.events_table_name, "originator_id, originator_version, topic, state")
    return [StoredEvent(UUID(str(i)), v, t, bytes(s)) for i, v, t, s in rows]


def events_of(app: Hub, aggregate_id: UUID) -> list[Any]:
    return [app.store.mapper.to_domain_event(e) for e in app.store.recorder.select_events(aggregate_id)]


def reopened(app: Hub) -> Hub:
    """Another process on the same store: nothing cached."""
    return bootstrap(dict(app.store.env))


# -- (a), (b): nothing personal in clear, and everything reads back --------------------------------


def test_no_personal_value_reaches_the_store_in_clear(app: Hub) -> None:
    story(app)
    stored = raw_events(app)
    everything = b"".join(e.state + e.topic.encode() for e in stored)
    for value in PERSONAL:
        assert value.encode() not in everything, value
    # The log still reads as a log: agencies, states and outcomes are in clear.
    assert b'"to_state":"initial_assessment"' in everything
    assert b'"outcome":"significant_harm_concern"' in everything
    about_aziz = {"Child", "Referral", "Case", "CaseFacets", "Consent", "Notice"}  # who was told of him, and what
    sealed = {e.topic.split(":")[1].split(".")[0] for e in stored if e.state.startswith(b"hc1")}
    plain = [e for e in stored if not e.state.startswith(b"hc1")]
    assert sealed == about_aziz
    assert "AgencyDirectory" in {e.topic.split(":")[1].split(".")[0] for e in plain}
    assert all(e.state.startswith(b"{") for e in plain), "events about no child are stored as before"


def test_the_application_reads_everything_back(app: Hub) -> None:
    ids = story(app)
    for hub in (app, reopened(app)):
        referral = hub.referrals.referral_for(MANAGER, ids["referral"])
        assert referral.content.child.given_name == "Aziz"
        assert referral.content.parents[0].address == "Tashkent region, whereabouts unknown"
        case = hub.cases.case_for(MANAGER, ids["case"])
        assert case.social_worker == "Dana Seitkali"
        assert [c["person"] for c in case.charges.values()] == ["Rustam Karimov"]
        assert hub.store.repository.get(ids["child"]).identity["family_name"] == "Karimov"
    assert {e.note for e in events_of(app, ids["referral"]) if hasattr(e, "note")} == {"Aziz seemed frightened"}


# -- (c): one key per child ----------------------------------------------------------------------


def test_each_child_has_a_key_of_its_own_stored_only_wrapped(app: Hub) -> None:
    aziz, madina = story(app)["child"], other_child(app)["child"]
    keys = {child: app.store.child_keys.key_for(child) for child in (aziz, madina)}
    assert all(key is not None and len(key) == 32 for key in keys.values())
    assert keys[aziz] != keys[madina]
    rows = raw_rows(app, "hub_child_keys", "child_id, wrapped_key")
    assert {UUID(str(child)) for child, _ in rows} == {aziz, madina}
    for _, wrapped in rows:
        assert all(bytes(key) not in bytes(wrapped) for key in keys.values())
    assert reopened(app).store.child_keys.key_for(aziz) == keys[aziz]


def test_two_processes_creating_a_first_key_at_once_converge_on_one(app: Hub) -> None:
    class LateToLook(HubTables):
        """Looks before the other process's insert lands, then inserts a key of its own."""

        looked = False

        def select_key(self, child_id: UUID) -> Any:
            if not self.looked:
                self.looked = True
                return None
            return super().select_key(child_id)

    child = uuid.uuid4()
    first = app.store.child_keys.key_for(child, create=True)
    racer = ChildKeyStore(LateToLook(app.store.factory.datastore), load_master_key(app.store.env))
    assert racer.key_for(child, create=True) == first
    assert len(raw_rows(app, "hub_child_keys", "child_id, wrapped_key")) == 1


# -- (d): shredding --------------------------------------------------------------------------------


def test_shredding_a_childs_key_erases_the_personal_data_of_every_event_about_the_child(app: Hub) -> None:
    aziz, madina = story(app), other_child(app)
    transitions = [(type(e).__qualname__, getattr(e, "to_state", None)) for e in events_of(app, aziz["case"])]
    before = raw_events(app)

    assert app.store.child_keys.shred(aziz["child"]) is True
    assert app.store.child_keys.shred(aziz["child"]) is False, "shredding is idempotent"

    assert raw_events(app) == before, "shredding touches no event"
    wrapped = dict(raw_rows(app, "hub_child_keys", "child_id, wrapped_key"))
    assert {UUID(str(k)): v for k, v in wrapped.items()}[aziz["child"]] is None
    for hub in (app, reopened(app)):
        assert hub.store.child_keys.key_for(aziz["child"]) is None
        submitted, acknowledged, *_ = events_of(hub, aziz["referral"])  # ... DuplicatesChecked, Accepted
        assert (submitted.content, submitted.routing_reason, acknowledged.note) == (ERASED, ERASED, ERASED)
        assert (submitted.child_id, submitted.recipient_agency, submitted.actor) == (
            aziz["child"], "cam-almaty", INSPECTOR
        )
        case_events = events_of(hub, aziz["case"])
        assert [(type(e).__qualname__, getattr(e, "to_state", None)) for e in case_events] == transitions
        opened, assigned, charged = case_events[:3]
        assert (opened.child_id, opened.managing_agency, opened.referral_id) == (
            aziz["child"], "cam-almaty", aziz["referral"]
        )
        # Evidence of harm is case work in privacy.yaml: sealed like the social worker's name.
        assert (assigned.social_worker, assigned.evidence_of_harm) == (ERASED, ERASED)
        assert (charged.person, charged.offence) == (ERASED, ERASED) and isinstance(charged.charge_id, UUID)
        registered = events_of(hub, aziz["child"])[0]
        assert (registered.identity, registered.stated_age, registered.categories) == (ERASED, ERASED, ERASED)
        # Madina's events are untouched.
        assert hub.referrals.referral_for(INSPECTOR, madina["referral"]).content.child.given_name == "Madina"


def test_what_reads_once_a_key_is_shredded_is_only_what_the_privacy_policy_keeps_in_clear(app: Hub) -> None:
    """privacy.yaml ``events`` is the one list of what is kept in clear: anything else of a child's events is sealed."""
    aziz = story(app)
    app.store.child_keys.shred(aziz["child"])
    kept = LoadedPolicy(packaged_policy_text()).file.clear_event_attributes() | LIBRARY
    readable = {
        name
        for aggregate_id in (aziz["child"], aziz["referral"], aziz["case"])
        for event in events_of(app, aggregate_id)
        for name, value in vars(event).items()
        if value is not ERASED
    }
    assert readable <= kept, readable - kept
    assert {"actor", "to_state", "outcome", "child_id"} <= readable, "the log still says what happened, and by whom"


def test_a_shredded_key_is_left_in_no_page_of_the_store(app: Hub) -> None:
    """Not in the key table's file, its superseded pages or the WAL (SQLite), nor in an old row version
    that PostgreSQL keeps until a vacuum: with the master key, any copy left would undo the erasure."""
    child = other_child(app)["child"]
    (wrapped,) = [bytes(w) for c, w in raw_rows(app, "hub_child_keys", "child_id, wrapped_key") if UUID(str(c)) == child]
    assert wrapped in key_table_pages(app), "the test must see the key where it is"
    app.store.child_keys.shred(child)
    assert wrapped not in key_table_pages(app)


def key_table_pages(app: Hub) -> bytes:
    """The raw pages the key table is stored in, dead row versions and all."""
    if isinstance(app.store.factory.datastore, SQLiteDatastore):
        name = app.store.env.get("SQLITE_DBNAME")
        return b"".join(open(file, "rb").read() for file in (name, f"{name}-wal") if os.path.exists(file))
    table = Identifier(app.store.env["POSTGRES_SCHEMA"], "hub_child_keys").as_string()
    with psycopg.connect(postgres_conninfo(app.store.env), autocommit=True) as conn:
        conn.execute("CHECKPOINT")  # the pages as the table's file holds them, not only in shared buffers
        return bytes(conn.execute("SELECT pg_read_binary_file(pg_relation_filepath(%s))", [table]).fetchone()[0])


def test_nothing_personal_is_written_about_a_child_once_erased(app: Hub) -> None:
    child = other_child(app)["child"]
    app.store.child_keys.shred(child)
    with pytest.raises(ChildErased):
        app.store.child_keys.key_for(child, create=True)
    never_seen = uuid.uuid4()
    assert app.store.child_keys.shred(never_seen) is False
    with pytest.raises(ChildErased):
        reopened(app).store.child_keys.key_for(never_seen, create=True)


# -- (e): a sealed row cannot be moved or edited ---------------------------------------------------


def test_a_row_moved_to_another_event_or_edited_fails_authentication(app: Hub) -> None:
    aziz, madina = story(app), other_child(app)
    stored = {(e.originator_id, e.originator_version): e for e in raw_events(app)}
    acknowledged = stored[(aziz["referral"], 2)]
    submitted = stored[(madina["referral"], 1)]
    forgeries = {
        "to another aggregate": StoredEvent(madina["referral"], 2, acknowledged.topic, acknowledged.state),
        "to another version": StoredEvent(aziz["referral"], 3, acknowledged.topic, acknowledged.state),
        "under another topic": StoredEvent(madina["referral"], 1, acknowledged.topic, submitted.state),
        "with a clear field edited": StoredEvent(
            madina["referral"], 1, submitted.topic, submitted.state.replace(b"cam-almaty", b"cam-shymkt")
        ),
        "to another child": StoredEvent(
            madina["referral"], 1, submitted.topic, b"hc1" + aziz["child"].bytes + submitted.state[19:]
        ),
    }
    for what, forgery in forgeries.items():
        with pytest.raises(MapperDeserialisationError, match="InvalidTag"):
            app.store.mapper.to_domain_event(forgery)
        assert what  # for the traceback
    assert app.store.mapper.to_domain_event(acknowledged).note == "Aziz seemed frightened"


# -- the subject index is written with the events, or not at all ----------------------------------


def test_which_child_a_referral_belongs_to_is_recorded_only_with_its_events(app: Hub) -> None:
    aziz, madina = story(app), other_child(app)
    duplicate = Referral(
        id=aziz["referral"], actor=INSPECTOR, child_id=madina["child"], recipient_agency="cam-almaty",
        routing_reason="forged", content=referral_content().model_dump(mode="json"), fingerprint="f",
    )
    newcomer = Referral(
        id=uuid.uuid4(), actor=INSPECTOR, child_id=madina["child"], recipient_agency="cam-almaty",
        routing_reason="lost", content=referral_content().model_dump(mode="json"), fingerprint="g",
    )
    with pytest.raises(IntegrityError):
        app.store.save(newcomer, duplicate)
    subjects = {UUID(str(a)): UUID(str(c)) for a, c in raw_rows(app, "hub_subjects", "aggregate_id, child_id")}
    assert subjects[aziz["referral"]] == aziz["child"]
    assert newcomer.id not in subjects
    assert subjects[aziz["case"]] == aziz["child"] and subjects[madina["referral"]] == madina["child"]


def test_a_case_whose_events_hold_nothing_personal_yet_belongs_to_its_child_in_any_process(
    app: Hub, store_url: str, frozen
) -> None:
    case = open_case(app)  # opened: ids and agencies only, so its events are stored unsealed
    other = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY})  # or a restart
    try:
        assert other.cases.assign_social_worker(MANAGER, case.id, "d.seitkali", False).social_worker == "d.seitkali"
        assert other.audit_replay.replay_record(AUDITOR, "case", case.id, frozen.now())["record"]["state"] == "initial_assessment"
    finally:
        other.close()


def test_reads_of_a_childs_records_are_not_indexed_as_its_records(app: Hub) -> None:
    case = open_case(app)
    app.reads.show(MANAGER, "case", case.id)
    app.reads.show(MANAGER, "referral", case.referral_ids[0])

    referral = app.referrals.referral_for(MANAGER, case.referral_ids[0])
    told = {n.id for n in notices_about(app, case) + notices_about(app, referral)}
    assert told, "the GTA was told of the referral (cam N02)"
    assert set(app.store.mapper.subjects.members(case.child_id)) == {case.referral_ids[0], case.id, *told}


# -- the library's own options, snapshots and the in-memory store still work -----------------------


def test_the_librarys_compressor_and_cipher_still_apply(store_url: str, frozen) -> None:
    env = {
        "HUB_DATABASE_URL": store_url,
        "HUB_MASTER_KEY": TEST_MASTER_KEY,
        "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor",
        "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
        "CIPHER_KEY": AESCipher.create_key(32),
    }
    hub = bootstrap(env)
    register_agencies(hub)
    ids = story(hub)
    states = [e.state for e in raw_events(hub)]
    assert not any(s.startswith(b"hc1") or b"cam-almaty" in s for s in states), "the cipher covers every row"
    assert reopened(hub).referrals.referral_for(MANAGER, ids["referral"]).content.child.given_name == "Aziz"
    assert {UUID(str(a)) for a, _ in raw_rows(hub, "hub_subjects", "aggregate_id, child_id")} >= {ids["case"]}
    hub.store.child_keys.shred(ids["child"])
    assert events_of(reopened(hub), ids["referral"])[1].note is ERASED
    hub.close()


def test_snapshots_of_an_aggregate_about_a_child_are_sealed_too(store_url: str, frozen) -> None:
    env = {"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY, "IS_SNAPSHOTTING_ENABLED": "y"}
    hub = bootstrap(env)
    register_agencies(hub)
    consent_id = consent_id_for(hub.store.record_ids, story(hub)["child"], ConsentPurpose.INFORMATION_SHARING, "gta-almaty")
    hub.store.take_snapshot(consent_id)
    assert hub.store.snapshots is not None
    (snapshot,) = hub.store.snapshots.recorder.select_events(consent_id)
    assert snapshot.state.startswith(b"hc1") and b"school certificate" not in snapshot.state
    assert reopened(hub).store.repository.get(consent_id).method == "signed in front of the school certificate"
    hub.close()


def test_the_in_memory_store_keeps_a_key_for_its_lifetime(monkeypatch, frozen) -> None:
    monkeypatch.delenv("HUB_MASTER_KEY", raising=False)
    hub = bootstrap({"HUB_DATABASE_URL": "sqlite:///:memory:"})
    register_agencies(hub)
    ids = story(hub)
    assert hub.referrals.referral_for(MANAGER, ids["referral"]).content.child.given_name == "Aziz"
    assert hub.store.child_keys.shred(ids["child"])
    assert events_of(hub, ids["referral"])[0].content is ERASED


# -- (f): the master key ---------------------------------------------------------------------------


def test_the_embedded_store_keeps_its_master_key_in_a_private_file(tmp_path, monkeypatch, frozen) -> None:
    monkeypatch.delenv("HUB_MASTER_KEY", raising=False)
    url = f"sqlite:///{tmp_path / 'var' / 'hub.sqlite'}"
    hub = bootstrap({"HUB_DATABASE_URL": url})
    key_file = tmp_path / "var" / "master.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    register_agencies(hub)
    ids = story(hub)
    hub.close()

    again = bootstrap({"HUB_DATABASE_URL": url})
    assert again.referrals.referral_for(MANAGER, ids["referral"]).content.child.given_name == "Aziz"
    again.close()

    stranger = bootstrap({"HUB_DATABASE_URL": url, "HUB_MASTER_KEY": TEST_MASTER_KEY})
    with pytest.raises(MapperDeserialisationError, match="another master key"):
        stranger.store.repository.get(ids["referral"])
    stranger.close()


def test_a_postgresql_store_without_a_master_key_refuses_to_start(postgres_url: str, monkeypatch) -> None:
    monkeypatch.delenv("HUB_MASTER_KEY", raising=False)
    with pytest.raises(MasterKeyError, match="HUB_MASTER_KEY is not set"):
        bootstrap({"HUB_DATABASE_URL": postgres_url})
    with pytest.raises(MasterKeyError, match="HUB_MASTER_KEY is not a master key"):
        bootstrap({"HUB_DATABASE_URL": postgres_url, "HUB_MASTER_KEY": "too-short"})
