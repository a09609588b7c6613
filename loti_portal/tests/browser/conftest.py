"""Chromium from Debian, driven by Playwright, against pytest-django's live server.

Every test in this folder is marked `browser`: `make test-fast` leaves them out.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from .axe import AXE_CORE_VERSION

CHROMIUM = "/usr/bin/chromium"
# Headless and quiet: no sandbox (CI runs as root), no GPU, and nothing that phones home or
# downloads components while the tests run.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter):
    # Which axe-core ran matters for what "zero violations" means: say it in every run's output.
    terminalreporter.write_line(f"accessibility checks: axe-core {AXE_CORE_VERSION}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # Kept on the item so that the page fixture's teardown knows whether the test failed.
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module, in a fresh temporary profile (Playwright's default).

    Playwright's sync API keeps an asyncio loop running on this thread while it is started, so
    Django's ORM, called from the test and its fixtures, takes the thread for async code and
    refuses with SynchronousOnlyOperation. Nothing here is async: the live server answers in its
    own thread. DJANGO_ALLOW_ASYNC_UNSAFE turns the check off only while Chromium is up, and the
    browser lives per module so that the rest of the suite runs with the check on.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            # Never a downloaded browser: Debian's Chromium, which `make chromium` installs.
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()


@pytest.fixture
def new_page(browser, live_server, request):
    """Make pages in fresh contexts (own cookies) on the live server; screenshots on failure."""
    contexts = []

    def make(**context_options) -> Page:
        context = browser.new_context(base_url=live_server.url, **context_options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    failed = getattr(request.node, "report_call", None) and request.node.report_call.failed
    for number, context in enumerate(contexts):
        if failed:
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
            ARTIFACTS.mkdir(exist_ok=True)
            for index, page in enumerate(context.pages):
                page.screenshot(path=ARTIFACTS / f"{name}-{number}-{index}.png", full_page=True)
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()
