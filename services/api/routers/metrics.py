"""Prometheus metrics: projection positions, lag and stops, in the text exposition format."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from projections.alerts.queries import feed_report
from services.api.deps import ContainerDep
from services.errors import store_halt

router = APIRouter(tags=["operations"])

_HELP = {
    "zhulian_log_head": ("gauge", "Newest notification id in the event log"),
    "zhulian_view_position": ("gauge", "Last notification id a view applied, per stream"),
    "zhulian_view_lag_events": ("gauge", "Events recorded but not yet applied to a view"),
    "zhulian_view_lag_seconds": ("gauge", "Age of the oldest event a view has not applied"),
    "zhulian_view_stopped": ("gauge", "1 when a view is stopped at a poison event"),
    "zhulian_feed_silent": ("gauge", "1 when a department list is overdue for its cadence"),
    "zhulian_feed_skipped_editions": ("gauge", "Editions a department list skipped"),
    "zhulian_view_stopped_position": (
        "gauge",
        "Log position of the event a view stopped at, per stream, with the event's type",
    ),
    "zhulian_store_halted": ("gauge", "1 when the event store refuses writes (log went back)"),
}


@router.get("/metrics", response_class=PlainTextResponse, summary="Prometheus metrics")
def metrics(container: ContainerDep) -> PlainTextResponse:
    """Projection lag and health for scraping."""
    now = container.clock()
    stops = container.store.stopped()
    stopped = {s.view for s in stops}
    samples: dict[str, list[str]] = {name: [] for name in _HELP}
    samples["zhulian_log_head"].append(f"zhulian_log_head {container.runner.head()}")
    for view in container.views:
        label = f'view="{view.name}"'
        for stream, position in sorted(container.store.positions(view).items()):
            samples["zhulian_view_position"].append(
                f'zhulian_view_position{{{label},stream="{stream}"}} {position}'
            )
        lag = container.runner.lag(view, now)
        samples["zhulian_view_lag_events"].append(
            f"zhulian_view_lag_events{{{label}}} {lag.events}"
        )
        samples["zhulian_view_lag_seconds"].append(
            f"zhulian_view_lag_seconds{{{label}}} {lag.seconds:.3f}"
        )
        samples["zhulian_view_stopped"].append(
            f"zhulian_view_stopped{{{label}}} {int(view.name in stopped)}"
        )
    for feed in feed_report(container.store, now=now):
        label = ",".join(f'{k}="{feed[k]}"' for k in ("alliance", "department", "list_name"))
        samples["zhulian_feed_silent"].append(
            f"zhulian_feed_silent{{{label}}} {int(feed['silent'])}"
        )
        samples["zhulian_feed_skipped_editions"].append(
            f"zhulian_feed_skipped_editions{{{label}}} {len(feed['skipped_editions'])}"
        )
    for s in stops:
        samples["zhulian_view_stopped_position"].append(
            f'zhulian_view_stopped_position{{view="{s.view}",stream="{s.stream}",'
            f'event_type="{_label(s.event_type)}"}} {s.position}'
        )
    halted = int(store_halt(container.app) is not None)
    samples["zhulian_store_halted"].append(f"zhulian_store_halted {halted}")
    lines = []
    for name, (kind, text) in _HELP.items():
        lines += [f"# HELP {name} {text}", f"# TYPE {name} {kind}", *samples[name]]
    return PlainTextResponse("\n".join(lines) + "\n", media_type="text/plain; version=0.0.4")


def _label(value: str) -> str:
    """A Prometheus label value, escaped."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
