"""The zhulian command: serve the API, rebuild views, load the demo."""

from __future__ import annotations

import argparse
import logging
import time

from services.settings import Settings


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    from services.api.app import create_app

    uvicorn.run(create_app(Settings()), host=args.host, port=args.port, log_level="info")


def _rebuild(args: argparse.Namespace) -> None:
    from services.container import Container

    container = Container(Settings(demo=False))
    try:
        for view in container.views:
            if args.view and view.name != args.view:
                continue
            started = time.perf_counter()
            applied = container.runner.rebuild(view)
            elapsed = time.perf_counter() - started
            rate = applied / elapsed if elapsed else 0.0
            print(
                f"{view.name}: {applied} events in {elapsed:.2f}s ({rate:,.0f} events/s)"
                f" checksum {container.store.checksum(view)}"
            )
    finally:
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


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `zhulian` command."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    parser = argparse.ArgumentParser(prog="zhulian", description=__doc__)
    commands = parser.add_subparsers(required=True)
    serve = commands.add_parser("serve", help="run the API (profile from ZHULIAN_PROFILE)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=_serve)
    rebuild = commands.add_parser("rebuild", help="replay views from the start of the log")
    rebuild.add_argument("--view", help="only this view")
    rebuild.set_defaults(run=_rebuild)
    checksums = commands.add_parser("checksums", help="print a checksum per view")
    checksums.set_defaults(run=_checksums)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
