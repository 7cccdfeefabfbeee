"""What a fresh embedded deployment loads on first start (the demo district), behind one seam."""

from __future__ import annotations

from services.container import Container


def load_first_start(container: Container) -> None:
    """Load the demo district into an empty store; nothing when the store has events."""
    from services.demo import load_demo_if_empty

    load_demo_if_empty(container)


def demo_provider_record() -> str | None:
    """The record id of the demo's provider, for the demo's provider account."""
    from services.demo import demo_provider_record as record_of_demo_provider

    return record_of_demo_provider()
