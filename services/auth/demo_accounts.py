"""The embedded profile's demo credentials: one account per role and one client per demo
department, with random secrets written to data_dir/demo-accounts.txt (production: nothing)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from services.auth.authority import Authority
from services.auth.principal import Role

DISTRICT = "330106"
ACCOUNTS: tuple[tuple[str, Role, str, dict[str, str]], ...] = (
    # the whole demo district, acting for the district's civil-affairs bureau
    ("coordinator", Role.COORDINATOR, DISTRICT, {"department": "civil-affairs"}),
    # one town of it (北山街道), acting for the town's civil-affairs office
    ("coordinator-town", Role.COORDINATOR, DISTRICT + "002", {"department": "civil-affairs-town"}),
    # the Xinyuan social-work centre's people (its record id comes from the demo's events)
    ("provider", Role.PROVIDER, DISTRICT, {"provider": "xinyuan"}),
    ("auditor", Role.AUDITOR, "", {}),
    ("admin", Role.ADMINISTRATOR, "", {}),
)
DEPARTMENTS = (
    "civil-affairs", "civil-affairs-town", "charity-federation", "community-charity-fund",
    "education", "health", "hrss", "disabled-federation", "rural-revitalization", "xinyuan",
    "village-charity", "grid-worker-zhao", "grid-worker-wang", "village-cadre-li",
    "neighbour-report",
)  # fmt: skip


def demo_client_id(department: str) -> str:
    """The client a demo department's system signs in as."""
    return f"demo-{department}"


def create_demo_credentials(
    authority: Authority, path: Path, provider_record: Callable[[], str | None] = lambda: None
) -> bool:
    """Create the demo accounts and clients once (the store has no account yet); the provider
    account is linked to the record `provider_record()` names (the demo's Xinyuan)."""
    if authority.store.accounts():
        return False
    lines = [
        "# zhulian demo credentials (embedded profile). Sign in at http://127.0.0.1:8000/login",
        "# accounts: name / password / role / region",
    ]
    for name, role, region, extra in ACCOUNTS:
        record = provider_record() if role is Role.PROVIDER else None
        if record is not None:
            extra = {**extra, "provider_record": record}
        password = authority.create_account(
            "first start", name=name, role=role.value, region=region, **extra
        )
        lines.append(f"{name}\t{password}\t{role.value}\t{region or '(everything)'}")
    lines.append("# department clients (POST /v1/oauth/token): client_id / client_secret / source")
    for department in DEPARTMENTS:
        source = f"/{DISTRICT}/{department}"
        secret = authority.create_client(
            "first start",
            client_id=demo_client_id(department),
            role=Role.PUBLISHER.value,
            department=department,
            region=DISTRICT,
            sources=[source],
            event_types=["*"],
        )
        lines.append(f"{demo_client_id(department)}\t{secret}\t{source}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text("\n".join(lines) + "\n")
    return True
