"""Start and talk to store writer processes (tests/integration/store_processes.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start_writer(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """A writer process with the store env; returns once it printed "ready"."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.store_processes", *args],
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=tempfile.TemporaryFile(),  # noqa: SIM115 (owned by the process object)
        text=True,
        bufsize=1,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if line != "ready":
        process.kill()
        raise RuntimeError(
            f"writer did not start: {line!r} (exit {process.wait()}){_tail(process)}"
        )
    return process


def finish(process: subprocess.Popen[str]) -> None:
    """Close stdin and wait; kill if it hangs."""
    if process.stdin:
        process.stdin.close()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _tail(process: subprocess.Popen[str]) -> str:
    """The end of a process's stderr, for failure messages."""
    err = process.stderr
    if err is None:
        return ""
    err.seek(0)
    data = err.read()
    text = data.decode(errors="replace") if isinstance(data, bytes) else str(data)
    return "\n--- stderr ---\n" + text[-3000:]
