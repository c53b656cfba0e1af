"""The company-details step (OPN-9): company, address, the administrator's contact, an
optional backup administrator, the other contacts by partner role (OPN-18), and — for a
principal — acceptance of the partner-store terms (the seed: « Acceptez les conditions
générales d'Oracle Partner Store »).

The roles named at enrolment and how many people hold each are the program's
(:class:`~.roles.RoleTerms`): OPN's two key executives, and a billing contact, who
receives the invoice (OPN-7).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from alliance.domain.errors import InvalidInput
from alliance.domain.membership.reading import Reader
from alliance.domain.membership.terms import MembershipTerms
from alliance.domain.organizations import EntityRole
from alliance.domain.people import PartnerRole, normalise_email

RULE = "OPN-9"
_COUNTRY = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True)
class Address:
    line1: str
    city: str
    postal_code: str
    country: str  # ISO 3166-1 alpha-2

    @classmethod
    def read(cls, reader: Reader) -> Address:
        country = reader.text("country")
        if not _COUNTRY.fullmatch(country):
            raise InvalidInput(
                f"country is an ISO 3166-1 alpha-2 code such as 'FR', got {country!r}",
                field=f"{reader.prefix}country",
                rule=RULE,
            )
        return cls(reader.text("line1"), reader.text("city"), reader.text("postal_code"), country)

    def to_json(self) -> dict[str, object]:
        return {
            "line1": self.line1,
            "city": self.city,
            "postal_code": self.postal_code,
            "country": self.country,
        }


@dataclass(frozen=True)
class Contact:
    """A person named in the application; ``role`` is ``None`` for the administrators."""

    name: str
    email: str
    role: PartnerRole | None = None

    @classmethod
    def read(cls, reader: Reader, *, with_role: bool = False) -> Contact:
        try:
            email = normalise_email(reader.text("email"))
        except InvalidInput as bad:
            raise InvalidInput(bad.message, field=f"{reader.prefix}email", rule=RULE) from None
        role = reader.choice("role", PartnerRole, rule="OPN-18") if with_role else None
        return cls(reader.text("name"), email, role)

    def to_json(self) -> dict[str, object]:
        body: dict[str, object] = {"name": self.name, "email": self.email}
        if self.role is not None:
            body["role"] = self.role.value
        return body


@dataclass(frozen=True)
class CompanyDetails:
    legal_name: str
    address: Address
    administrator: Contact
    backup_administrator: Contact | None = None
    contacts: tuple[Contact, ...] = ()
    partner_store_terms_accepted: bool = False

    @classmethod
    def parse(cls, data: object) -> CompanyDetails:
        reader = Reader(data, RULE)
        backup = reader.optional_nested("backup_administrator")
        return cls(
            legal_name=reader.text("legal_name"),
            address=Address.read(reader.nested("address")),
            administrator=Contact.read(reader.nested("administrator")),
            backup_administrator=Contact.read(backup) if backup else None,
            contacts=tuple(Contact.read(r, with_role=True) for r in reader.objects("contacts")),
            partner_store_terms_accepted=reader.data.get("partner_store_terms_accepted") is True,
        )

    def to_json(self) -> dict[str, object]:
        return {
            "legal_name": self.legal_name,
            "address": self.address.to_json(),
            "administrator": self.administrator.to_json(),
            "backup_administrator": (
                self.backup_administrator.to_json() if self.backup_administrator else None
            ),
            "contacts": [c.to_json() for c in self.contacts],
            "partner_store_terms_accepted": self.partner_store_terms_accepted,
        }

    def holders(self) -> Counter[PartnerRole]:
        """How many contacts hold each role (the administrators included)."""
        count: Counter[PartnerRole] = Counter(c.role for c in self.contacts if c.role)
        count[PartnerRole.PARTNER_ADMINISTRATOR] += 1 + (self.backup_administrator is not None)
        return count

    def checked(self, terms: MembershipTerms, member_type: EntityRole) -> CompanyDetails:
        """The program's contact rules: roles named at enrolment with their number of
        holders (OPN-18), a billing contact (OPN-7), partner-store terms for a principal."""
        if member_type is EntityRole.PRINCIPAL and not self.partner_store_terms_accepted:
            raise InvalidInput(
                "the partner-store terms and conditions must be accepted to continue",
                field="partner_store_terms_accepted",
                rule=RULE,
            )
        holders = self.holders()
        for contact in self.contacts:
            if contact.role is PartnerRole.PARTNER_ADMINISTRATOR:
                raise InvalidInput(
                    "administrators are named as administrator and backup_administrator",
                    field="contacts",
                    rule="OPN-10",
                )
        for role in terms.roles:
            if not role.named_at_enrolment:
                continue
            held = holders[role.role]
            if held < role.min_holders or (
                role.max_holders is not None and held > role.max_holders
            ):
                wanted = (
                    f"{role.min_holders}"
                    if role.max_holders == role.min_holders
                    else f"at least {role.min_holders}"
                    + (f" and at most {role.max_holders}" if role.max_holders else "")
                )
                raise InvalidInput(
                    f"name {wanted} {role.role.value} contact(s); got {held}",
                    field="contacts",
                    rule="OPN-18",
                )
        if holders[terms.invoice_recipient] < 1:
            raise InvalidInput(
                f"name a {terms.invoice_recipient.value} contact: the invoice goes to them",
                field="contacts",
                rule="OPN-7",
            )
        return self
