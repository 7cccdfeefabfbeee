"""Sealed personal values: round trip, bound to household and field, keys wrapped and shredded."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from uuid import uuid4

import pytest

from services.privacy.keystore import Absent, Erased, KeyRace, KeyStore
from services.privacy.tokens import Unreadable, new_data_key, open_token, parse, seal
from services.privacy.wrapping import MasterKeyWrapper
from services.secrets import new_secret

NOTE = "王小明 the neighbour called from 13812345678; lives at 3 Hehua Lane"


def wrapper(current: str = "1", **retired: str) -> MasterKeyWrapper:
    return MasterKeyWrapper.from_settings(new_secret(), current, retired)


def test_a_sealed_value_opens_to_the_same_text_and_shows_none_of_it() -> None:
    key, household = new_data_key(), uuid4()
    token = seal(key, household, "data.note", NOTE)
    assert token.startswith(f"enc:v1:{household.hex}:data.note:")
    assert "王小明" not in token and "13812345678" not in token
    assert open_token(key, parse(token), household, "data.note") == NOTE


def test_sealing_the_same_text_twice_gives_different_tokens() -> None:
    key, household = new_data_key(), uuid4()
    assert seal(key, household, "data.note", NOTE) != seal(key, household, "data.note", NOTE)


def test_a_token_opens_only_with_its_own_households_key() -> None:
    household = uuid4()
    token = parse(seal(new_data_key(), household, "data.note", NOTE))
    with pytest.raises(Unreadable):
        open_token(new_data_key(), token)


def test_a_token_relabelled_for_another_household_or_field_does_not_open() -> None:
    key, household, other = new_data_key(), uuid4(), uuid4()
    text = seal(key, household, "data.note", NOTE)
    moved = text.replace(household.hex, other.hex)
    renamed = text.replace(":data.note:", ":data.reason:")
    with pytest.raises(Unreadable):
        open_token(key, parse(moved))  # even with the original key: the household is bound
    with pytest.raises(Unreadable):
        open_token(key, parse(renamed))


def test_a_reader_expecting_another_household_or_field_refuses_the_token() -> None:
    key, household = new_data_key(), uuid4()
    token = parse(seal(key, household, "data.note", NOTE))
    with pytest.raises(Unreadable):
        open_token(key, token, household=uuid4())
    with pytest.raises(Unreadable):
        open_token(key, token, field="data.description")


def test_an_edited_token_does_not_open() -> None:
    key, household = new_data_key(), uuid4()
    text = seal(key, household, "data.note", NOTE)
    flipped = text[:-2] + ("A" if text[-2] != "A" else "B") + text[-1]
    with pytest.raises(Unreadable):
        open_token(key, parse(flipped))


def test_a_data_key_unwraps_only_under_the_master_key_that_wrapped_it() -> None:
    data_key = new_data_key()
    ours, theirs = wrapper(), wrapper()
    kid, wrapped = ours.wrap(data_key)
    assert data_key not in wrapped and ours.unwrap(kid, wrapped) == data_key
    with pytest.raises(ValueError):
        theirs.unwrap(kid, wrapped)


def test_a_master_key_must_hold_32_random_bytes() -> None:
    with pytest.raises(ValueError):
        MasterKeyWrapper.from_settings(base64.b64encode(os.urandom(16)).decode(), "1", {})


def test_a_households_key_is_made_once_and_found_again(tmp_path: Path) -> None:
    store = KeyStore.sqlite(str(tmp_path / "keys.db"), wrapper())
    household = uuid4()
    assert store.key_to_read(household) is Absent.NONE
    first = store.key_to_seal(household)
    assert store.key_to_seal(household) == first == store.key_to_read(household)
    assert store.key_to_seal(uuid4()) != first


def test_shredding_destroys_the_key_for_reading_and_refuses_sealing(tmp_path: Path) -> None:
    store = KeyStore.sqlite(str(tmp_path / "keys.db"), wrapper())
    household = uuid4()
    store.key_to_seal(household)
    store.shred(household)
    store.shred(household)  # idempotent
    assert store.key_to_read(household) is Absent.ERASED
    assert store.is_erased(household)
    with pytest.raises(Erased):
        store.key_to_seal(household)


def test_a_shredded_wrapped_key_is_gone_from_the_key_store_files(tmp_path: Path) -> None:
    path = tmp_path / "keys.db"
    store = KeyStore.sqlite(str(path), wrapper())
    household = uuid4()
    store.key_to_seal(household)
    (wrapped,) = store._sql.execute("SELECT wrapped FROM privacy_household_keys")[0]
    store.shred(household)
    on_disk = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("keys"))
    assert bytes(wrapped) not in on_disk


def test_another_process_sees_a_shredded_key_at_once(tmp_path: Path) -> None:
    master = new_secret()
    one = KeyStore.sqlite(
        str(tmp_path / "keys.db"), MasterKeyWrapper.from_settings(master, "1", {})
    )
    two = KeyStore.sqlite(
        str(tmp_path / "keys.db"), MasterKeyWrapper.from_settings(master, "1", {})
    )
    household = uuid4()
    assert two.key_to_read(household) is Absent.NONE
    one.key_to_seal(household)
    assert isinstance(two.key_to_read(household), bytes)
    one.shred(household)
    assert two.key_to_read(household) is Absent.ERASED


def test_rotating_the_master_key_rewraps_every_live_key(tmp_path: Path) -> None:
    old = new_secret()
    before = MasterKeyWrapper.from_settings(old, "1", {})
    store = KeyStore.sqlite(str(tmp_path / "keys.db"), before)
    households = [uuid4() for _ in range(3)]
    keys = [store.key_to_seal(h) for h in households]
    store.shred(households[2])
    store.close()

    after = MasterKeyWrapper.from_settings(new_secret(), "2", {"1": old})
    store = KeyStore.sqlite(str(tmp_path / "keys.db"), after)
    assert store.key_to_read(households[0]) == keys[0]  # the retired key still unwraps
    assert store.rewrap() == 2
    store.close()

    only_new = MasterKeyWrapper({"2": after.keys["2"]}, "2")
    store = KeyStore.sqlite(str(tmp_path / "keys.db"), only_new)
    assert [store.key_to_read(h) for h in households] == [keys[0], keys[1], Absent.ERASED]


def test_zhulian_rewrap_keys_moves_every_key_to_the_new_master_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from services import cli

    old, new = new_secret(), new_secret()
    store = KeyStore.sqlite(str(tmp_path / "keys.db"), MasterKeyWrapper.from_settings(old, "1", {}))
    household = uuid4()
    key = store.key_to_seal(household)
    store.close()
    monkeypatch.setenv("ZHULIAN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ZHULIAN_MASTER_KEY", new)
    monkeypatch.setenv("ZHULIAN_MASTER_KEY_ID", "2")
    monkeypatch.setenv("ZHULIAN_MASTER_KEYS_RETIRED", f"1={old}")
    cli.main(["rewrap-keys"])
    assert "rewrapped 1 data key(s) under master key 2" in capsys.readouterr().out
    only_new = KeyStore.sqlite(
        str(tmp_path / "keys.db"), MasterKeyWrapper.from_settings(new, "2", {})
    )
    assert only_new.key_to_read(household) == key


def test_a_unit_that_keyed_a_household_another_writer_keyed_first_is_told_so(
    tmp_path: Path,
) -> None:
    store = KeyStore.sqlite(str(tmp_path / "keys.db"), wrapper())
    household = uuid4()
    ours, theirs = store.session(deferred=True), store.session(deferred=True)
    assert store.key_to_read(household) is Absent.NONE  # deferred: nothing stored yet
    mine, first = ours.key_to_seal(household), theirs.key_to_seal(household)
    theirs.flush()
    with pytest.raises(KeyRace):
        ours.flush()
    assert store.key_to_read(household) == first != mine
