"""A view: its tables and the pure handlers that turn events into row changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Protocol

from projections.runtime.tables import Table

Row = dict[str, Any]


class Tx(Protocol):
    """Row operations a handler may perform inside the view's transaction."""

    def get(self, table: str, **key: Any) -> Row | None: ...

    def upsert(self, table: str, row: Row) -> None: ...

    def update(self, table: str, key: Row, **changes: Any) -> None: ...

    def delete(self, table: str, **key: Any) -> None: ...

    def find(self, table: str, **where: Any) -> list[Row]:
        """Rows whose columns equal the given values; a list or tuple value means "one of"."""
        ...


Handler = Callable[[Any, Tx, int], None]


class HandlerFailed(RuntimeError):
    """A handler raised on one event; carries the event's log position."""

    def __init__(self, position: int, event_type: str, cause: BaseException) -> None:
        super().__init__(f"{event_type} at position {position}: {cause!r}")
        self.position = position
        self.event_type = event_type
        self.cause = cause


class View:
    """Base of every view: subclasses declare `tables` and map event classes to handlers."""

    name: ClassVar[str]
    schema_version: ClassVar[int] = 1
    tables: ClassVar[tuple[Table, ...]]

    def handlers(self) -> dict[type, Handler]:
        """Event class → handler(event, tx, position). Events not listed are skipped."""
        raise NotImplementedError

    def table_names(self) -> tuple[str, ...]:
        """The names of this view's tables."""
        return tuple(t.name for t in self.tables)
