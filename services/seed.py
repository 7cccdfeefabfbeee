"""What a fresh embedded deployment loads on first start (the demo district), behind one seam."""

from __future__ import annotations

from services.container import Container


def load_first_start(container: Container) -> None:
    """Load the demo district into an empty store; nothing when the store has events."""
    from services.demo import load_demo_if_empty

    load_demo_if_empty(container)
