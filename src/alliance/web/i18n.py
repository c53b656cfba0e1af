"""Languages of the portal (issue 6): English and French, from Babel message catalogs.

The locale is the ``alliance_locale`` cookie when the user chose one with the switch,
else the best match of the browser's ``Accept-Language``, else English. Catalogs live
in ``locales/<lang>/LC_MESSAGES/messages.po``; the compiled ``.mo`` files are committed
beside them (``scripts/portal-messages`` re-extracts and compiles).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import Locale, negotiate_locale
from babel.support import NullTranslations, Translations

LOCALES = ("en", "fr")
DEFAULT_LOCALE = "en"
LOCALE_COOKIE = "alliance_locale"
CATALOGS = Path(__file__).parent / "locales"
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}


@cache
def translations(locale: str) -> NullTranslations:
    """The catalog of ``locale``; English is the source language and needs none."""
    if locale == DEFAULT_LOCALE:
        return NullTranslations()
    return Translations.load(str(CATALOGS), [locale], domain="messages")


def _accepted(header: str) -> list[str]:
    """The languages of an ``Accept-Language`` header, most preferred first."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        if not tag or tag == "*":
            continue
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        weighted.append((-quality, index, tag.replace("-", "_")))
    return [tag for _, _, tag in sorted(weighted)]


def choose_locale(cookie: str | None, accept_language: str | None) -> str:
    """The switch's choice, else the browser's best supported language, else English."""
    if cookie in LOCALES:
        return cookie
    found = negotiate_locale(_accepted(accept_language or ""), LOCALES, sep="_")
    if found is None:
        # "fr_CA" or "fr-BE" still mean French.
        for tag in _accepted(accept_language or ""):
            language = tag.split("_")[0].lower()
            if language in LOCALES:
                return language
        return DEFAULT_LOCALE
    return str(Locale.parse(found).language)
