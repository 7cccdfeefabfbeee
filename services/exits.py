"""Exit codes and one-line errors for the command line and the workers.

Expected failures (bad configuration, an unreachable broker or database, an unknown name) end
with one line on stderr and a distinct exit code, never a traceback; anything else is a bug and
keeps its traceback (exit 1).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from enum import IntEnum

import psycopg
from eventsourcing.persistence import OperationalError
from kafka.errors import KafkaError
from psycopg_pool import PoolTimeout
from pydantic import ValidationError

from services.observability.server import HealthPortError
from services.secret_files import SecretFileError
from services.store.errors import StoreMisconfiguredError

log = logging.getLogger("zhulian")


class Exit(IntEnum):
    """The documented exit codes (README, "Command line")."""

    OK = 0
    BUG = 1  # unexpected: a traceback is printed
    USAGE = 2  # argparse: unknown command or option
    CONFIG = 3  # configuration missing or invalid
    BROKER = 4  # the Kafka broker cannot be reached or refused the request
    DATABASE = 5  # PostgreSQL cannot be reached
    NOT_FOUND = 6  # a named view (or other thing) does not exist
    INTERRUPTED = 130  # Ctrl-C


class NotFoundError(LookupError):
    """A name given on the command line names nothing."""


def classify(error: BaseException) -> tuple[Exit, str] | None:
    """The exit code and the one line for an expected failure; None for a bug."""
    if isinstance(error, ValidationError):
        first = error.errors()[0] if error.errors() else {"msg": str(error), "loc": ()}
        where = ".".join(str(p) for p in first.get("loc", ()))
        message = str(first["msg"]).removeprefix("Value error, ")
        return Exit.CONFIG, f"configuration: {where + ': ' if where else ''}{message}"
    if isinstance(error, SecretFileError | StoreMisconfiguredError | HealthPortError):
        return Exit.CONFIG, f"configuration: {_line(error)}"
    if isinstance(error, NotFoundError):
        return Exit.NOT_FOUND, _line(error)
    if isinstance(error, KafkaError):
        return Exit.BROKER, f"Kafka broker unreachable: {type(error).__name__}: {_line(error)}"
    if isinstance(error, psycopg.OperationalError | PoolTimeout):
        return Exit.DATABASE, f"PostgreSQL unreachable: {_line(error)}"
    if isinstance(error, OperationalError):
        text = _line(error)
        if "PostgreSQL" in text or "DATABASE_URL" in text:
            return Exit.DATABASE, text
        return Exit.BROKER, text
    return None


def run(main: Callable[[], None], prog: str = "zhulian") -> None:
    """Run main(); exit with a one-line message and a distinct code on an expected failure."""
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(Exit.INTERRUPTED)
    except Exception as error:
        known = classify(error) or classify(error.__cause__ or error.__context__ or error)
        if known is None:
            raise
        code, message = known
        log.debug("failure details", exc_info=True)
        print(f"{prog}: error: {message}", file=sys.stderr)
        sys.exit(code)


def _line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text[:500] if text else type(error).__name__
