"""Notes and files on the case page (docs/decisions/0047, 0052): the centre adds a note and uploads a file in the
page and reads them listed with the case's, the child's and the referrals'; a file is downloaded only by a body
the policy shows it to, every read recorded; a refused file is said in words with what was typed kept."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from hub.api.app import create_app
from hub.bootstrap import Hub, bootstrap
from hub.services.attachments import Upload
from tests.builders import GTA_OFFICER, MANAGER, SCHOOL_PSYCHOLOGIST, register_agencies
from tests.conftest import TEST_MASTER_KEY
from tests.scenario import drive_to
from tests.web_support import CSRF, post_form, signed_in

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture
def client(app: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


def _upload(client: TestClient, page: str, data: bytes, name: str, **fields: str):
    csrf = CSRF.search(client.get(page).text)
    assert csrf
    return client.post(f"{page}/files", data={"csrf": csrf.group(1), **fields},
                       files={"file": (name, data, "application/octet-stream")}, follow_redirects=False)


def test_the_centre_adds_a_note_and_a_file_in_the_page_and_reads_them_with_the_referral_s(client, app):
    case = drive_to(app, "cp_plan_active", actor=SCHOOL_PSYCHOLOGIST)  # the school referred
    school_scan = app.attachments.add_file(SCHOOL_PSYCHOLOGIST, "referral", case.referral_ids[0],
                                           Upload(PDF, "class register.pdf", description="absences in May"))
    page = f"/ui/cases/{case.id}"
    signed_in(client, app, MANAGER)
    noted = post_form(client, page, f"{page}/notes",
                      {"on": f"case:{case.id}", "text": "Home visit: the mother was calm.", "category": "general"})
    assert noted.status_code == 303
    uploaded = _upload(client, page, PDF, "school letter.pdf", on=f"child:{case.child_id}", description="the letter")
    assert uploaded.status_code == 303

    shown = client.get(page).text
    files = shown[shown.index('<table class="files stacked">'):]
    assert "Home visit: the mother was calm." in files and "school letter.pdf" in files and "the letter" in files
    assert f'href="/ui/files/{school_scan.id}"' in files and "absences in May" in files  # the referral's too
    [letter] = [a["record"] for a in app.attachments.of_record(MANAGER, "child", case.child_id)]
    got = client.get(f"/ui/files/{letter['id']}")
    assert got.status_code == 200 and got.content == PDF and "attachment;" in got.headers["content-disposition"]
    app.views.catch_up()
    purposes = {r.purpose for r in app.views.store.reads("record_id = ?", [letter["id"]]) if r.agency == MANAGER.agency}
    assert {"list", "download"} <= purposes  # listed in the page and downloaded: both recorded as the API's


def test_a_body_that_reads_the_case_but_not_its_file_gets_no_link_and_no_file(client, app):
    case = drive_to(app, "cp_plan_active")  # the GTA is sent the plan (N32) and reads the case
    letter = app.attachments.add_file(MANAGER, "case", case.id, Upload(PDF, "school letter.pdf"))
    signed_in(client, app, GTA_OFFICER)
    shown = client.get(f"/ui/cases/{case.id}").text
    assert "school letter.pdf" not in shown and f"/ui/files/{letter.id}" not in shown
    assert client.get(f"/ui/files/{letter.id}").status_code == 404
    app.views.catch_up()
    assert [(r.purpose, r.outcome) for r in app.views.store.reads("record_id = ?", [str(letter.id)])
            if r.agency == GTA_OFFICER.agency] == [("download", "denied")]


def test_a_refused_note_or_file_is_said_in_words_and_what_was_typed_is_kept(client, app):
    case = drive_to(app, "cp_plan_active")
    page = f"/ui/cases/{case.id}"
    signed_in(client, app, MANAGER)
    empty = post_form(client, page, f"{page}/notes", {"on": f"case:{case.id}", "text": " ", "category": "medical"})
    assert empty.status_code == 422 and 'id="note-text-error"' in empty.text
    assert '<option value="medical" selected>' in empty.text

    words = _upload(client, page, b"plain words " * 4, "notes.txt", on=f"case:{case.id}", description="typed words")
    assert words.status_code == 422 and "Files of this kind are not accepted" in words.text
    assert 'value="typed words"' in words.text
    none = _upload(client, page, b"", "", on=f"case:{case.id}", description="forgot it")
    assert none.status_code == 422 and "Choose a file." in none.text
    assert app.attachments.of_record(MANAGER, "case", case.id) == []


def test_a_file_over_the_limit_is_refused_in_words(store_url, frozen):
    hub = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY, "HUB_ATTACHMENT_MAX_BYTES": "4096"})
    try:
        register_agencies(hub)
        case = drive_to(hub, "cp_plan_active")
        page = f"/ui/cases/{case.id}"
        with TestClient(create_app(hub)) as client:
            signed_in(client, hub, MANAGER)
            within_the_form = _upload(client, page, PDF + bytes(8192), "big.pdf", on=f"case:{case.id}", description="big")
            assert within_the_form.status_code == 422 and "at most 0.00391 MB" in within_the_form.text
            assert 'value="big"' in within_the_form.text
            beyond = _upload(client, page, PDF + bytes(1 << 20), "huge.pdf", on=f"case:{case.id}")
            assert beyond.status_code == 422 and "The file is too large" in beyond.text
        assert hub.attachments.of_record(MANAGER, "case", case.id) == []
    finally:
        hub.close()
