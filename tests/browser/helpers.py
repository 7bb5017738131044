"""What every browser test needs: signing in, waiting for the next page, screenshots at both widths."""

from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.factories import PASSWORD

PHONE = (390, 844)
DESKTOP = (1366, 768)
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def sign_in(open_path, username, password=PASSWORD):
    browser = open_path("/login/")
    browser.find_element(By.ID, "id_username").send_keys(username)
    browser.find_element(By.ID, "id_password").send_keys(password)
    with next_page(browser):
        browser.find_element(By.ID, "login-button").click()
    return browser


@contextmanager
def next_page(browser):
    """Wait until what the block does has replaced the page by a new, fully loaded one.

    Marks the old document from JavaScript, so no element reference can go stale under us.
    """
    browser.execute_script("window.__jingzhunOldPage = true")
    yield
    WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,)).until(
        lambda b: b.execute_script("return !window.__jingzhunOldPage && document.readyState === 'complete'")
    )


def wait_for(browser, condition, timeout: float = 10):
    """Wait until condition(browser) is true. An element that htmx swapped out between finding it and reading
    it (stale) or has not put in yet (missing) is only a moment of the page changing: look again."""
    return WebDriverWait(
        browser, timeout, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)
    ).until(condition)


def set_width(browser, size):
    """Make the page's viewport (not the window) this wide and tall, as on the device."""
    width, height = size
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def sideways_overflow(browser) -> int:
    """How many pixels the page is wider than the screen (0 when nothing scrolls sideways)."""
    return browser.execute_script(
        "return Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)"
    )


def screenshots(browser, name: str) -> list[Path]:
    """Save the page at phone and desktop width under var/screenshots/ (test artefacts) and
    return the paths; fails when the page scrolls sideways on the phone."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    paths = []
    try:
        for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
            set_width(browser, size)
            path = SCREENSHOTS / f"{name}-{label}.png"
            browser.save_screenshot(str(path))
            paths.append(path)
            if label == "phone":
                overflow = sideways_overflow(browser)
                assert overflow == 0, f"{name} scrolls {overflow} px sideways at {size[0]} px"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return paths


def whole_page(browser, name: str) -> None:
    """The whole page, not only the screen, at phone and desktop width (artefacts to look at the long tables)."""
    try:
        for label, width in (("phone", PHONE[0]), ("desktop", DESKTOP[0])):
            set_width(browser, (width, 800))
            height = browser.execute_script("return document.documentElement.scrollHeight")
            set_width(browser, (width, min(height, 6000)))
            browser.save_screenshot(str(SCREENSHOTS / f"{name}-{label}-whole.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
