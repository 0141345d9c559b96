"""Real headless Chromium (Debian's, driven by Playwright) for the report and web app tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]

# Payloads that must stay inert wherever article text is shown.
XSS_PROBES = [
    "<script>alert('kabar-xss-1')</script>",
    '<img src=x onerror="alert(\'kabar-xss-2\')">',
    '<a href="javascript:alert(\'kabar-xss-3\')">klik</a>',
    '"><svg onload=alert(\'kabar-xss-4\')>',
    "<b><i>markup rusak",
    "</textarea></details><iframe src=javascript:alert('kabar-xss-5')>",
]


def require_chromium() -> str:
    """The browser path; missing it fails in CI (tests never skip silently there)."""
    if shutil.which("chromium") or Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("CI") or os.environ.get("KABAR_REQUIRE_BROWSER"):
        pytest.fail("Debian chromium is not installed (.ci/run installs it)")
    pytest.skip("chromium not installed")


@contextmanager
def browser_page(offline: bool = True, allow: str | None = None) -> Iterator:
    """A fresh page; with `offline`, every request (but to the `allow` origin) is refused and recorded."""
    from playwright.sync_api import sync_playwright

    path = require_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            page = context.new_page()
            page.kabar_requests = []  # type: ignore[attr-defined]
            page.kabar_dialogs = []  # type: ignore[attr-defined]
            page.on("dialog", lambda d: (page.kabar_dialogs.append(d.message), d.dismiss()))
            if offline:
                def refuse(route):
                    if allow and route.request.url.startswith(allow):
                        route.continue_()
                        return
                    page.kabar_requests.append(route.request.url)
                    route.abort()

                context.route("http://**/*", refuse)
                context.route("https://**/*", refuse)
            yield page
        finally:
            browser.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=False)
    return target
