"""Tamper evidence on the embedded profile: signed heads, proofs, and edits of the log named."""

from __future__ import annotations

import base64
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services import cli
from services.api.app import create_app
from services.settings import Settings
from tests.builders import cloud_event
from tests.e2e.conftest import post_event
from tests.support.rfc9162 import (
    hash_leaf,
    verify_consistency,
    verify_head_signature,
    verify_inclusion,
)
from tests.support.signed_in import SignedIn

pytestmark = pytest.mark.e2e


def _b(text: str) -> bytes:
    return base64.b64decode(text)


def stored(client: TestClient, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    response = post_event(client, cloud_event(kind, data))
    assert response.status_code == 201, response.json()
    return dict(response.json())


def a_fund_with_a_donation(client: TestClient) -> dict[str, Any]:
    fund = stored(
        client,
        "fund.opened",
        {"name": "Community fund", "region_code": "330106", "managed_by": "charity-federation"},
    )
    for donor, yuan in (("Lvyuan Co.", "1000.01"), ("Zhang Wei", "20.00")):
        donation = stored(
            client,
            "fund.donation_received",
            {
                "fund_id": fund["record_id"],
                "donor": donor,
                "donor_kind": "company",
                "recorded_by": "cf",
                "amount_yuan": yuan,
            },
        )
        if donor == "Lvyuan Co.":
            first = donation
    return first


def signed_head(client: TestClient) -> dict[str, Any]:
    response = client.post("/v1/transparency/heads")
    assert response.status_code == 201
    heads = response.json()["heads"]
    assert [h["log"] for h in heads] == [0]  # the embedded log is one tree
    return dict(heads[0])


def edit_event(data_dir: Path, old: bytes, new: bytes) -> None:
    """What an insider with the database file could do."""
    with sqlite3.connect(data_dir / "events.db") as db:
        rows = db.execute("SELECT rowid, state FROM stored_events").fetchall()
        hits = [(rowid, state) for rowid, state in rows if old in state]
        assert len(hits) == 1, "exactly one stored event holds the amount"
        rowid, state = hits[0]
        db.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = ?",
            (state.replace(old, new), rowid),
        )


def test_an_auditor_checks_one_donation_against_a_signed_head_without_the_rest_of_the_log(
    client: TestClient,
) -> None:
    donation = a_fund_with_a_donation(client)
    head = signed_head(client)
    key = client.get("/v1/transparency/key").json()
    root = _b(head["root_hash"])
    assert verify_head_signature(
        key["public_key"], 0, head["tree_size"], head["timestamp"], root, _b(head["signature"])
    )
    proof = client.get(
        "/v1/transparency/proofs/inclusion",
        params={"aggregate_id": donation["record_id"], "version": donation["version"]},
    ).json()
    assert proof["tree_size"] == head["tree_size"]
    leaf = hash_leaf(_b(proof["leaf_data"]))
    path = [_b(p) for p in proof["audit_path"]]
    assert verify_inclusion(proof["leaf_index"], head["tree_size"], leaf, path, root)
    by_id = client.get(
        "/v1/transparency/proofs/inclusion",
        params={"notification_id": proof["notification_id"]},
    ).json()
    assert by_id["leaf_index"] == proof["leaf_index"]


def test_a_later_head_is_proved_to_extend_an_earlier_one(client: TestClient) -> None:
    a_fund_with_a_donation(client)
    first = signed_head(client)
    a_fund_with_a_donation(client)
    second = signed_head(client)
    proof = client.get(
        "/v1/transparency/logs/0/proofs/consistency",
        params={"first": first["tree_size"], "second": second["tree_size"]},
    ).json()
    assert verify_consistency(
        first["tree_size"],
        second["tree_size"],
        _b(first["root_hash"]),
        _b(second["root_hash"]),
        [_b(p) for p in proof["path"]],
    )


