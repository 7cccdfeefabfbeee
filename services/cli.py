"""The zhulian command: serve the API, rebuild views, load the demo.

Expected failures end with one line and an exit code of services.exits.Exit (README).
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from services import exits
from services.auth import cli as auth_cli
from services.observability import logs
from services.secret_files import load_secret_files
from services.settings import Settings


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    from services.api.app import create_app
    from services.container import Container
    from services.gc_tuning import tune_after_start_up

    # Built before the server starts, so a bad setting or an unreachable part is one clear line.
    container = Container(Settings(), serving=True)
    tune_after_start_up()
    uvicorn.run(create_app(container=container), host=args.host, port=args.port, log_config=None)


def _rebuild(args: argparse.Namespace) -> None:
    from projections.runtime.replay import rebuild_and_swap
    from services.container import Container
    from services.progress import ProgressLine

    container = Container(Settings(demo=False))
    halted = []
    try:
        for view in _chosen(container, args.view):
            line = ProgressLine()
            applied = rebuild_and_swap(container.runner, view, line)
            rate = line.finish()
            print(
                f"{view.name}: {line.events} events ({applied} applied), {rate:,.0f} events/s,"
                f" checksum {container.store.checksum(view)}"
            )
            for stop in container.store.stopped():
                if stop.view == view.name:
                    halted.append(stop)
                    print(
                        f"{view.name}: STOPPED at log position {stop.position} (stream"
                        f" {stop.stream}, {stop.event_type} {stop.event_id}): {stop.error}\n"
                        f"  everything before it is applied; fix the cause, then"
                        f" `zhulian resume --view {view.name}`"
                    )
    finally:
        container.close()
    if halted:
        raise SystemExit(1)


def _chosen(container: Any, name: str | None) -> list[Any]:
    views = [v for v in container.views if name in (None, v.name)]
    if not views:
        known = ", ".join(v.name for v in container.views)
        raise exits.NotFoundError(f"no view {name!r}; the views are: {known}")
    return views


def _resume(args: argparse.Namespace) -> None:
    from services.container import Container

    container = Container(Settings(demo=False))
    try:
        _chosen(container, args.view)
        resumed = container.store.resume(args.view)
        print(f"{args.view}: {resumed} stopped stream(s) cleared; runners retry the event now")
    finally:
        container.close()


def _as_of(args: argparse.Namespace) -> None:
    import orjson

    from projections.runtime.replay import build_as_of, compare
    from services.container import Container

    container = Container(Settings(demo=False))
    views = _chosen(container, args.view)
    built = []
    try:
        for instant in args.at:
            built.append(build_as_of(container.runner, views, instant, args.by))
            for view in views:
                rows = sum(
                    len(built[-1].fetch(f"SELECT * FROM {t.name}", {}, t.name)) for t in view.tables
                )
                print(
                    f"{instant.isoformat()} {args.by} {view.name}: {rows} rows,"
                    f" checksum {built[-1].checksum(view)}"
                )
        if len(built) == 2:
            for view in views:
                diff = compare(built[0], built[1], view)
                # The operator holds the master key: personal fields shown in clear (or erased).
                body = container.revealer.for_caller(None).value(
                    {t: vars(d) for t, d in diff.items()}
                )
                print(orjson.dumps({view.name: body}, option=orjson.OPT_INDENT_2).decode())
    finally:
        for scratch in built:
            container.store.drop_scratch(scratch)
        container.close()


def _checksums(_: argparse.Namespace) -> None:
    from services.container import Container

    container = Container(Settings(demo=False))
    try:
        container.runner.catch_up()
        for view in container.views:
            print(f"{view.name} {container.store.checksum(view)}")
    finally:
        container.close()


def _index(args: argparse.Namespace) -> None:
    from services.store.kafka import operator

    settings = operator.settings_from_environment()
    if args.action == "check":
        halted = operator.check_lineage(settings)
        if halted:
            raise SystemExit(f"writes stay refused: {halted}")
        print(f"the broker holds the log the index was built from ({settings.topic}); writes open")
        return
    checksum = operator.accept_reset(settings)
    print(f"index rebuilt from the broker's log as it is now (checksum {checksum}); views next:")
    _rebuild(argparse.Namespace(view=None))


def _verify(args: argparse.Namespace) -> None:
    import orjson

    from services.container import Container
    from services.transparency.verify import verify_log, verify_store

    container = Container(Settings(demo=False))
    try:
        tlog = container.transparency
        if args.sign:
            tlog.publish()
        reports = verify_store(tlog)
        kafka = getattr(container.app.recorder, "store", None)
        if kafka is not None:  # production: the Kafka log itself, not only its index
            from services.transparency.kafka_log import partition_events

            reports += [
                verify_log(tlog, r.log, partition_events(kafka.settings, r.log), "kafka")
                for r in reports
            ]
    finally:
        container.close()
    for report in reports:
        print(orjson.dumps(report.as_json()).decode())
    bad = [r for r in reports if not r.ok]
    for r in bad:
        f = r.findings[0]
        print(
            f"log {r.log} ({r.source}): position {f.position}, notification {f.notification_id},"
            f" aggregate {f.aggregate} v{f.version}: {f.problem}"
        )
    if bad:
        raise SystemExit(1)
    print(f"verified: {sum(r.events for r in reports)} records in {len(reports)} log(s)")


def _rewrap_keys(_: argparse.Namespace) -> None:
    from services.privacy.setup import open_key_store

    keys = open_key_store(Settings(demo=False))
    try:
        print(f"rewrapped {keys.rewrap()} data key(s) under master key {keys.wrapper.current_id}")
    finally:
        keys.close()


def _new_secret(_: argparse.Namespace) -> None:
    from services.secrets import new_secret

    print(new_secret())


def _instant(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} needs a UTC offset, e.g. +08:00")
    return value


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `zhulian` command."""
    logs.configure()
    parser = argparse.ArgumentParser(prog="zhulian", description=__doc__)
    commands = parser.add_subparsers(required=True)
    serve = commands.add_parser("serve", help="run the API (profile from ZHULIAN_PROFILE)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=_serve)
    rebuild = commands.add_parser("rebuild", help="replay views from the start of the log")
    rebuild.add_argument("--view", help="only this view")  # into fresh tables, then swapped in
    rebuild.set_defaults(run=_rebuild)
    checksums = commands.add_parser("checksums", help="print a checksum per view")
    checksums.set_defaults(run=_checksums)
    resume = commands.add_parser("resume", help="resume a view stopped at a poison event")
    resume.add_argument("--view", required=True)
    resume.set_defaults(run=_resume)
    index = commands.add_parser(
        "index", help="production: re-check the broker's log, or accept it after it went back"
    )
    index.add_argument("action", choices=["check", "accept-reset"])
    index.set_defaults(run=_index)
    as_of = commands.add_parser(
        "as-of", help="build views as they stood at an instant (two instants: compare them)"
    )
    as_of.add_argument("--at", required=True, nargs="+", type=_instant, metavar="ISO_TIME")
    as_of.add_argument("--by", choices=["recorded", "occurred"], default="recorded")
    as_of.add_argument("--view", help="only this view")
    as_of.set_defaults(run=_as_of)
    verify = commands.add_parser(
        "verify", help="recompute the log and the index against the signed tree heads"
    )
    verify.add_argument("--sign", action="store_true", help="sign fresh heads first")
    verify.set_defaults(run=_verify)
    rewrap = commands.add_parser(
        "rewrap-keys", help="rewrap every household data key under the current master key"
    )
    rewrap.set_defaults(run=_rewrap_keys)
    secret = commands.add_parser("new-secret", help="print 32 random bytes for a secret")
    secret.set_defaults(run=_new_secret)
    auth_cli.install(commands)
    args = parser.parse_args(argv)

    def command() -> None:
        load_secret_files()
        args.run(args)

    exits.run(command)


if __name__ == "__main__":
    main()
