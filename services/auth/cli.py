"""`zhulian admin …`: create, rotate and revoke credentials from a shell (bootstrapping a
production deployment, where nothing is created on its own)."""

from __future__ import annotations

import argparse
import getpass
import json

from services.auth.authority import Authority, CredentialRefused
from services.auth.principal import Role
from services.settings import Settings


def _by() -> str:
    return f"cli:{getpass.getuser()}"


def _run(args: argparse.Namespace) -> None:
    authority = Authority(Settings())
    try:
        if args.action == "create-client":
            secret = authority.create_client(
                _by(),
                client_id=args.client_id,
                role=args.role,
                department=args.department,
                provider=args.provider,
                provider_record=args.provider_record,
                region=args.region,
                sources=args.source or [],
                event_types=args.event_type or [],
            )
            print(json.dumps({"client_id": args.client_id, "client_secret": secret}))
        elif args.action == "create-account":
            password = authority.create_account(
                _by(), name=args.name, role=args.role, region=args.region,
                department=args.department, provider=args.provider,
                provider_record=args.provider_record,
            )  # fmt: skip
            print(json.dumps({"name": args.name, "password": password}))
        elif args.action == "rotate":
            rotated = authority.rotate(args.kind, args.key, _by())
            if rotated is None:
                raise SystemExit(f"no active {args.kind} {args.key}")
            print(json.dumps({args.kind: args.key, "secret": rotated}))
        else:
            if not authority.revoke(args.kind, args.key, _by()):
                raise SystemExit(f"no active {args.kind} {args.key}")
            print(json.dumps({args.kind: args.key, "status": "revoked"}))
    except CredentialRefused as refused:
        raise SystemExit(str(refused)) from None
    finally:
        authority.close()


def install(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `zhulian admin` and its actions."""
    admin = commands.add_parser("admin", help="credentials: clients and accounts (secrets once)")
    actions = admin.add_subparsers(dest="action", required=True)
    roles = [r.value for r in Role]
    client = actions.add_parser("create-client", help="a department's or provider's system")
    client.add_argument("--client-id", required=True)
    client.add_argument("--role", choices=roles, default="publisher")
    client.add_argument("--source", action="append", help="a CloudEvents source prefix")
    client.add_argument("--event-type", action="append", help="a type or 'prefix.*'")
    account = actions.add_parser("create-account", help="a person")
    account.add_argument("--name", required=True)
    account.add_argument("--role", choices=roles, required=True)
    for parser in (client, account):
        parser.add_argument("--region", default="", help="a division-code prefix")
        parser.add_argument("--department")
        parser.add_argument("--provider", help="a provider's name in the events it sends")
        parser.add_argument(
            "--provider-record", help="a provider's record id (its contracts name this UUID)"
        )
    for name in ("rotate", "revoke"):
        action = actions.add_parser(name, help=f"{name} a credential's secret")
        action.add_argument("kind", choices=["client", "account"])
        action.add_argument("key", help="the client id or account name")
    admin.set_defaults(run=_run)
