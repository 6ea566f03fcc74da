"""Debian's chromium driven by selenium, for the web site's tests (tests/test_web.py) and the
README's screenshot.

The driver is ``/usr/bin/chromedriver`` (Debian's ``chromium-driver``), passed explicitly so
selenium never tries to download one; chromium runs headless in a fresh profile with every
background network feature off (the tests run without a network).

The README's screenshot of the start page (from a demo made with ``reportkit demo``)::

    /work/venv/bin/python tests/webkit.py output/demo/rapporter/2026-helår/webb/index.html \\
        docs/bilder/webb-start.png
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1")


def have_chromium() -> bool:
    return CHROMIUM.is_file() and CHROMEDRIVER.is_file()


def start_chromium(profile: Path) -> Any:
    """A headless chromium in the fresh profile folder ``profile``, its console kept."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.binary_location = str(CHROMIUM)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def set_width(driver: Any, width: int, height: int = 900) -> None:
    """The page's viewport exactly ``width`` CSS pixels wide (a phone at 320)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def screenshot(driver: Any, page: Path, out: Path, width: int, height: int) -> None:
    """``page`` at ``width`` × ``height`` CSS pixels, as a PNG."""
    set_width(driver, width, height)
    driver.get(page.resolve().as_uri())
    out.write_bytes(driver.get_screenshot_as_png())


def main(argv: list[str]) -> int:
    """``webkit.py PAGE PNG [WIDTH HEIGHT]``: a screenshot of a page (the README's)."""
    page, out = Path(argv[0]), Path(argv[1])
    width, height = (int(argv[2]), int(argv[3])) if len(argv) > 3 else (1000, 760)
    profile = Path(tempfile.mkdtemp(prefix="reportkit-chromium-"))
    driver = start_chromium(profile)
    try:
        screenshot(driver, page, out, width, height)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