def test_a_donation_edited_in_the_event_store_is_detected_and_named(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    donation = a_fund_with_a_donation(client)
    signed_head(client)
    assert client.get("/v1/transparency/verify").json()["ok"] is True

    edit_event(tmp_path, b"100001", b"900001")  # 1,000.01 yuan -> 9,000.01 yuan, in fen

    report = client.get("/v1/transparency/verify").json()
    assert report["ok"] is False
    finding = report["logs"][0]["findings"][0]
    assert finding["aggregate"] == donation["record_id"]
    assert finding["version"] == donation["version"]
    assert finding["problem"].startswith("modified")
    monkeypatch.setenv("ZHULIAN_DATA_DIR", str(tmp_path))
    with pytest.raises(SystemExit) as exit_code:
        cli.main(["verify"])
    assert exit_code.value.code == 1
    out = capsys.readouterr().out
    assert f"position {finding['position']}" in out and donation["record_id"] in out


def test_a_removed_event_is_named_by_what_its_position_held(
    client: TestClient, tmp_path: Path
) -> None:
    donation = a_fund_with_a_donation(client)
    signed_head(client)
    with sqlite3.connect(tmp_path / "events.db") as db:
        db.execute(
            "DELETE FROM stored_events WHERE originator_id = ? AND originator_version = ?",
            (donation["record_id"].replace("-", ""), donation["version"]),
        )
        db.execute(
            "DELETE FROM stored_events WHERE originator_id = ? AND originator_version = ?",
            (donation["record_id"], donation["version"]),
        )
        assert db.total_changes == 1
    finding = client.get("/v1/transparency/verify").json()["logs"][0]["findings"][0]
    assert finding["aggregate"] == donation["record_id"]
    assert finding["version"] == donation["version"]
    assert finding["problem"].startswith("removed")


def test_two_events_swapped_in_the_log_are_detected_at_the_first_of_them(
    client: TestClient, tmp_path: Path
) -> None:
    a_fund_with_a_donation(client)
    signed_head(client)
    with sqlite3.connect(tmp_path / "events.db") as db:
        rows = db.execute("SELECT rowid, state FROM stored_events ORDER BY rowid").fetchall()
        (a, state_a), (b, state_b) = rows[1], rows[2]
        db.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (state_b, a))
        db.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (state_a, b))
    finding = client.get("/v1/transparency/verify").json()["logs"][0]["findings"][0]
    assert finding["position"] == 1


def test_a_leaf_hash_rewritten_in_the_tree_store_is_detected(
    client: TestClient, tmp_path: Path
) -> None:
    a_fund_with_a_donation(client)
    signed_head(client)
    with sqlite3.connect(tmp_path / "transparency.db") as db:
        (hashes,) = db.execute("SELECT hashes FROM tlog_tiles WHERE tile_index = 0").fetchone()
        forged = hashes[:64] + b"\x00" * 32 + hashes[96:]  # the leaf at position 2
        db.execute("UPDATE tlog_tiles SET hashes = ? WHERE tile_index = 0", (forged,))
    report = client.get("/v1/transparency/verify").json()
    assert report["ok"] is False
    assert report["logs"][0]["findings"][0]["position"] == 2


def test_the_signing_key_is_generated_once_per_installation(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path)
    again = Settings(data_dir=tmp_path)
    other = Settings(data_dir=tmp_path / "other")
    assert first.log_signing_key == again.log_signing_key != other.log_signing_key
    assert first.household_secret == again.household_secret != other.household_secret
    assert (tmp_path / "log-signing.key").stat().st_mode & 0o077 == 0
    with SignedIn(create_app(Settings(data_dir=tmp_path, demo=False))) as c:
        assert c.get("/v1/transparency/key").json()["algorithm"] == "Ed25519"


def test_unknown_logs_positions_and_sizes_are_404_or_422_never_500(client: TestClient) -> None:
    a_fund_with_a_donation(client)
    signed_head(client)
    assert client.get("/v1/transparency/logs/7/heads").json() == {"heads": []}
    assert client.get("/v1/transparency/logs/99999999999999/heads").status_code == 422
    assert (
        client.get("/v1/transparency/logs/0/proofs/consistency", params={"first": 99}).status_code
        == 404
    )
    assert (
        client.get(
            "/v1/transparency/proofs/inclusion", params={"notification_id": 10**12}
        ).status_code
        == 404
    )
    assert client.get("/v1/transparency/proofs/inclusion").status_code == 422
