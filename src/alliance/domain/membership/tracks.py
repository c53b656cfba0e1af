"""Optional tracks (OPN-12, OPN-13).

Tracks (by default *Healthcare* and *License & Hardware*) are open from level 1 at no
extra cost, can be joined any time during the membership, and end with it (« l'inscription
au parcours sera liée à la date d'adhésion »). An associate has every track its
principal has, and cannot join one on its own: its principal must join it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from alliance.domain.errors import InvalidInput
from alliance.domain.membership.errors import (
    AssociateCannotJoinTrack,
    MembershipNotActive,
    TrackNotOpenAtLevel,
)
from alliance.domain.membership.membership import Membership, TrackMembership
from alliance.domain.membership.terms import MembershipTerms


def join_track(
    membership: Membership, track_id: str, terms: MembershipTerms, today: date
) -> Membership:
    """Join ``track_id`` today; joining a track already held changes nothing."""
    track = terms.track(track_id)
    if membership.is_associate:
        raise AssociateCannotJoinTrack(
            f"an associate has its principal's tracks and cannot join {track.name} on its "
            f"own; its principal ({membership.principal}) must join it"
        )
    if not membership.is_active_on(today):
        raise MembershipNotActive(
            f"tracks are joined during an active membership; this one is "
            f"{membership.status.value} on {today}",
            rule="OPN-12",
        )
    rank = terms.rank_of(membership.level)
    if rank < track.min_rank:
        raise TrackNotOpenAtLevel(
            f"{track.name} is open from level rank {track.min_rank}; "
            f"{terms.level(membership.level).name} is rank {rank}"
        )
    if any(t.track == track.id for t in membership.tracks):
        return membership
    return replace(membership, tracks=(*membership.tracks, TrackMembership(track.id, today)))


def tracks_on(
    membership: Membership, day: date, *, principal: Membership | None = None
) -> tuple[str, ...]:
    """The tracks a member benefits from on ``day``: none unless its membership is active
    (coterminous, OPN-12); an associate's are its principal's (OPN-13)."""
    if not membership.is_active_on(day):
        return ()
    if membership.is_associate:
        if principal is None or not principal.is_active_on(day):
            return ()
        return tuple(t.track for t in principal.tracks)
    return tuple(t.track for t in membership.tracks)


def track_ends_on(membership: Membership) -> date | None:
    """OPN-12: a track ends with the membership's term."""
    return membership.end


def leave_track(
    membership: Membership, track_id: str, terms: MembershipTerms, today: date
) -> Membership:
    """OPN-12 / OPN-13: a principal leaves a track it joined; an associate has its
    principal's tracks and neither joins nor leaves one on its own. Leaving a track not
    held is refused, naming the track."""
    track = terms.track(track_id)
    if membership.is_associate:
        raise AssociateCannotJoinTrack(
            f"an associate has its principal's tracks and cannot leave {track.name} on its "
            f"own; its principal ({membership.principal}) decides"
        )
    if not any(t.track == track.id for t in membership.tracks):
        raise InvalidInput(
            f"{membership.subscription_id} has not joined {track.name}",
            field="track",
            rule="OPN-12",
        )
    return replace(membership, tracks=tuple(t for t in membership.tracks if t.track != track.id))
