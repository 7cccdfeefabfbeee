"""Personal data on the embedded profile: sealed in every file, read back, erased by shredding."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from harness.households import SECRET
from services import cli
from services.auth.principal import Principal, Role
from tests.builders import cloud_event, consented, discovered, household_ref, need_raised
from tests.e2e.conftest import eventually, post_event

pytestmark = pytest.mark.e2e

NAME, PHONE = "王小明", "13912345678"
NOTE = f"neighbour {NAME} called from {PHONE}"
NEED = f"dialysis three times a week; call {PHONE} before visiting"
FEEDBACK = f"{NAME} visited at home; medical aid applied for"
REASON = "PIPL art. 47: the person withdrew consent and asked for deletion"


def stored(client: TestClient, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    response = post_event(client, cloud_event(kind, data))
    assert response.status_code == 201, response.json()
    return dict(response.json())


def a_household_with_personal_notes(client: TestClient) -> dict[str, str]:
    household = stored(client, "household.discovered", discovered(note=NOTE))
    stored(client, "household.consent.given", consented())  # the referral shares the file
    need = stored(client, "need.raised", need_raised(description=NEED))
    referral = stored(
        client,
        "referral.requested",
        {"need_id": need["record_id"], "from_department": "civil-affairs",
         "to_department": "health", "note": f"ask for {NAME}"},
    )  # fmt: skip
    stored(
        client, "referral.accepted", {"referral_id": referral["record_id"], "department": "health"}
    )
    stored(
        client,
        "referral.feedback_given",
        {"referral_id": referral["record_id"], "department": "health", "content": FEEDBACK},
    )
    post = cloud_event(
        "household.temporary_assistance_granted",
        {"household": household_ref(), "amount_yuan": "2500.00", "actor": "civil-affairs",
         "reason": f"hospital bill of {NAME}"},
    )  # fmt: skip
    assert post_event(client, post).status_code == 201
    return {"household": household["record_id"], "need": need["record_id"]}


def household_file(client: TestClient, ident: str) -> dict[str, Any]:
    return dict(client.get(f"/v1/households/{ident}").json())


def timeline(client: TestClient, ident: str) -> str:
    return str(client.get(f"/v1/households/{ident}/timeline").json())


def need_row(client: TestClient, ident: str) -> dict[str, Any]:
    return dict(client.get(f"/v1/needs/{ident}").json())


def files_of(data_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())


def test_names_and_phones_in_notes_are_nowhere_in_plain_text_but_read_back_in_clear(
    client: TestClient, tmp_path: Path
) -> None:
    ids = a_household_with_personal_notes(client)
    point = {"latitude": 30.2741, "longitude": 120.1551, "source": "home_visit"}
    stored(client, "household.located", {"household": household_ref(), **point, "actor": "ca"})
    eventually(lambda: timeline(client, ids["household"]), lambda t: FEEDBACK in t)
    assert need_row(client, ids["need"])["description"] == NEED
    assert NEED in timeline(client, ids["household"])
    assert NEED in client.get("/ui/needs", params={"format": "csv"}).text
    assert NEED in client.get(f"/ui/households/{ids['household']}").text
    container = client.app.state.container  # type: ignore[attr-defined]
    container.app.take_snapshot(UUID(ids["household"]))  # snapshots hold only tokens too

    on_disk = files_of(tmp_path)  # events, snapshots, views, tree, keys: every file
    assert b"dialysis" not in on_disk
    for secret in (NAME.encode(), PHONE.encode(), b"hospital bill", b"30.274", b"120.155"):
        assert secret not in on_disk
    assert b"enc:v1:" in on_disk


def test_an_erasure_without_a_reason_is_refused_and_erases_nothing(client: TestClient) -> None:
    ids = a_household_with_personal_notes(client)
    refused = post_event(
        client, cloud_event("household.erased", {"household": household_ref(), "actor": "ca"})
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "data.reason"
    assert eventually(lambda: need_row(client, ids["need"]), lambda n: n["description"] == NEED)


def test_an_erased_household_is_unreadable_everywhere_while_counts_money_and_proofs_hold(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    ids = a_household_with_personal_notes(client)
    eventually(lambda: timeline(client, ids["household"]), lambda t: FEEDBACK in t)
    before = household_file(client, ids["household"])
    erased = stored(
        client,
        "household.erased",
        {"household": household_ref(), "actor": "civil-affairs", "reason": REASON,
         "reference": "request 2026-0113"},
    )  # fmt: skip
    assert erased["record_id"] == ids["household"]

    # The file says it was erased: when, by whom, why (the reason names no person).
    marked = eventually(
        lambda: household_file(client, ids["household"]), lambda h: h.get("erasure") is not None
    )
    assert {k: marked["erasure"][k] for k in ("by", "reason", "reference")} == {
        "by": "civil-affairs",
        "reason": REASON,
        "reference": "request 2026-0113",
    }
    assert marked["erasure"]["erased_at"]
    marked_page = client.get(f"/ui/households/{ids['household']}").text
    assert "已删除" in marked_page and "PIPL art. 47" in marked_page

    # Every read path: the view rows, the timeline, the page, an as-of replay, an export.
    assert need_row(client, ids["need"])["description"] == "[erased]"
    assert NAME not in timeline(client, ids["household"])
    assert "[erased]" in timeline(client, ids["household"])
    page = client.get(f"/ui/households/{ids['household']}").text
    assert "[erased]" in page and NAME not in page and PHONE not in page
    as_of = client.get(
        "/v1/audit/views/needs_list", params={"at": datetime.now(UTC).isoformat()}
    ).text
    assert "[erased]" in as_of and PHONE not in as_of
    export = client.get("/ui/needs", params={"format": "csv"})
    assert export.status_code == 200 and PHONE not in export.text

    # Counts and money are not personal: unchanged.
    after = household_file(client, ids["household"])
    assert before["erasure"] is None
    for kept in ("needs_total", "needs_open", "temporary_grants", "assistance", "region_code"):
        assert after[kept] == before[kept]

    # New personal data is refused; coded facts are still taken.
    again = post_event(client, cloud_event("need.raised", need_raised(description="more")))
    assert again.status_code == 409 and again.json()["title"] == "Household erased"
    granted = cloud_event(
        "household.assistance_granted",
        {"household": household_ref(), "status": "dibao", "department": "civil-affairs"},
    )
    assert post_event(client, granted).status_code == 201

    # The log still verifies; views rebuilt from the log are the same, still erased.
    assert client.get("/v1/transparency/verify").json()["ok"] is True
    container = client.app.state.container  # type: ignore[attr-defined]
    eventually(
        lambda: household_file(client, ids["household"]), lambda h: "dibao" in h["assistance"]
    )
    container.runner.catch_up()  # every view has applied every event before it is compared
    sums = {v.name: container.store.checksum(v) for v in container.views}
    monkeypatch.setenv("ZHULIAN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ZHULIAN_HOUSEHOLD_SECRET", SECRET)
    cli.main(["rebuild"])
    assert {v.name: container.store.checksum(v) for v in container.views} == sums
    cli.main(["verify"])
    assert "ok" in capsys.readouterr().out.lower()
    assert need_row(client, ids["need"])["description"] == "[erased]"


def test_the_role_decision_reads_the_households_region_and_referral_holders_from_the_views(
    client: TestClient,
) -> None:
    ids = a_household_with_personal_notes(client)
    eventually(lambda: timeline(client, ids["household"]), lambda t: FEEDBACK in t)
    revealer = client.app.state.container.revealer  # type: ignore[attr-defined]
    scope = revealer.scope_of(UUID(ids["household"]))
    assert (scope.region_code, scope.holders) == ("330106002051", frozenset({"health"}))

    token = client.app.state.container.store.scalar(  # type: ignore[attr-defined]
        "SELECT description FROM needs_list WHERE need_id = :n", {"n": ids["need"]}
    )
    assert token.startswith("enc:v1:")

    def caller(role: Role, region: str = "", actor: str = "x") -> Principal:
        return Principal(subject="s", kind="account", role=role, actor=actor, region=region)

    seen = {
        "town coordinator": caller(Role.COORDINATOR, "330106002"),
        "other county's coordinator": caller(Role.COORDINATOR, "330107"),
        "addressed department": caller(Role.PROVIDER, actor="health"),
        "another provider": caller(Role.PROVIDER, actor="education"),
    }
    assert {who: revealer.for_caller(p).text(token) for who, p in seen.items()} == {
        "town coordinator": NEED,
        "other county's coordinator": "[redacted]",
        "addressed department": NEED,
        "another provider": "[redacted]",
    }
