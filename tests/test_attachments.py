"""Notes and files on a child, a referral or a case (docs/decisions/0047): added, read by the bodies the
policy entitles and no other, refused when they are not what they claim, and gone once the child is erased."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hub.aggregates.attachment import Attachment
from hub.aggregates.consent import ConsentPurpose
from hub.aggregates.vocabulary import BodyKind, City, Signatory
from hub.api.app import create_app
from hub.attachments.errors import AttachmentTooLarge
from hub.bootstrap import Hub, bootstrap
from hub.errors import GuardViolation, NotFound
from hub.services.attachments import Upload
from tests.api_support import EventTally, assert_problem, bearer
from tests.builders import ADMIN, DOCTOR, INSPECTOR, MANAGER, SCHOOL_PSYCHOLOGIST, SOCIAL_WORKER, register_agencies
from tests.conftest import TEST_MASTER_KEY
from tests.erasure_story import REASON
from tests.scenario import drive_to, open_case, submit
from tests.test_erasure import database_bytes

MARKER = b"SCANNED-LETTER-" + uuid.uuid4().hex.encode()  # in the file's bytes, and nowhere else
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + MARKER + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(32)
EICAR = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"
SCANNER = f"""import sys
data = sys.stdin.buffer.read()
sys.exit(2 if b"SCANNER-BREAKS" in data else 1 if {EICAR!r} in data else 0)
"""


def upload(http: TestClient, path: str, data: bytes, actor_headers: dict[str, str], content_type: str = "application/pdf",
           **params: str) -> object:
    return http.post(path, content=data, params={"filename": "письмо школы.pdf", **params},
                     headers={**actor_headers, "Content-Type": content_type})


@pytest.fixture
def scanner(tmp_path: Path) -> str:
    """A fake virus scanner with clamdscan's exit statuses, which finds an EICAR-like marker."""
    script = tmp_path / "scanner.py"
    script.write_text(SCANNER)
    return f"{sys.executable} {script}"


@pytest.fixture
def scanned(store_url: str, frozen: object, scanner: str) -> Iterator[Hub]:
    hub = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY,
                     "HUB_ATTACHMENT_SCAN_COMMAND": scanner, "HUB_ATTACHMENT_MAX_BYTES": "4096"})
    register_agencies(hub)
    yield hub
    hub.close()


def test_a_file_is_downloaded_by_the_managing_centre_as_it_was_sent_and_by_nobody_else(app):
    case = open_case(app)
    with TestClient(create_app(app)) as http:
        added = upload(http, f"/v1/cases/{case.id}/attachments", PDF, bearer(app, SOCIAL_WORKER),
                       description="the school's letter")
        assert added.status_code == 201, added.text
        record = added.json()
        assert (record["media_type"], record["size"], record["filename"]) == ("application/pdf", len(PDF), "письмо школы.pdf")
        got = http.get(record["content"], headers=bearer(app, MANAGER))
        assert got.status_code == 200 and got.content == PDF
        assert got.headers["content-type"] == "application/pdf"
        assert got.headers["x-content-type-options"] == "nosniff"
        assert got.headers["content-disposition"].startswith("attachment;")
        assert "filename*=UTF-8''%D0%BF%D0%B8%D1%81%D1%8C%D0%BC%D0%BE" in got.headers["content-disposition"]
        listed = http.get(f"/v1/cases/{case.id}/attachments", headers=bearer(app, MANAGER)).json()
        assert [(each["record_type"], each["record"]["id"]) for each in listed] == [("attachment", record["id"])]
        for outsider in (INSPECTOR, DOCTOR, SCHOOL_PSYCHOLOGIST):  # the referrer, and bodies with no part in it
            for path in (record["content"], f"/v1/records/attachment/{record['id']}", f"/v1/cases/{case.id}/attachments"):
                refused = http.get(path, headers=bearer(app, outsider))
                made_up = http.get(path.replace(record["id"], str(uuid.uuid4())).replace(str(case.id), str(uuid.uuid4())),
                                   headers=bearer(app, outsider))
                assert_problem(refused, 404, "not-found")
                assert refused.json()["detail"].split()[:2] == made_up.json()["detail"].split()[:2]


def test_every_read_of_a_file_is_recorded_refusals_too(app):
    case = open_case(app)
    attachment = app.attachments.add_file(MANAGER, "case", case.id, Upload(PDF, "letter.pdf"))
    app.attachments.download(MANAGER, attachment.id)
    with pytest.raises(NotFound):
        app.attachments.download(INSPECTOR, attachment.id)
    app.views.catch_up()
    reads = app.views.store.reads("record_id = ?", [str(attachment.id)])
    assert [(r.agency, r.purpose, r.outcome) for r in reads] == [
        (MANAGER.agency, "download", "granted"), (INSPECTOR.agency, "download", "denied")
    ]


