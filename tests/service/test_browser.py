"""End-to-end in headless Chromium: a manager's week, a staff member's form, a refused roster.

Runs against a real server on the loopback interface. Skipped when Chromium or its driver
is missing, unless ``CI=true`` (then their absence fails the run).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from service_helpers import BRANCH, PASSWORD, WEEK, seed, settings_for

CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _have_browser() -> bool:
    if not (Path(CHROMIUM).exists() and (Path(DRIVER).exists() or shutil.which("chromedriver"))):
        return False
    try:
        import selenium  # noqa: F401
    except ImportError:
        return False
    return True


if not _have_browser():
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium, chromedriver and selenium are required in CI", pytrace=False)
    pytest.skip(
        "headless Chromium (chromium, chromedriver, selenium) not available",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A seeded service served by uvicorn on a free loopback port."""
    import uvicorn

    from scheduler.service import RosterService, create_app

    svc = RosterService(settings_for(tmp_path_factory.mktemp("browser")))
    seed(svc)
    config = uvicorn.Config(
        create_app(svc.settings, svc), host="127.0.0.1", port=0, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    port = srv.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(15)


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium driven through chromedriver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _login(driver: Any, base: str, username: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{base}/login")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "login").click()
    WebDriverWait(driver, 30).until(lambda d: "/login" not in d.current_url)


def _wait_for(driver: Any, element_id: str, timeout: float = 120.0) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(
        expected_conditions.presence_of_element_located((By.ID, element_id))
    )


def _gone(element: Any) -> Any:
    """A wait condition: ``element`` has left the page.

    Selenium's ``staleness_of`` expects a stale-element error; Chrome raises others while the
    page that held the element is being replaced ("Node with given id does not belong to the
    document"), which mean the same.
    """
    from selenium.common.exceptions import WebDriverException

    def check(_driver: Any) -> bool:
        try:
            element.is_enabled()
        except WebDriverException:
            return True
        return False

    return check


def test_manager_runs_pins_re_solves_and_downloads(server: str, browser: Any) -> None:
    """A manager runs the week, pins a person off, re-solves and downloads the workbook."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    _login(browser, server, "manager")
    browser.get(f"{server}/manager?week={WEEK}")
    browser.find_element(By.ID, "run").click()
    _wait_for(browser, "grid")
    assert "王建国" in browser.find_element(By.ID, "grid").text
    Select(browser.find_element(By.ID, "pin-staff")).select_by_value("S03")
    Select(browser.find_element(By.ID, "pin-date")).select_by_value("2026-12-03")
    Select(browser.find_element(By.ID, "pin-what")).select_by_value("off")
    first_grid = browser.find_element(By.ID, "grid")
    browser.find_element(By.ID, "pin").click()
    # The re-solve opens the job page first: wait for the old grid to go, then the new one.
    WebDriverWait(browser, 30).until(_gone(first_grid))
    _wait_for(browser, "grid")
    assert "S03 2026-12-03" in browser.page_source
    row = next(
        r for r in browser.find_elements(By.CSS_SELECTOR, "#grid tr") if r.text.startswith("S03")
    )
    cells = row.find_elements(By.TAG_NAME, "td")
    assert cells[3].text.splitlines()[0] == "—"  # Thursday 12-03 off
    href = browser.find_element(By.ID, "download").get_attribute("href")
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    workbook = httpx.get(href, cookies=cookies)
    assert workbook.status_code == 200
    assert workbook.content[:2] == b"PK"


def test_staff_submits_availability(server: str, browser: Any) -> None:
    """A staff member declares a day off through the form and sees it saved."""
    from selenium.webdriver.common.by import By

    _login(browser, server, "s04")
    browser.get(f"{server}/staff?week=2026-W50")
    date = browser.find_element(By.ID, "av-date")
    browser.execute_script("arguments[0].value = '2026-12-09'", date)
    browser.find_element(By.ID, "av-send").click()
    assert _wait_for(browser, "message", 30).text == "已保存"


def test_staff_cannot_open_another_branchs_roster(server: str, browser: Any) -> None:
    """A staff member of another branch gets 403 for this branch's roster."""
    from selenium.webdriver.common.by import By

    _login(browser, server, "other_s01")
    browser.get(f"{server}/v1/branches/{BRANCH}/weeks/{WEEK}/history")
    assert "has no access to branch SH-PD-001" in browser.find_element(By.TAG_NAME, "body").text
