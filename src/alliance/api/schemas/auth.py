"""Logging in for a token, and who is logged in."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from alliance.domain.access import ActorKind
from alliance.domain.people import PartnerRole, VendorRole
from alliance.services.auth import IssuedToken, IssueToken, Profile


class TokenCreate(BaseModel):
    """E-mail and password, exchanged for a bearer token."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=320, examples=["ada@acme.example"])
    password: str = Field(min_length=1, max_length=1024)
    name: str = Field(
        default="api", min_length=1, max_length=100, description="What the token is for."
    )

    def to_command(self) -> IssueToken:
        return IssueToken(email=self.email, password=self.password, name=self.name)


class TokenIssued(BaseModel):
    """A new token. ``token`` is shown this once: keep it, it cannot be shown again."""

    id: str
    name: str
    token: str = Field(description="Send as 'Authorization: Bearer <token>'.")
    user_id: str
    created_at: datetime

    @classmethod
    def of(cls, issued: IssuedToken) -> TokenIssued:
        return cls(
            id=issued.id,
            name=issued.name,
            token=issued.secret,
            user_id=issued.user_id,
            created_at=issued.created_at,
        )


class MePublic(BaseModel):
    user_id: str
    email: str
    name: str
    kind: ActorKind
    organization_id: str | None
    partner_roles: list[PartnerRole]
    vendor_roles: list[VendorRole]

    @classmethod
    def of(cls, profile: Profile) -> MePublic:
        return cls(
            user_id=profile.user.id,
            email=profile.user.email,
            name=profile.person.name,
            kind=profile.actor.kind,
            organization_id=profile.person.organization_id,
            partner_roles=sorted(profile.person.partner_roles),
            vendor_roles=sorted(profile.person.vendor_roles),
        )