def test_a_note_is_never_edited_a_correction_supersedes_it(app):
    case = open_case(app)
    first = app.attachments.add_note(MANAGER, "case", case.id, "the mother called on Monday")
    second = app.attachments.add_note(MANAGER, "case", case.id, "the mother called on Tuesday", supersedes=first.id)
    old, new = app.reads.show(MANAGER, "note", first.id), app.reads.show(MANAGER, "note", second.id)
    assert (old["state"], old["superseded_by"], old["text"]) == ("superseded", str(second.id), "the mother called on Monday")
    assert (new["state"], new["supersedes"]) == ("current", str(first.id))
    with pytest.raises(GuardViolation) as twice:
        app.attachments.add_note(MANAGER, "case", case.id, "on Wednesday after all", supersedes=first.id)
    assert twice.value.rule == "attachment-superseded"


def test_a_referrer_sees_what_it_attached_to_its_referral_not_the_centres_notes(app):
    referral = submit(app, actor=SCHOOL_PSYCHOLOGIST)
    own = app.attachments.add_file(SCHOOL_PSYCHOLOGIST, "referral", referral.id, Upload(PNG, "bruise.png", "image/png"))
    app.referrals.acknowledge_referral(MANAGER, referral.id)
    centres = app.attachments.add_note(MANAGER, "referral", referral.id, "the child was seen at the centre")
    assert [e["record"]["id"] for e in app.attachments.of_record(SCHOOL_PSYCHOLOGIST, "referral", referral.id)] == [str(own.id)]
    assert len(app.attachments.of_record(MANAGER, "referral", referral.id)) == 2
    with pytest.raises(NotFound):
        app.reads.show(SCHOOL_PSYCHOLOGIST, "note", centres.id)


def test_medical_files_are_the_managing_centres_and_the_examining_health_bodys(app):
    case = open_case(app, child__stated_age=16)
    with pytest.raises(GuardViolation) as school:
        app.attachments.add_note(INSPECTOR, "referral", case.referral_ids[0], "she said the doctor saw her",
                                 category="medical")
    assert (school.value.rule, school.value.status) == ("attachment-not-yours", 403)
    medical = app.attachments.add_note(MANAGER, "case", case.id, "x-ray of the left arm requested", category="medical")
    general = app.attachments.add_note(MANAGER, "case", case.id, "the family moved in with the grandmother")
    with pytest.raises(NotFound):
        app.reads.show(DOCTOR, "note", medical.id)  # not before the hospital is asked to examine the child
    app.consents.give_consent(
        MANAGER, case.child_id, ConsentPurpose.MEDICAL_EXAMINATION, "health", [Signatory.CHILD], True, "signature"
    )
    app.medical.request_medical_examination(MANAGER, case.id, uuid.uuid4(), DOCTOR.agency, "bruising on arms")
    assert app.reads.show(DOCTOR, "note", medical.id)["text"] == "x-ray of the left arm requested"
    with pytest.raises(NotFound):
        app.reads.show(DOCTOR, "note", general.id)


@pytest.mark.parametrize(
    ("data", "content_type", "status", "slug"),
    [
        (PNG, "application/pdf", 415, "attachment-type-refused"),  # sent as a PDF, a PNG by its bytes
        (b"MZ\x90\x00\x03" + bytes(60), "application/pdf", 415, "attachment-type-refused"),  # a Windows program
        (b"plain words " * 4, "text/plain", 415, "attachment-type-refused"),  # a type the deployment did not allow
        (PDF + bytes(4096), "application/pdf", 413, "body-too-large"),  # refused before it is read
        (b"", "application/pdf", 422, "attachment-empty"),
        (PDF + EICAR, "application/pdf", 422, "attachment-infected"),
        (PDF + b"SCANNER-BREAKS", "application/pdf", 503, "attachment-scan-unavailable"),
    ],
)
def test_a_file_not_what_it_claims_is_refused_and_nothing_is_stored(scanned, data, content_type, status, slug):
    case = open_case(scanned)
    with TestClient(create_app(scanned)) as http:
        refused = upload(http, f"/v1/cases/{case.id}/attachments", data, bearer(scanned, MANAGER), content_type)
    assert_problem(refused, status, slug)
    assert EventTally(scanned, Attachment.Added).total() == 0
    assert scanned.attachments.of_record(MANAGER, "case", case.id) == []


def test_a_clean_file_passes_the_scanner(scanned):
    case = open_case(scanned)
    added = scanned.attachments.add_file(MANAGER, "case", case.id, Upload(PDF, "letter.pdf", "application/pdf"))
    assert scanned.attachments.download(MANAGER, added.id).data == PDF


