"""Optional tracks (OPN-12, OPN-13): joined any time during an active membership at
level 1 or above, at no extra cost, ending with the membership. An associate has its
principal's tracks and cannot join or leave one on its own (OPN-13): joining a track
takes effect for the principal's associates at once.
"""

from __future__ import annotations

from dataclasses import replace

from alliance.domain.access import Actor, ActorKind
from alliance.domain.clock import Clock
from alliance.domain.ids import PersonId
from alliance.domain.membership import (
    Membership,
    MembershipAction,
    MembershipStatus,
    SubscriptionId,
    join_track,
    leave_track,
)
from alliance.services.membership_terms import MembershipProgram
from alliance.services.memberships.access import (
    acting_person,
    require_partner_action,
    visible_membership,
)
from alliance.services.memberships.records import audit_membership
from alliance.services.ports import UnitOfWork


def change_track(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    clock: Clock,
    subscription_id: SubscriptionId,
    track: str,
    *,
    join: bool = True,
    by: PersonId | None = None,
) -> Membership:
    """Join (or leave) ``track``; the principal's associates follow (OPN-13)."""
    terms, today, at = program.terms, clock.today(), clock.now()
    with uow:
        membership = visible_membership(uow, actor, subscription_id, for_update=True)
        person = acting_person(uow, actor, by) if by or actor.kind is ActorKind.MEMBER else None
        require_partner_action(
            uow,
            actor,
            membership.organization_id,
            MembershipAction.JOIN_TRACK,
            terms,
            person=person if actor.kind is not ActorKind.MEMBER else None,
        )
        if join:
            changed = join_track(membership, track, terms, today)
        else:
            changed = leave_track(membership, track, terms, today)
        if changed != membership:
            uow.memberships.save(changed)
            audit_membership(
                uow,
                actor,
                membership,
                changed,
                at,
                "track_joined" if join else "track_left",
                {"rule": "OPN-12", "track": track},
            )
            for associate in uow.memberships.associates_of(subscription_id):
                if associate.status is not MembershipStatus.ACTIVE:
                    continue
                follows = replace(associate, tracks=changed.tracks)  # OPN-13
                uow.memberships.save(follows)
                audit_membership(
                    uow, actor, associate, follows, at, "tracks_followed", {"rule": "OPN-13"}
                )
        uow.commit()
    return changed
