"""What the browser tests share: the demo district served by a real uvicorn on a free port, and
a real headless Chromium (Debian's package) with axe-core beside it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser, sync_playwright

from services.api.app import create_app
from services.settings import Settings

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parents[2] / ".venv/node/node_modules/axe-core/axe.min.js"
SHOTS = Path("var/screenshots")
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


@contextmanager
def served_demo(data_dir: Path) -> Iterator[tuple[str, Any]]:
    """The demo district's app served by uvicorn in a thread: its base URL and the app. Logins
    are cheap and unthrottled (every test's browser signs in afresh)."""
    port = free_port()
    settings = Settings(
        data_dir=data_dir, demo=True, argon2_time_cost=1, argon2_memory_kib=32, login_burst=10_000
    )
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Chromium; a missing browser or axe-core fails (never skips) the tests."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs the npm package axe-core")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
