"""Every test's hub on the embedded store, at its end (the PostgreSQL half of a test folds the same events
into the same dossiers): the bodies judged for each child (hub/privacy/audience.py) leave out no
body the policy shows anything to. The suite's commands touch every part a body can play in a file
(referrer, school, examiner, accused, consent's recipient...), so a part missing from the names a condition
is declared with (hub/privacy/conditions.py) fails the test that first gives a body that part."""

from __future__ import annotations

from hub import clock
from hub.bootstrap import Hub
from hub.privacy.dossier import records_of
from hub.projections.agency_views import view_row, view_rows


def assert_audience_complete(app: Hub) -> None:
    if app.closed:
        return  # the test closed it itself (after what it checks of the store's bytes, say): nothing to read
    views = app.views
    views.catch_up()
    engine, agencies, now = views.engine(), views.fold.agencies, clock.now()
    for child_id in set(views.fold.known_children()) - views.fold.erased:
        dossier = views.fold.dossier(child_id)
        if dossier is None:
            continue
        judged = {(r.agency, r.record_type, r.record_id) for r in view_rows(engine, agencies, dossier, now)}
        for agency in agencies.values():
            for ref in records_of(dossier, now):
                if view_row(engine, agency, dossier, ref, now) is not None:
                    assert (agency.code, ref.record_type, str(ref.record_id)) in judged, (agency, ref.record_type)
