"""A store holding about N real events: referrals submitted, acknowledged and accepted into cases.

The events are the hub's own: referrals are prepared by the referral service (validation,
routing, notices, a child record each), then acknowledged and accepted on the aggregates
the way the referral commands do, and each case gets its first intake actions and, for four
cases in five, a social worker. Every event is sealed with its child's key, indexed and
chained, exactly as in production. What makes it fast is only that many cases go into one
``save``, so one transaction carries a few thousand events (the duplicate check before a case
opens is skipped: it is a read, and every generated child is a different child).

About 11 events per case: ``cases = scale // 11``. Timestamps spread over the last 90 days,
so that the inbox has overdue, due-soon and later items. The views are NOT built: the
catch-up benchmark starts from empty. One dataset per (store, scale) per process.
"""

from __future__ import annotations

import atexit
import random
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import UUID

from bench.common import Store, fresh_store
from hub import clock
from hub.actor import Actor
from hub.aggregates.case import Case
from hub.aggregates.case_vocabulary import IntakeAction
from hub.aggregates.child import Child
from hub.aggregates.referral_content import ReferralContent
from hub.aggregates.vocabulary import BodyKind, City
from hub.bootstrap import Hub, bootstrap
from hub.services.directory import NewAgency
from hub.services.referrals import ReferralRequest

EVENTS_PER_CASE = 11
CASES_PER_SAVE = 200
SPREAD = timedelta(days=90)
CITIES = {
    City.ALMATY: BodyKind.CAM, City.SHYMKENT: BodyKind.CAM, City.TURKESTAN_OBLAST: BodyKind.CAM, City.ASTANA: BodyKind.CSC,
}
CONCERNS = ["physical_violence", "psychological_violence", "neglect", "unaccompanied", "separated", "bullying",
            "exploitation"]
SYLLABLES = ["a", "ai", "bek", "dar", "gul", "ka", "la", "ma", "mir", "na", "nur", "ra", "sa", "tal", "zhan", "ul", "er",
             "as", "ba", "dan", "il", "ya", "ken", "om", "sul", "tan", "zi", "ro", "me", "vi"]
WORKERS = [f"sw-{n:02d}" for n in range(40)]
ADMIN = Actor("hub", "admin", "bench")


def centre(city: City) -> str:
    return f"{CITIES[city]}-{city.value.replace('_', '-')}"


def inspector(city: City) -> Actor:
    return Actor(f"ji-{city.value.replace('_', '-')}", "juvenile_inspector", f"inspector-{city.value}")


def manager(city: City) -> Actor:
    return Actor(centre(city), "manager", f"manager-{city.value}")


@dataclass
class Dataset:
    store: Store
    app: Hub
    events: int
    cases: int
    seconds: float
    children: dict[City, list[UUID]] = field(default_factory=dict)  # a sample per city, for queries
    case_ids: dict[City, list[UUID]] = field(default_factory=dict)


# The rest of a city's register: bodies that could be told or refer, and that the generated files do not
# name. A deployment registers every school, clinic and NGO of its region; the views must not cost more
# for each of them (docs/decisions/0054).
REGISTER = {BodyKind.SCHOOL: 25, BodyKind.HEALTH: 5, BodyKind.NGO: 5, BodyKind.POLICE_INVESTIGATION: 1}


def register_agencies(app: Hub) -> None:
    register = []
    for city, kind in CITIES.items():
        slug = city.value.replace("_", "-")
        register += [
            NewAgency(centre(city), f"{kind} {city}", kind, city),
            NewAgency(f"gta-{slug}", f"GTA {city}", BodyKind.GTA, city),
            NewAgency(f"ji-{slug}", f"Juvenile inspection {city}", BodyKind.JUVENILE_POLICE, city),
        ]
        register += [NewAgency(f"{other}-{slug}-{n}", f"{other} {n} {city}", other, city)
                     for other, count in REGISTER.items() for n in range(count)]
    app.directory.register_agencies(ADMIN, register)


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def referral_content(rng: random.Random, city: City) -> ReferralContent:
    """A plausible referral about a child nobody has referred before."""
    return ReferralContent.model_validate({
        "referrer": {"name": f"{_name(rng)} {_name(rng)}", "professional_title": "juvenile inspector"},
        "child": {
            "given_name": _name(rng), "family_name": _name(rng) + rng.choice(["ov", "ova", "ev", "eva", "uly", "kyzy"]),
            "stated_age": rng.randint(3, 17), "sex": rng.choice(["female", "male"]), "city": city.value,
            "languages": [rng.choice(["kazakh", "russian", "uzbek"])],
        },
        "parents": [{"name": f"{_name(rng)} {_name(rng)}", "relationship": rng.choice(["mother", "father", "guardian"])}],
        "concern": {"category": rng.choice(CONCERNS), "description": "Reported by a neighbour; seen alone at night."},
        "consent": {"given": False},
    })


