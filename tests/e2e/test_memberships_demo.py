"""The demo's memberships (OPN-2, OPN-6, OPN-14): every state shows, loading twice
changes nothing."""

from __future__ import annotations

from alliance.bootstrap import Application
from alliance.demo.dataset import DemoSpec, generate
from alliance.demo.loader import load_directory
from alliance.demo.memberships import load_memberships
from alliance.domain.access import Actor
from alliance.domain.membership import ApplicationStatus, MembershipStatus, RenewalRoute
from alliance.services.membership_terms import membership_program
from alliance.services.memberships import applications, views


def test_demo_memberships_show_every_state_once(application: Application) -> None:
    load_directory(application.uow_factory, generate(DemoSpec(partners=60, seed=7)), lambda _: None)
    loaded = load_memberships(application)
    assert loaded.skipped == []
    assert loaded.memberships == {"active": 6, "pending_payment": 1}
    assert loaded.pending_applications == 1
    assert "1 open renewal window" in loaded.tick

    system, program = Actor.system("test"), membership_program(application.programs)
    found = views.list_memberships(application.uow_factory(), system, program, application.clock)
    levels = sorted(v.membership.level for v in found if not v.membership.is_associate)
    assert levels == ["l0", "l1", "l2", "l2", "l3", "l3"]
    assert [v.renewal.route for v in found].count(RenewalRoute.OPEN) == 1
    associates = [v.membership for v in found if v.membership.is_associate]
    assert [a.status for a in associates] == [MembershipStatus.ACTIVE]
    waiting = applications.list_applications(
        application.uow_factory(), system, program, status=ApplicationStatus.PENDING_APPROVAL
    )
    assert len(waiting) == 1

    again = load_memberships(application)
    assert again.memberships == {} and again.pending_applications == 0
    assert "nothing to do" in again.tick
