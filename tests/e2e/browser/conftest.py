"""Browser tests of the portal (issue 6): real Chromium driven by Playwright.

The portal runs on loopback (uvicorn in a thread) against a fresh SQLite database with
a small demo data set (:mod:`portal_world`), once per session; e-mail goes to a real
SMTP server on loopback. Debian's ``chromium`` is used (``/usr/bin/chromium``, which
``.ci/run`` installs): Playwright downloads no browser. Without it the tests are
skipped locally, and fail on CI.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from portal_world import PortalWorld, build_world, serving

from integration.notification_receivers import SmtpReceiver

CHROMIUM = os.environ.get("ALLIANCE_CHROMIUM", "/usr/bin/chromium")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _chromium_or_skip() -> str:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return CHROMIUM
    reason = f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def smtp() -> Iterator[SmtpReceiver]:
    receiver = SmtpReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory, smtp: SmtpReceiver) -> Iterator[PortalWorld]:
    _chromium_or_skip()
    world = build_world(tmp_path_factory.mktemp("portal"), smtp.url())
    with serving(world) as served:
        yield served


@pytest.fixture(scope="session")
def browser(portal: PortalWorld) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=_chromium_or_skip(), args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, portal: PortalWorld) -> Iterator[Page]:
    """A fresh browser context (no cookies), in English, at desktop width."""
    context = browser.new_context(
        base_url=portal.base_url, locale="en-US", viewport=DESKTOP, accept_downloads=True
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()
