"""Events built by the official CloudEvents Python SDK get the same answer in every mode."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

from cloudevents.core.bindings import http as ce_http
from cloudevents.core.bindings import kafka as ce_kafka
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent

from services.api.app import create_app
from services.settings import Settings
from services.workers.inbox import result_for
from tests.builders import discovered, need_raised
from tests.support.signed_in import SignedIn

FORMAT = JSONFormat()
_numbers = count(10)
Send = Callable[[Any, CloudEvent], dict[str, Any]]


def sdk_event(kind: str, data: dict[str, Any], **attributes: Any) -> CloudEvent:
    return CloudEvent(
        {
            "type": f"cn.zhulian.{kind}.v1",
            "source": "/330106/sdk",
            "id": f"sdk-{next(_numbers)}",
            "datacontenttype": "application/json; charset=utf-8",
            **attributes,
        },
        data,
    )


def _answer(status: int, body: dict[str, Any]) -> dict[str, Any]:
    if "problem" in body:  # a batch item
        body = body["problem"]
    if "errors" in body:
        return {"status": status, "errors": body["errors"]}
    return {"status": status, "result": body["result"], "record": body["record"]}


def http_structured(client, event: CloudEvent) -> dict[str, Any]:
    message = ce_http.to_structured(event, FORMAT)
    response = client.post("/v1/events", content=message.body, headers=message.headers)
    return _answer(response.status_code, response.json())


def http_binary(client, event: CloudEvent) -> dict[str, Any]:
    message = ce_http.to_binary(event, FORMAT)
    response = client.post("/v1/events", content=message.body, headers=message.headers)
    return _answer(response.status_code, response.json())


def http_batch(client, event: CloudEvent) -> dict[str, Any]:
    body = b"[" + FORMAT.write(event) + b"]"
    response = client.post(
        "/v1/events", content=body, headers={"content-type": "application/cloudevents-batch+json"}
    )
    item = response.json()["results"][0]
    return _answer(item["status"], item)


def _kafka(client, message: ce_kafka.KafkaMessage) -> dict[str, Any]:
    ingestor = client.app.state.container.ingestor
    result = result_for(ingestor, message.value, list(message.headers.items()))
    return _answer(result.status, result.as_json())


def kafka_structured(client, event: CloudEvent) -> dict[str, Any]:
    return _kafka(client, ce_kafka.to_structured(event, FORMAT))


def kafka_binary(client, event: CloudEvent) -> dict[str, Any]:
    return _kafka(client, ce_kafka.to_binary(event, FORMAT))


MODES: list[Send] = [http_structured, http_binary, http_batch, kafka_structured, kafka_binary]


def story(client, send: Send) -> list[dict[str, Any]]:
    """A discovery, its resend, a need, a bad need, and a conditional change at a wrong version."""
    number = "330106198001010011"
    first = sdk_event("household.discovered", discovered(number))
    need = sdk_event("need.raised", need_raised(number), traceparent="00-abc-def-01")
    answers = [send(client, first), send(client, first), send(client, need)]
    answers.append(send(client, sdk_event("need.raised", need_raised(number, urgency="soon"))))
    answers.append(
        send(client, sdk_event("household.discovered", discovered(number), expectedversion=1.9))
    )
    return answers


def test_every_mode_of_the_sdk_gets_the_same_answers(tmp_path) -> None:
    seen = []
    for index, send in enumerate(MODES):
        settings = Settings(data_dir=tmp_path / str(index), demo=False)
        with SignedIn(create_app(settings)) as client:
            seen.append(story(client, send))
    assert [a["status"] for a in seen[0]] == [201, 200, 201, 422, 422]
    assert seen[0][3]["errors"][0]["field"] == "data.urgency"
    assert seen[0][4]["errors"][0]["field"] == "expectedversion"
    for send, answers in zip(MODES, seen, strict=True):
        assert answers == seen[0], send.__name__
