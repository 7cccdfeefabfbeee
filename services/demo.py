"""The demo district: the reports' stories as CloudEvents files, published through ingest.

The files (`demo/*.json`, listed in `demo/manifest.json`) are batches exactly as a department
would send them. On load every event time is moved by (now − the manifest's anchor), so the
stories keep their ages: an overdue referral is overdue on every first start.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from domain.ingest.model import EventKey
from services.ingest.service import Ingestor

if TYPE_CHECKING:
    from services.container import Container

log = logging.getLogger(__name__)
DEMO_DIR = Path(__file__).resolve().parents[1] / "demo"


def demo_events(now: datetime, directory: Path = DEMO_DIR) -> list[list[dict[str, Any]]]:
    """The demo's batches in order, their times moved to end near `now`."""
    manifest = orjson.loads((directory / "manifest.json").read_bytes())
    shift = now - datetime.fromisoformat(manifest["anchor"])
    batches = []
    for name in manifest["files"]:
        events: list[dict[str, Any]] = orjson.loads((directory / name).read_bytes())
        for event in events:
            if "time" in event:
                event["time"] = (datetime.fromisoformat(event["time"]) + shift).isoformat()
        batches.append(events)
    return batches


DEMO_PROVIDER = "Xinyuan social-work centre"  # the provider the demo's provider account is


def demo_provider_record(name: str = DEMO_PROVIDER, directory: Path = DEMO_DIR) -> str | None:
    """The record id the demo's events give the provider registered under `name` (the id a
    retry-safe creation derives from the event's source and id)."""
    for batch in demo_events(datetime.now().astimezone(), directory):
        for event in batch:
            data = event.get("data") or {}
            registered = event["type"].startswith("cn.zhulian.provider.registered.")
            if registered and str(data.get("name", "")).startswith(name):
                key = EventKey(event["source"], event["id"], event["type"], "")
                return str(key.derived_id("provider"))
    return None


def load_demo(container: Container, directory: Path = DEMO_DIR) -> int:
    """Publish every demo event as if it had arrived when it happened (so deadlines judged on
    recorded time see the stories' ages); a refused event is a broken demo, said loudly."""
    now = container.clock()
    arrived = [now]
    ingestor = Ingestor(container.app, container.keyring, lambda: arrived[0], keys=container.keys)
    count = 0
    for batch in demo_events(now, directory):
        for event in batch:
            arrived[0] = datetime.fromisoformat(event["time"]) if "time" in event else now
            result = ingestor.submit(event)
            if result.problem is not None:
                raise RuntimeError(f"demo event {result.id} was refused: {result.problem}")
            count += 1
    return count


def load_demo_if_empty(container: Container) -> bool:
    """Load the demo district on first start only."""
    if container.app.recorder.max_notification_id():
        return False
    count = load_demo(container)
    log.info("demo district loaded: %d events", count)
    return True