def _open_case(referral: Any, child: Child, rng: random.Random, n: int, frozen: Any) -> Case:
    """Acknowledged and accepted as the receiving centre's manager would, with its first intake work."""
    city = City(child.identity["city"])
    by = manager(city)
    referral.acknowledge(by, note=None)
    frozen.advance(timedelta(hours=rng.randint(1, 20)))
    case = Case(
        actor=by, child_id=child.id, referral_id=referral.id, managing_agency=by.agency,
        case_number=str(child.id).split("-")[0].upper(), previous_case_id=None,
    )
    referral.accept(by, case_id=case.id, duplicates={"candidates": [], "managed_elsewhere": []})
    child.link_case(actor=by, case_id=case.id)
    case.record_intake_action(by, IntakeAction.GTA_NOTIFIED, None)
    case.record_intake_action(by, IntakeAction.REFERRER_INFORMED, None)
    if n % 5:
        case.assign_social_worker(by, rng.choice(WORKERS), evidence_of_harm=n % 3 == 0)
    return case


def _fill(ds: Dataset, cases: int) -> None:
    rng = random.Random(cases)
    app = ds.app
    step = SPREAD / max(cases, 1)
    cities = list(CITIES)
    with clock.using(clock.FrozenClock(clock.now() - SPREAD)) as frozen:
        for first in range(0, cases, CASES_PER_SAVE):
            numbers = range(first, min(cases, first + CASES_PER_SAVE))
            changed: list[Any] = []
            for city in cities:
                mine = [n for n in numbers if cities[n % len(cities)] == city]
                requests = [ReferralRequest(referral_content(rng, city), idempotency_key=f"bench-{n}") for n in mine]
                submissions, aggregates = app.referrals.prepare_referrals(inspector(city), requests)
                children = {a.id: a for a in aggregates if isinstance(a, Child)}
                for n, submission in zip(mine, submissions, strict=True):
                    referral = submission.referral
                    case = _open_case(referral, children[referral.child_id], rng, n, frozen)
                    changed += [referral, case]
                    if len(ds.children.setdefault(city, [])) < 1000:
                        ds.children[city].append(referral.child_id)
                        ds.case_ids.setdefault(city, []).append(case.id)
                    frozen.advance(step)
                changed += children.values()
            app.store.save(*changed)


_DATASETS: dict[tuple[str, int], tuple[Dataset, ExitStack]] = {}


def dataset(store: str, scale: int) -> Dataset:
    """The dataset of this size on this store, made on first use and kept until :func:`release`."""
    key = (store, scale)
    if key not in _DATASETS:
        stack = ExitStack()
        place = stack.enter_context(fresh_store(store))
        app = bootstrap(place.env)
        stack.callback(app.close)
        started = time.perf_counter()
        register_agencies(app)
        ds = Dataset(place, app, 0, max(1, scale // EVENTS_PER_CASE), 0.0)
        _fill(ds, ds.cases)
        ds.events = app.store.recorder.max_notification_id() or 0
        ds.seconds = time.perf_counter() - started
        _DATASETS[key] = (ds, stack)
    return _DATASETS[key][0]


def release(store: str, scale: int) -> None:
    """Closes the dataset's application and drops its store."""
    _, stack = _DATASETS.pop((store, scale), (None, ExitStack()))
    stack.close()


@atexit.register
def _release_all() -> None:
    for store, scale in list(_DATASETS):
        release(store, scale)
