"""Screenshots of the portal's main pages for the README (issue 6).

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Serves the portal on loopback with the browser tests' demo world
(``tests/e2e/browser/portal_world.py``) and photographs each page in the system
Chromium at desktop (1280 px) and phone (390 px) widths.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests" / "e2e" / "browser"), str(ROOT / "tests")]

from playwright.sync_api import Page, sync_playwright  # noqa: E402
from portal_world import PortalWorld, build_world, serving  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def log_in(
    page: Page, world: PortalWorld, label: str = "E-mail", password: str = "Password"
) -> None:
    page.goto("/login")
    page.get_by_label(label).fill(world.ada.email)
    page.get_by_label(password).fill(world.ada.password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**/partners/{world.ada.organization_id}")


def shoot(world: PortalWorld, out: Path) -> list[Path]:
    taken: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for width_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            for locale in ("en", "fr"):
                context = browser.new_context(
                    base_url=world.base_url, viewport=viewport, locale=locale
                )
                page = context.new_page()
                suffix = f"{width_name}-{locale}"
                if locale == "en":
                    page.goto("/login")
                    taken.append(out / f"login-{suffix}.png")
                    page.screenshot(path=taken[-1], full_page=True)
                    page.goto("/directory?status=active")
                    taken.append(out / f"directory-{suffix}.png")
                    page.screenshot(path=taken[-1], full_page=True)
                if locale == "fr":
                    log_in(page, world, "E-mail", "Mot de passe")
                else:
                    log_in(page, world)
                taken.append(out / f"dashboard-{suffix}.png")
                page.screenshot(path=taken[-1], full_page=True)
                context.close()
        browser.close()
    return taken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        world = build_world(Path(tmp), "smtp://127.0.0.1:1")  # no mail is sent
        with serving(world) as served:
            for path in shoot(served, args.out):
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