def test_a_file_over_the_limit_is_refused_by_its_own_limit(scanned):
    case = open_case(scanned)
    with TestClient(create_app(scanned)) as http:
        refused = upload(http, f"/v1/cases/{case.id}/attachments", PDF + bytes(1 << 20), bearer(scanned, MANAGER))
    detail = assert_problem(refused, 413, "body-too-large")["detail"]
    assert detail == "the file (HUB_ATTACHMENT_MAX_BYTES) is larger than 4096 bytes"
    with pytest.raises(AttachmentTooLarge):  # whichever way it comes, not only over HTTP
        scanned.attachments.add_file(MANAGER, "case", case.id, Upload(PDF + bytes(4096), "letter.pdf"))


def test_after_the_erasure_the_file_is_gone_and_its_bytes_are_nowhere_in_the_database(app, store_url):
    case = drive_to(app, "closed")
    attachment = app.attachments.add_file(MANAGER, "case", case.id, Upload(PDF, "letter.pdf"))
    note = app.attachments.add_note(MANAGER, "child", case.child_id, "NOTE-" + MARKER.decode())
    before = database_bytes(app, store_url)
    assert not [name for name, content in before.items() if MARKER in content], "sealed before the erasure too"
    assert app.attachments.blobs.get(case.child_id, attachment.id) is not None
    app.erasure.erase(MANAGER, case.child_id, REASON)
    assert app.attachments.blobs.get(case.child_id, attachment.id) is None
    with TestClient(create_app(app)) as http:
        gone = http.get(f"/v1/attachments/{attachment.id}/content", headers=bearer(app, MANAGER))
        assert_problem(gone, 410, "child-erased")
        residue = http.get(f"/v1/records/note/{note.id}", headers=bearer(app, MANAGER)).json()
        assert residue["text"] == "[erased]" and residue["state"] == "current"
    app.close()
    assert not [name for name, content in database_bytes(app, store_url).items() if MARKER in content]


def test_a_file_cannot_be_added_to_a_record_the_caller_cannot_read(app):
    case = open_case(app)
    for record_type, record_id in (("case", case.id), ("child", case.child_id), ("case", uuid.uuid4())):
        with pytest.raises(NotFound):
            app.attachments.add_file(SCHOOL_PSYCHOLOGIST, record_type, record_id, Upload(PDF, "letter.pdf"))


def test_a_note_is_added_and_read_over_http_by_the_centre_only(app):
    case = open_case(app)
    with TestClient(create_app(app)) as http:
        added = http.post(f"/v1/cases/{case.id}/notes", json={"text": "the grandmother can take her in"},
                          headers=bearer(app, SOCIAL_WORKER))
        assert added.status_code == 201, added.text
        note = added.json()
        assert (note["text"], note["category"], note["added_by_agency"]) == (
            "the grandmother can take her in", "general", SOCIAL_WORKER.agency
        )
        assert http.get(f"/v1/records/note/{note['id']}", headers=bearer(app, MANAGER)).json()["text"] == note["text"]
        assert_problem(http.get(f"/v1/records/note/{note['id']}", headers=bearer(app, INSPECTOR)), 404, "not-found")
        outsider = http.post(f"/v1/cases/{case.id}/notes", json={"text": "a note"}, headers=bearer(app, SCHOOL_PSYCHOLOGIST))
        assert_problem(outsider, 404, "not-found")
        assert_problem(http.post(f"/v1/cases/{case.id}/notes", json={"text": ""}, headers=bearer(app, MANAGER)),
                       422, "validation-error")


def test_a_body_whose_staff_are_accused_loses_sight_of_the_files_it_added(app):
    """The accused body sees nothing of the child (VSE-8.3-BYPASS), its own scan included."""
    app.directory.register_agency(ADMIN, "sl-school-almaty-12", "Safeguarding Lead of School No. 12",
                                  BodyKind.SAFEGUARDING_LEAD, City.ALMATY, safeguards="school-almaty-12")
    referral = submit(app, actor=SCHOOL_PSYCHOLOGIST)
    scan = app.attachments.add_file(SCHOOL_PSYCHOLOGIST, "referral", referral.id, Upload(PDF, "letter.pdf"))
    assert app.attachments.download(SCHOOL_PSYCHOLOGIST, scan.id).data == PDF
    submit(app, actor=MANAGER, child_id=referral.child_id, concern__about_agency="school-almaty-12")
    for attempt in (lambda: app.attachments.download(SCHOOL_PSYCHOLOGIST, scan.id),
                    lambda: app.attachments.of_record(SCHOOL_PSYCHOLOGIST, "referral", referral.id),
                    lambda: app.attachments.add_note(SCHOOL_PSYCHOLOGIST, "referral", referral.id, "one more thing")):
        with pytest.raises(NotFound):
            attempt()
