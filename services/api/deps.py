"""Request dependencies: the process's container and its parts."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.container import Container


def get_container(request: Request) -> Container:
    """The container built at start-up."""
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]
