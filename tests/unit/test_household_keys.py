"""Household keys: a key id for rotation, a keyed check against forged or mistyped keys."""

from __future__ import annotations

import re

import pytest

from domain.households.identity import (
    HOUSEHOLD_KEY_PATTERN,
    HouseholdKeyring,
    HouseholdKeys,
    household_id,
    pseudonymise,
)
from domain.shared.errors import InvalidValue

NUMBER = "330106198001010011"
OLD, NEW = "old-secret-" + "x" * 40, "new-secret-" + "y" * 40


def test_an_issued_key_matches_the_published_pattern_and_passes_the_check() -> None:
    ring = HouseholdKeyring({1: OLD}, 1)
    key = ring.issue(NUMBER)
    assert re.fullmatch(HOUSEHOLD_KEY_PATTERN, key)
    assert ring.check(key) == key


@pytest.mark.parametrize("suffix", ["\n", " ", "\r\n", "\t"])
def test_a_key_with_a_trailing_character_is_refused(suffix: str) -> None:
    ring = HouseholdKeyring({1: OLD}, 1)
    with pytest.raises(InvalidValue, match="household key"):
        ring.check(ring.issue(NUMBER) + suffix)


def test_a_mistyped_key_is_refused_as_not_issued_here() -> None:
    ring = HouseholdKeyring({1: OLD}, 1)
    key = ring.issue(NUMBER)
    typo = key[:10] + ("0" if key[10] != "0" else "1") + key[11:]
    with pytest.raises(InvalidValue) as refused:
        ring.check(typo, "data.household.household_key")
    assert refused.value.field == "data.household.household_key"
    assert "not a household key this deployment issued" in refused.value.reason


def test_a_key_of_another_deployment_or_secret_is_refused() -> None:
    theirs = HouseholdKeyring({1: NEW}, 1).issue(NUMBER)
    with pytest.raises(InvalidValue, match="not a household key this deployment issued"):
        HouseholdKeyring({1: OLD}, 1).check(theirs)


def test_a_key_naming_an_unknown_key_id_is_refused() -> None:
    key = HouseholdKeyring({7: OLD}, 7).issue(NUMBER)
    with pytest.raises(InvalidValue, match="not a household key this deployment issued"):
        HouseholdKeyring({1: OLD}, 1).check(key)


def test_keys_of_the_first_version_still_name_their_files_but_are_not_accepted_from_outside() -> (
    None
):
    legacy = "hh_" + "0" * 32
    assert household_id(legacy)
    with pytest.raises(InvalidValue):
        HouseholdKeyring({1: OLD}, 1).check(legacy)


def test_after_a_rotation_keys_issued_under_the_retired_secret_still_pass() -> None:
    before = HouseholdKeyring({1: OLD}, 1).issue(NUMBER)
    after = HouseholdKeyring({1: OLD, 2: NEW}, 2)
    assert after.check(before) == before
    assert after.issue(NUMBER).startswith("hh2_")


def test_after_a_rotation_a_known_household_keeps_its_file_and_a_new_one_gets_a_new_key() -> None:
    ring = HouseholdKeyring({1: OLD, 2: NEW}, 2)
    known = {pseudonymise(NUMBER, OLD, 1)}
    keys = HouseholdKeys(ring, lambda key: key in known)
    assert keys.from_registration(NUMBER) == pseudonymise(NUMBER, OLD, 1)
    assert keys.from_registration("330106198001010022").startswith("hh2_")


def test_the_pseudonym_and_its_check_differ_per_secret() -> None:
    a, b = pseudonymise(NUMBER, OLD), pseudonymise(NUMBER, NEW)
    assert a[4:36] != b[4:36] and a[-8:] != b[-8:]
