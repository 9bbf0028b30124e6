"""A real browser for the programme page: Debian's headless Chromium driven through its chromedriver, and axe-core.

Outside CI the tests skip, saying why, when Chromium, its driver or npm is missing; in CI (env CI set) a missing
piece fails them instead, since `.ci/run` installs all three.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

from tests.unit.webkit import Site

CHROMIUM = os.environ.get("KIWIBOT_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("KIWIBOT_CHROMEDRIVER", "/usr/bin/chromedriver")
AXE_VERSION = "4.14.1"
# The exact axe we checked with: a different file (another version, a bad download) is not used.
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def missing(what: str) -> None:
    """Skip outside CI, fail in CI: there the browser tests must run."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} (CI must install it: see .ci/run)")
    pytest.skip(f"{what}; install it to run the browser tests (CI does: see .ci/run)")


def _need_chromium() -> None:
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            missing(f"{path} not found: apt-get install {package}")


def _options(*, script: bool) -> webdriver.ChromeOptions:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # root in a container
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--lang=de-DE",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
    ):
        options.add_argument(argument)
    if not script:
        options.add_argument("--blink-settings=scriptEnabled=false")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return options


def _driver(script: bool) -> WebDriver:
    _need_chromium()
    return webdriver.Chrome(options=_options(script=script), service=Service(executable_path=CHROMEDRIVER))


@pytest.fixture(scope="session")
def browser() -> Iterator[WebDriver]:
    """One headless Chromium for the session (each test loads its own site's pages)."""
    driver = _driver(script=True)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def browser_without_js() -> Iterator[WebDriver]:
    """Chromium with JavaScript switched off, as some administrations configure it."""
    driver = _driver(script=False)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    served = Site.start(tmp_path)
    try:
        yield served
    finally:
        served.stop()


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kiwibot-tests" / f"axe-core-{AXE_VERSION}"


def _fetch_axe(target: Path) -> None:
    """`npm pack axe-core@VERSION` (the registry checks the tarball's integrity), then take axe.min.js out."""
    npm = shutil.which("npm")
    if npm is None:
        missing("npm not found (it fetches axe-core): apt-get install npm")
        return
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(
            [npm, "pack", f"axe-core@{AXE_VERSION}", "--silent", "--pack-destination", work],
            check=True,
            capture_output=True,
            timeout=300,
        )
        with tarfile.open(Path(work) / f"axe-core-{AXE_VERSION}.tgz") as archive:
            member = archive.extractfile("package/axe.min.js")
            assert member is not None
            data = member.read()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(target)


@pytest.fixture(scope="session")
def axe_source() -> str:
    target = _cache_dir() / "axe.min.js"
    if not target.exists():
        _fetch_axe(target)
    data = target.read_bytes()
    if hashlib.sha256(data).hexdigest() != AXE_SHA256:
        target.unlink()
        pytest.fail(f"{target} is not axe-core {AXE_VERSION} (checksum differs); it was removed, run again")
    return data.decode()


@pytest.fixture
def axe(browser: WebDriver, axe_source: str) -> Callable[[], list[dict[str, object]]]:
    """Run axe-core on the page the browser shows; returns its violations for the WCAG 2.1 A/AA tags."""

    def run() -> list[dict[str, object]]:
        browser.execute_script(axe_source)
        result = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
            "  .then(r => done(r.violations), e => done([{id: 'axe-error', help: String(e), nodes: []}]));",
            AXE_TAGS,
        )
        return list(result)

    return run
