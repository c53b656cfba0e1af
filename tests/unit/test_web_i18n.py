"""The portal's languages (issue 6): every message of the pages has a French
translation, the compiled catalog matches its source, and the locale is chosen from
the switch's cookie, else the browser's Accept-Language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from alliance.domain.money import Money
from alliance.web import formatting
from alliance.web.i18n import CATALOGS, choose_locale, translations

WEB = Path(CATALOGS).parent
FRENCH_PO = CATALOGS / "fr" / "LC_MESSAGES" / "messages.po"


def _extracted() -> set[str]:
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(WEB), method_map, keywords=keywords
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_message_of_the_portal_has_a_french_translation() -> None:
    with FRENCH_PO.open("rb") as source:
        catalog = read_po(source)
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalog
        if m.id and m.string and all(m.string if isinstance(m.string, tuple) else [m.string])
    }
    missing = sorted(_extracted() - translated)
    assert missing == [], "run the catalog update of docs/portal.md and translate these"


def test_the_compiled_french_catalog_matches_its_source() -> None:
    def key(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    with FRENCH_PO.open("rb") as source:
        po = {key(m.id): key(m.string) for m in read_po(source) if m.id and any(m.string)}
    with FRENCH_PO.with_suffix(".mo").open("rb") as compiled:
        mo = {key(m.id): key(m.string) for m in read_mo(compiled) if m.id}
    assert mo == po


def test_french_pages_read_french_words() -> None:
    french = translations("fr")
    assert french.gettext("Log in") == "Se connecter"
    assert (
        french.ngettext("%(num)d partner found", "%(num)d partners found", 3) % {"num": 3}
        == "3 partenaires trouvés"
    )


@pytest.mark.parametrize(
    ("cookie", "header", "chosen"),
    [
        (None, "fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        (None, "fr-CA", "fr"),
        (None, "de-DE,de;q=0.9", "en"),
        (None, "de;q=0.9,fr;q=0.5", "fr"),
        (None, "en;q=0.4,fr;q=0.8", "fr"),
        (None, None, "en"),
        ("en", "fr-FR", "en"),  # the switch wins
        ("fr", "en-US", "fr"),
        ("xx", "en-US", "en"),  # an unknown cookie is ignored
    ],
)
def test_the_locale_is_the_switch_else_the_browser_else_english(
    cookie: str | None, header: str | None, chosen: str
) -> None:
    assert choose_locale(cookie, header) == chosen


def test_money_dates_and_quantities_are_written_as_each_locale_writes_them() -> None:
    fee = Money(Decimal("12345.50"), "EUR")
    assert formatting.money(fee, "en") == "€12,345.50"
    assert formatting.money(fee, "fr") == "12\u202f345,50\u00a0€"
    assert formatting.day(date(2025, 3, 14), "en", "long") == "March 14, 2025"
    assert formatting.day(date(2025, 3, 14), "fr", "long") == "14 mars 2025"
    assert formatting.number(Decimal("4500.00"), "en") == "4,500"
    assert formatting.number(Decimal("4500.25"), "fr") == "4\u202f500,25"
