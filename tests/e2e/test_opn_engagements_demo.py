"""The demo engagements load through the use cases, in several states, with one duplicate
flagged (CCE-4); loading twice changes nothing."""

from __future__ import annotations

from api_world import World
from engagements_scenario import enrol_world

from alliance.bootstrap import Application
from alliance.demo.engagements import load_engagements
from alliance.domain.access import Actor
from alliance.services.engagements.queries import list_engagements


def test_demo_engagements_in_various_states(application: Application, world: World) -> None:
    enrol_world(application, world)
    loaded = load_engagements(application)
    assert loaded.engagements == {
        "account_planning": 2,
        "eligible": 2,
        "submitted": 3,
        "flagged duplicate": 1,
    }, loaded.skipped
    found = list_engagements(application.uow_factory(), Actor.system("test"))
    assert len(found) == 7
    again = load_engagements(application)
    assert again.engagements == {} and len(again.skipped) == 2
    assert len(list_engagements(application.uow_factory(), Actor.system("test"))) == 7
