"""Pure helpers of operations: progress only on a terminal, secret files, log lines, topic rules."""

from __future__ import annotations

import io
import json
import logging

import psycopg
import pytest
from kafka.errors import KafkaConnectionError

from services.exits import Exit, classify
from services.observability.logs import REQUEST_ID, JsonFormatter, redact, request_id_from
from services.progress import ProgressLine
from services.secret_files import SecretFileError, load_secret_files
from services.store.errors import StoreMisconfiguredError, StoreUnavailableError
from services.store.kafka.topic import min_insync_problem, required_min_insync


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_on_a_terminal_and_writes_nothing_into_a_log_file() -> None:
    log_file, terminal = io.StringIO(), Terminal()
    for out in (log_file, terminal):
        line = ProgressLine(out)
        line("needs_list", 500, 0.5)
        line.finish()
        assert line.events == 500
    assert log_file.getvalue() == ""
    assert "needs_list" in terminal.getvalue() and "\r" in terminal.getvalue()


def test_a_secret_comes_from_the_file_its_name_file_setting_names(tmp_path) -> None:
    (tmp_path / "secret").write_text("s3cr3t-from-a-mounted-file\n")
    env = {"ZHULIAN_HOUSEHOLD_SECRET_FILE": str(tmp_path / "secret")}
    assert load_secret_files(env) == ["ZHULIAN_HOUSEHOLD_SECRET"]
    assert env["ZHULIAN_HOUSEHOLD_SECRET"] == "s3cr3t-from-a-mounted-file"


@pytest.mark.parametrize(
    ("content", "also_set", "says"),
    [(None, False, "No such file"), ("", False, "is empty"), ("x" * 20, True, "choose one")],
)
def test_a_missing_empty_or_doubled_secret_file_is_refused(
    tmp_path, content: str | None, also_set: bool, says: str
) -> None:
    path = tmp_path / "database_url"
    if content is not None:
        path.write_text(content)
    env = {"DATABASE_URL_FILE": str(path)}
    if also_set:
        env["DATABASE_URL"] = "postgresql://elsewhere/db"
    with pytest.raises(SecretFileError, match=says):
        load_secret_files(env)


def test_a_json_log_line_carries_the_request_id_and_extra_fields() -> None:
    record = logging.makeLogRecord(
        {"name": "zhulian.ingest", "levelname": "WARNING", "msg": "event refused", "status": 422}
    )
    token = REQUEST_ID.set("req-7")
    try:
        line = json.loads(JsonFormatter().format(record))
    finally:
        REQUEST_ID.reset(token)
    assert line["request_id"] == "req-7" and line["status"] == 422
    assert line["message"] == "event refused" and line["level"] == "warning"


def test_a_refusal_reason_loses_quoted_values_and_registration_numbers() -> None:
    text = redact("'33010619800101001X' does not match; 330106198001010011 is not 'carrier'")
    assert "330106" not in text and "carrier" not in text and "does not match" in text


def test_a_request_id_is_kept_only_when_it_is_a_plain_token() -> None:
    assert request_id_from("abc-DEF_1.2:3") == "abc-DEF_1.2:3"
    assert request_id_from("a b") != "a b" and len(request_id_from(None)) == 32
    assert len(request_id_from("x" * 500)) == 32


def test_three_replicas_need_two_in_sync_and_fewer_need_one() -> None:
    assert [required_min_insync(rf) for rf in (1, 2, 3, 5)] == [1, 1, 2, 2]
    assert min_insync_problem({"min.insync.replicas": "1"}, 3) is not None
    assert min_insync_problem({"min.insync.replicas": "2"}, 3) is None
    assert min_insync_problem({}, 3) is None  # not reported: cannot be judged here


def code(error: Exception) -> Exit | None:
    known = classify(error)
    return known[0] if known else None


def test_expected_failures_map_to_distinct_exit_codes_and_bugs_to_none() -> None:
    assert code(StoreMisconfiguredError("topic has 3 partitions")) == Exit.CONFIG
    assert code(KafkaConnectionError("refused")) == Exit.BROKER
    assert code(psycopg.OperationalError("connection refused")) == Exit.DATABASE
    assert code(StoreUnavailableError("PostgreSQL (DATABASE_URL) is unreachable")) == Exit.DATABASE
    assert code(StoreUnavailableError("Kafka broker x is unreachable")) == Exit.BROKER
    assert code(RuntimeError("a bug")) is None
    assert len({c.value for c in Exit}) == len(Exit)
