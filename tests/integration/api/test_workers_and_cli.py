"""Workers answer health and metrics on their own port; the CLI fails in one line with a code."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from kafka import KafkaAdminClient

from services.exits import Exit
from tests.support import api_process as api_http
from tests.support.ports import free_port


@contextmanager
def worker(module: str, env: dict[str, str]) -> Iterator[str]:
    """Run a worker with a health port; yield its base URL once /healthz answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", module],
        env={**os.environ, **env, "ZHULIAN_HEALTH_PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
            try:
                if api_http.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"{module} did not answer /healthz"
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_projector_and_the_indexer_serve_readiness_and_metrics(production_env) -> None:
    with worker("services.workers.indexer", production_env) as indexer:
        answer = api_http.get(indexer + "/readyz", timeout=30)
        assert answer.status_code == 200, answer.text
        assert {"broker", "database", "index"} <= set(answer.json()["checks"])
        assert "zhulian_index_lag_records" in api_http.get(indexer + "/metrics").text
    with worker("services.workers.projector", production_env) as projector:
        answer = api_http.get(projector + "/readyz", timeout=30)
        assert answer.status_code == 200 and answer.json()["role"] == "projector"
        assert "zhulian_view_lag_seconds" in api_http.get(projector + "/metrics").text
        port = projector.rsplit(":", 1)[1]  # the container healthcheck, against this worker
        assert (
            run(["-m", "services.probe", "/readyz"], {"ZHULIAN_HEALTH_PORT": port}).returncode == 0
        )
    nobody = {"ZHULIAN_HEALTH_PORT": str(free_port())}
    assert run(["-m", "services.probe", "/healthz"], nobody).returncode == 1


def test_the_topics_step_creates_the_inbox_topics_and_can_run_again(production_env) -> None:
    env = {**production_env, "ZHULIAN_INBOX_TOPIC": production_env["KAFKA_EVENTS_TOPIC"] + ".in"}
    env["KAFKA_EVENTS_PARTITIONS"] = "3"
    for _ in range(2):
        done = run(["-m", "services.workers.topics"], env)
        assert done.returncode == 0, done.stderr[-2000:]
    admin = KafkaAdminClient(bootstrap_servers=env["KAFKA_BOOTSTRAP_SERVERS"])
    try:
        inbox = env["ZHULIAN_INBOX_TOPIC"]
        described = admin.describe_topics([env["KAFKA_EVENTS_TOPIC"], inbox, inbox + ".results"])
    finally:
        admin.close()
    assert [len(t["partitions"]) for t in described] == [3, 3, 3]


def assert_one_line_error(done: subprocess.CompletedProcess[str], code: Exit, says: str) -> None:
    assert done.returncode == code, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("zhulian: error:") and says in last, last


def test_bad_configuration_is_one_line_and_exit_code_3(production_env) -> None:
    env = {**production_env, "ZHULIAN_HOUSEHOLD_SECRET": "REPLACE-ME"}
    assert_one_line_error(run(["-m", "services.cli", "checksums"], env), Exit.CONFIG, "placeholder")
    env = {**production_env, "ZHULIAN_HOUSEHOLD_SECRET_FILE": "/nonexistent/secret"}
    env.pop("ZHULIAN_HOUSEHOLD_SECRET")
    assert_one_line_error(run(["-m", "services.cli", "checksums"], env), Exit.CONFIG, "_FILE")


def test_an_unreachable_broker_is_one_line_and_exit_code_4(production_env) -> None:
    env = {**production_env, "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}"}
    assert_one_line_error(run(["-m", "services.cli", "serve"], env), Exit.BROKER, "Kafka")


def test_an_unreachable_database_is_one_line_and_exit_code_5(production_env) -> None:
    env = {**production_env, "DATABASE_URL": f"postgresql://nobody@127.0.0.1:{free_port()}/none"}
    assert_one_line_error(
        run(["-m", "services.cli", "checksums"], env), Exit.DATABASE, "PostgreSQL"
    )


def test_a_worker_whose_health_port_is_taken_ends_in_one_line_with_exit_code_3(
    production_env,
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        env = {**production_env, "ZHULIAN_HEALTH_HOST": "127.0.0.1", "ZHULIAN_HEALTH_PORT": port}
        done = run(["-m", "services.workers.projector"], env)
    assert done.returncode == Exit.CONFIG and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("zhulian-projector: error:")


def test_an_unknown_view_is_one_line_and_exit_code_6(tmp_path) -> None:
    env = {"ZHULIAN_PROFILE": "embedded", "ZHULIAN_DATA_DIR": str(tmp_path), "ZHULIAN_DEMO": "0"}
    done = run(["-m", "services.cli", "resume", "--view", "no_such_view"], env)
    assert_one_line_error(done, Exit.NOT_FOUND, "no_such_view")
