"""The agency directory is kept per process for reading (hub/services/directory.py): a registration
made anywhere is still seen by the very next read."""

from __future__ import annotations

import pytest

from hub.aggregates.vocabulary import BodyKind, City
from hub.bootstrap import bootstrap
from hub.errors import GuardViolation
from hub.services.directory import NewAgency
from tests.builders import ADMIN
from tests.conftest import TEST_MASTER_KEY


def test_an_agency_registered_by_another_process_is_found_by_the_next_read(app, store_url):
    assert app.directory.find_agency("cam-shymkent") is None  # read, and kept
    other = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY})
    try:
        other.directory.register_agency(
            ADMIN, "cam-shymkent", "Centre of Adaptation of Minors, Shymkent", BodyKind.CAM, City.SHYMKENT
        )
    finally:
        other.close()
    found = app.directory.find_agency("cam-shymkent")
    assert found is not None and found.unit == City.SHYMKENT
    assert "cam-shymkent" in [a.code for a in app.directory.agencies_of(BodyKind.CAM, City.SHYMKENT)]



def test_agencies_registered_together_are_all_registered_or_none_is(app):
    shymkent = NewAgency("cam-shymkent", "Centre of Adaptation of Minors, Shymkent", BodyKind.CAM, City.SHYMKENT)
    duplicate = NewAgency("cam-almaty", "Another centre with a taken code", BodyKind.CAM, City.ALMATY)
    with pytest.raises(GuardViolation):
        app.directory.register_agencies(ADMIN, [shymkent, duplicate])
    assert app.directory.find_agency("cam-shymkent") is None

    gta = NewAgency("gta-shymkent", "Guardianship and Tutelage Authority, Shymkent", BodyKind.GTA, City.SHYMKENT,
                    email="gta@shymkent.example")
    registered = app.directory.register_agencies(ADMIN, [shymkent, gta])
    assert [a.code for a in registered] == ["cam-shymkent", "gta-shymkent"]
    assert app.directory.agency("gta-shymkent").email == "gta@shymkent.example"
