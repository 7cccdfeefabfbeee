"""Who reads personal fields in clear, and what everyone else sees instead."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from domain.households.identity import household_id
from services.auth.principal import Principal, Role
from services.privacy.access import HouseholdScope, may_read_clear
from services.privacy.keystore import KeyStore
from services.privacy.masking import ERASED, REDACTED, UNREADABLE, mask_household_key
from services.privacy.reveal import Revealer
from services.privacy.tokens import seal
from services.privacy.wrapping import MasterKeyWrapper
from services.secrets import new_secret

KEY = "hh1_" + "3f2a" * 10
HOUSEHOLD = household_id(KEY)
SCOPE = HouseholdScope("330106001001", frozenset({"health", "sunshine-care"}))
NOTE = 'Zhang San said "call 13812345678" <after 6pm>'


def person(role: Role, region: str = "", **more: str) -> Principal:
    return Principal(subject="s", kind="account", role=role, actor=more.pop("actor", "x"),
                     region=region, **more)  # fmt: skip


@pytest.mark.parametrize(
    ("principal", "clear"),
    [
        (None, True),  # before authentication: today's trusted caller
        (person(Role.COORDINATOR, "330106"), True),
        (person(Role.COORDINATOR, "330106001"), True),
        (person(Role.COORDINATOR, "330107"), False),
        (person(Role.AUDITOR), True),
        (person(Role.AUDITOR, "3302"), False),
        (person(Role.PROVIDER, actor="sunshine-care"), True),
        (person(Role.PROVIDER, actor="other-care"), False),
        (person(Role.PUBLISHER, actor="health"), False),
        (person(Role.ADMINISTRATOR), False),
    ],
)
def test_clear_text_goes_only_to_roles_that_need_it(principal, clear) -> None:
    assert may_read_clear(principal, lambda: SCOPE) is clear


def test_a_household_key_is_masked_to_its_secret_id_and_four_digits() -> None:
    assert mask_household_key(KEY) == "hh1_3f2a****"


@pytest.fixture
def store(tmp_path: Path) -> KeyStore:
    return KeyStore.sqlite(
        str(tmp_path / "keys.db"), MasterKeyWrapper.from_settings(new_secret(), "1", {})
    )


def revealer(store: KeyStore) -> Revealer:
    scopes = {HOUSEHOLD: SCOPE}
    return Revealer(store, lambda h: scopes.get(h, HouseholdScope(None, frozenset())))


def sealed(store: KeyStore, household: UUID = HOUSEHOLD, text: str = NOTE) -> str:
    return seal(store.key_to_seal(household), household, "data.note", text)


def test_a_coordinator_of_the_region_reads_the_note_a_publisher_sees_it_redacted(store) -> None:
    row = {"household_key": KEY, "summary": f"Need raised: {sealed(store)}"}
    coordinator = revealer(store).for_caller(person(Role.COORDINATOR, "330106"))
    publisher = revealer(store).for_caller(person(Role.PUBLISHER, actor="health"))
    assert coordinator.value(row) == {"household_key": KEY, "summary": f"Need raised: {NOTE}"}
    assert publisher.value(row) == {
        "household_key": "hh1_3f2a****",
        "summary": f"Need raised: {REDACTED}",
    }


def test_an_erased_households_note_reads_erased_for_everyone(store) -> None:
    token = sealed(store)
    store.shred(HOUSEHOLD)
    assert revealer(store).for_caller(None).text(token) == ERASED
    assert revealer(store).for_caller(person(Role.AUDITOR)).text(token) == ERASED


def test_a_token_without_a_key_or_moved_to_another_household_is_unreadable(store) -> None:
    elsewhere = sealed(store, uuid4())
    moved = sealed(store).replace(HOUSEHOLD.hex, uuid4().hex)
    reveal = revealer(store).for_caller(None)
    assert reveal.text(moved) == UNREADABLE
    assert reveal.text(elsewhere.replace(elsewhere.split(":")[2], uuid4().hex)) == UNREADABLE


def test_clear_text_is_escaped_for_json_and_html_bodies(store) -> None:
    token = sealed(store)
    reveal = revealer(store).for_caller(None)
    body = json.dumps({"note": token, "n": 1}).encode()
    assert json.loads(reveal.body(body, "application/json")) == {"note": NOTE, "n": 1}
    page = reveal.body(f"<td>{token}</td>".encode(), "text/html").decode()
    assert page == "<td>Zhang San said &quot;call 13812345678&quot; &lt;after 6pm&gt;</td>"
