"""The OSR scenario the end-to-end tests load from files, with the seed's numbers.

Customers (``customers.csv``):

* **Ula Corp** (``cus_ula``, US) holds a ULA: 33 % (OSR-11); its affiliate **Ula Europe**
  (``cus_ula_eu``, FR) earns 33 % too (a ULA anywhere in the hierarchy);
* **Standard Co** (``cus_std``, GB) has no ULA: 25 %; **Other Inc** (``cus_other``, DE).

Partners: **Renew Partner**, the support-renewal partner Ula Corp authorised on
``sub_ula_1`` (OSR-10); **Rogue Partner**, Standard Co's support-renewal partner, not
authorised.

Usage (``usage.csv``):

* Dec 2021 — Ula Corp: 600 + 400 USD eligible on two subscriptions = 1,000 USD → a
  **330.00** lot accrued 2021-12-31, expiring **2022-12-31** (OSR-12, OSR-14, OSR-22);
  plus a marketplace line (OSR-7). Ula Europe: 100 → 33.00. Standard Co: 400 → 100.00,
  and 1,000 each on pay-as-you-go, trial and a China order, which earn nothing (OSR-2,
  OSR-3). Other Inc: 200 → 50.00.
* Jan 2022 — Ula Corp 300 → 99.00; Ula Europe 200 → 66.00 (expiring 2023-01-31).
* Feb 2022 — Ula Corp 100 → 33.00, accrued 2022-02-28.

Invoices (``invoices.csv``): ``inv_ula`` of Ula Corp, due 2022-02-15: database support
400.00 (tax 40.00) and Java support 300.00 (tax 30.00, never payable, OSR-20);
``inv_ula_early`` due 2022-01-15: database support 1,000.00; ``inv_std`` of Standard Co.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from alliance.bootstrap import Application
from alliance.domain.access import Actor
from alliance.domain.organizations import Organization, OrganizationKind
from alliance.services.organizations import CreateOrganization, create_organization

CUSTOMERS = """\
customer_id,name,country,parent_id,has_on_premises_support,has_ula,ula_covers
cus_ula,Ula Corp,US,,true,yes,
cus_ula_eu,Ula Europe,FR,cus_ula,true,no,
cus_std,Standard Co,GB,,1,0,
cus_other,Other Inc,DE,,true,false,
"""

SUBSCRIPTIONS = """\
subscription_id,customer_id,buyer_id,order_type,service_start,service_end,country,\
support_renewal_partner_id,support_renewal_partner_authorised
sub_ula_1,cus_ula,,committed_credits,2021-01-01,2023-12-31,US,{renew},true
sub_ula_2,cus_ula,,committed_credits,2021-06-01,2023-12-31,US,,
sub_ula_eu,cus_ula_eu,,committed_credits,2021-01-01,2023-12-31,FR,,
sub_std,cus_std,,committed_credits,2021-01-01,2023-12-31,GB,{rogue},false
sub_std_payg,cus_std,,pay_as_you_go,2021-01-01,2023-12-31,GB,,
sub_std_trial,cus_std,,trial,2021-01-01,2023-12-31,GB,,
sub_std_cn,cus_std,,committed_credits,2021-01-01,2023-12-31,CN,,
sub_other,cus_other,,committed_credits,2021-01-01,2023-12-31,DE,,
"""

USAGE_HEADER = (
    "customer_id,subscription_id,service,service_category,month,quantity,unit_net_price,"
    "currency,line_kind,third_party,marketplace,saas,free_tier,rack_subscription,byol\n"
)


def usage_line(
    customer: str,
    subscription: str,
    month: str,
    quantity: str,
    price: str = "1.000000",
    *,
    marketplace: str = "false",
) -> str:
    return (
        f"{customer},{subscription},Compute E5,compute,{month},{quantity},{price},USD,regular,"
        f"false,{marketplace},false,false,false,false\n"
    )


USAGE = USAGE_HEADER + "".join(
    [
        usage_line("cus_ula", "sub_ula_1", "2021-12", "600"),
        usage_line("cus_ula", "sub_ula_2", "2021-12", "400.0000"),
        usage_line("cus_ula", "sub_ula_1", "2021-12", "500", marketplace="true"),
        usage_line("cus_ula_eu", "sub_ula_eu", "2021-12", "100"),
        usage_line("cus_std", "sub_std", "2021-12", "200", "2.000000"),
        usage_line("cus_std", "sub_std_payg", "2021-12", "1000"),
        usage_line("cus_std", "sub_std_trial", "2021-12", "1000"),
        usage_line("cus_std", "sub_std_cn", "2021-12", "1000"),
        usage_line("cus_other", "sub_other", "2021-12", "200"),
        usage_line("cus_ula", "sub_ula_2", "2022-01", "300"),
        usage_line("cus_ula_eu", "sub_ula_eu", "2022-01", "200"),
        usage_line("cus_ula", "sub_ula_1", "2022-02", "100"),
    ]
)

#: Three bad rows, on lines 3, 4 and 6 (the header is line 1).
BAD_USAGE = USAGE_HEADER + "".join(
    [
        usage_line("cus_ula", "sub_ula_1", "2022-03", "10"),
        usage_line("cus_ula", "sub_ula_1", "2022-03", "-5"),
        usage_line("cus_ula", "sub_ula_1", "2022-13", "10"),
        usage_line("cus_ula", "sub_ula_1", "2022-03", "10"),
        usage_line("cus_nobody", "sub_ula_1", "2022-03", "10"),
    ]
)

INVOICES = """\
invoice_id,customer_id,issued_on,due_on,currency,product,support_program,pre_tax_amount,tax
inv_ula,cus_ula,2022-02-01,2022-02-15,USD,Database EE,database_support,400.00,40.00
inv_ula,cus_ula,2022-02-01,2022-02-15,USD,Java SE,java_support,300.00,30.00
inv_ula_early,cus_ula,2022-01-01,2022-01-15,USD,Database EE,database_support,1000.00,0.00
inv_java,cus_ula,2022-02-01,2022-03-15,USD,Java SE,java_support,300.00,30.00
inv_std,cus_std,2022-02-01,2022-02-28,USD,Database SE,database_support,80.00,16.00
"""

DEC_2021_LOTS = {
    "cus_ula": Decimal("330.00"),
    "cus_ula_eu": Decimal("33.00"),
    "cus_std": Decimal("100.00"),
    "cus_other": Decimal("50.00"),
}


@dataclass(frozen=True)
class ScenarioFiles:
    customers: Path
    subscriptions: Path
    usage: Path
    bad_usage: Path
    invoices: Path


@dataclass(frozen=True)
class Partners:
    renew: Organization
    rogue: Organization


def create_partners(application: Application) -> Partners:
    """The two support-renewal partners, created as the system."""

    def partner(name: str) -> Organization:
        command = CreateOrganization(name=name, country="US", kind=OrganizationKind.PARTNER)
        return create_organization(
            application.uow_factory(), Actor.system("seed"), command, application.clock
        )

    return Partners(partner("Renew Partner"), partner("Rogue Partner"))


def write_files(folder: Path, partners: Partners) -> ScenarioFiles:
    folder.mkdir(parents=True, exist_ok=True)
    texts = {
        "customers": CUSTOMERS,
        "subscriptions": SUBSCRIPTIONS.format(renew=partners.renew.id, rogue=partners.rogue.id),
        "usage": USAGE,
        "bad_usage": BAD_USAGE,
        "invoices": INVOICES,
    }
    paths = {}
    for name, text in texts.items():
        path = folder / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        paths[name] = path
    return ScenarioFiles(**paths)
