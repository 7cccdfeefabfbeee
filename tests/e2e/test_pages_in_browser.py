"""The pages as a coordinator sees them: a real uvicorn server and a real headless Chromium."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, sync_playwright

from services.api.app import create_app
from services.settings import Settings

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    port = free_port()
    data = tmp_path_factory.mktemp("browser-demo")
    app = create_app(Settings(data_dir=data, demo=True))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


def test_a_coordinator_goes_from_the_landing_page_to_an_overdue_referral(base_url, browser):
    page = browser.new_page()
    page.goto(base_url + "/")
    assert "assistance alliance" in page.locator("body").inner_text()
    page.click("text=Referral board")
    page.wait_for_url("**/ui/referrals")
    overdue = page.locator("tr.overdue")
    assert overdue.count() == 1
    assert "disabled-federation" in overdue.inner_text()
    assert (
        page.locator("tr.overdue td").first.evaluate(
            "cell => getComputedStyle(cell.parentElement).color"
        )
        == "rgb(179, 38, 30)"
    )
    page.screenshot(path="var/referral-board.png", full_page=True)
    overdue.locator("a").click()
    page.wait_for_url("**/ui/households/*")
    assert "Referral accepted by disabled-federation" in page.locator("table").inner_text()


def test_the_needs_page_lists_the_demo_needs_most_urgent_first(base_url, browser):
    page = browser.new_page()
    page.goto(base_url + "/ui/needs")
    first_cells = page.locator("tbody tr td:first-child").all_inner_texts()
    assert len(first_cells) >= 10 and first_cells[0] == "critical"


def test_the_api_docs_render_in_the_browser_without_a_network(base_url, browser):
    page = browser.new_page()
    page.goto(base_url + "/docs")
    page.get_by_text("/v1/events").first.wait_for(timeout=15000)
    assert "zhulian" in page.title()
