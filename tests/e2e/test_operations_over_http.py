"""Operations over HTTP on the embedded profile: request ids, refusal logs, metrics, readiness."""

from __future__ import annotations

import logging
import re

import pytest

from tests.builders import cloud_event, discovered
from tests.e2e.conftest import post_event

NUMBER = "330106198001010011"


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample in a Prometheus text exposition (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = rf"^{re.escape(name)}(?:\{{([^}}]*)\}})? (\S+)$"
    for found, value in re.findall(pattern, text, re.MULTILINE):
        if all(part in (found or "").split(",") for part in wanted.split(",") if part):
            return float(value)
    return 0.0


def test_a_request_id_is_echoed_when_given_and_made_when_not(client) -> None:
    given = client.get("/v1/needs", headers={"X-Request-ID": "dept-abc-123"})
    assert given.headers["x-request-id"] == "dept-abc-123"
    made = client.get("/v1/needs")
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])
    unsafe = client.get("/v1/needs", headers={"X-Request-ID": "bad id\twith spaces"})
    assert unsafe.headers["x-request-id"] != "bad id\twith spaces"


def test_every_refused_event_is_logged_with_its_request_id_and_reason_but_no_personal_data(
    client, caplog: pytest.LogCaptureFixture
) -> None:
    event = cloud_event("household.discovered", discovered(NUMBER, channel="carrier_pigeon"))
    with caplog.at_level(logging.INFO):
        answer = client.post(
            "/v1/events",
            json=event,
            headers={"content-type": "application/cloudevents+json", "X-Request-ID": "req-42"},
        )
    assert answer.status_code == 422 and answer.headers["x-request-id"] == "req-42"
    refused = [r for r in caplog.records if r.getMessage().startswith("event refused")]
    assert len(refused) == 1
    record = refused[0]
    assert record.request_id == "req-42"  # type: ignore[attr-defined]
    assert record.event_id == event["id"] and record.status == 422  # type: ignore[attr-defined]
    assert "channel" in " ".join(record.fields)  # type: ignore[attr-defined]
    assert NUMBER not in caplog.text and "carrier_pigeon" not in caplog.text
    access = [r for r in caplog.records if r.name == "zhulian.http"]
    assert any(getattr(r, "request_id", None) == "req-42" for r in access)


def test_each_refused_item_of_a_batch_is_logged_with_its_index(
    client, caplog: pytest.LogCaptureFixture
) -> None:
    good = cloud_event("household.discovered", discovered())
    bad = cloud_event("household.discovered", discovered(channel="nowhere"))
    with caplog.at_level(logging.INFO):
        client.post(
            "/v1/events",
            json=[good, bad],
            headers={"content-type": "application/cloudevents-batch+json", "X-Request-ID": "b-1"},
        )
    refused = [r for r in caplog.records if r.getMessage().startswith("event refused")]
    assert [(r.request_id, r.batch_index) for r in refused] == [("b-1", 1)]  # type: ignore[attr-defined]


def test_metrics_name_requests_ingest_outcomes_and_the_process_and_they_move(client) -> None:
    before = client.get("/metrics").text
    post_event(client, cloud_event("household.discovered", discovered()))
    post_event(client, cloud_event("household.discovered", discovered(channel="nowhere")))
    after = client.get("/metrics").text
    assert "# TYPE zhulian_http_request_duration_seconds histogram" in after
    assert "# TYPE zhulian_kafka_produce_seconds histogram" in after
    assert "process_cpu_seconds_total" in after or "python_gc_objects_collected_total" in after
    assert "zhulian_view_lag_seconds" in after and "zhulian_ready 1.0" in after
    for labels in ({"outcome": "stored"}, {"outcome": "refused", "reason": "Invalid event"}):
        grew = metric(after, "zhulian_ingest_events_total", **labels) - metric(
            before, "zhulian_ingest_events_total", **labels
        )
        assert grew == 1, labels
    route = {"method": "POST", "route": "/v1/events", "status": "201"}
    assert metric(after, "zhulian_http_requests_total", **route) > metric(
        before, "zhulian_http_requests_total", **route
    )


def test_liveness_and_readiness_answer_200_on_a_working_service(client) -> None:
    assert client.get("/healthz").json() == {"status": "alive"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    assert client.get("/v1/health").status_code == 200


def test_a_stopped_view_makes_readiness_and_health_503_with_retry_after(client) -> None:
    post_event(client, cloud_event("household.discovered", discovered()))
    store = client.app.state.container.store
    with store._transaction() as cur:  # the very row state a failing handler leaves
        cur.execute(
            "UPDATE view_positions SET stopped_at = 1, stopped_error = 'boom' WHERE view = ?",
            ("needs_list",),
        )
    client.app.state.readiness._cached = None
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.headers["retry-after"]
    assert "needs_list" in ready.json()["checks"]["views"]["detail"]
    health = client.get("/v1/health")
    assert health.status_code == 503 and health.json()["status"] == "degraded"
    assert health.json()["views"]["needs_list"]["stopped"]["error"] == "boom"
    store.resume("needs_list")
    client.app.state.readiness._cached = None
    assert client.get("/readyz").status_code == 200
