"""Writer processes for the multi-process store tests (run as `python -m` with a store env).

race <originator_id> <name>   per stdin line "N": append version N; print "N won|conflict"
burst <count> <name>          append <count> commits of 2 events; print "ack <id>" per commit
"""

from __future__ import annotations

import os
import sys
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError, StoredEvent

from services.store.kafka import KafkaFactory
from services.store.kafka.recorder import KafkaApplicationRecorder


def _recorder() -> tuple[KafkaFactory, KafkaApplicationRecorder]:
    factory = KafkaFactory(dict(os.environ))
    recorder = factory.application_recorder()
    assert isinstance(recorder, KafkaApplicationRecorder)
    return factory, recorder


def race(originator_id: UUID, name: str) -> None:
    """Append the version the parent names, as fast as it names them."""
    factory, recorder = _recorder()
    print("ready", flush=True)
    for line in sys.stdin:
        version = int(line)
        event = StoredEvent(originator_id, version, "Raced", f'{{"by":"{name}"}}'.encode())
        try:
            recorder.insert_events([event])
            print(f"{version} won", flush=True)
        except IntegrityError:
            print(f"{version} conflict", flush=True)
    factory.close()


def burst(count: int, name: str) -> None:
    """Append commits of a new aggregate each, reporting every acknowledged one at once."""
    factory, recorder = _recorder()
    print("ready", flush=True)
    for i in range(count):
        oid = uuid4()
        state = f'{{"by":"{name}","n":{i}}}'.encode()
        recorder.insert_events(
            [StoredEvent(oid, 1, "Opened", state), StoredEvent(oid, 2, "Noted", state)]
        )
        print(f"ack {oid}", flush=True)
    factory.close()


def main() -> None:
    """Dispatch on the first argument."""
    mode, *args = sys.argv[1:]
    if mode == "race":
        race(UUID(args[0]), args[1])
    elif mode == "burst":
        burst(int(args[0]), args[1])
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
