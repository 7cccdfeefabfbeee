"""Division codes and household pseudonyms."""

from __future__ import annotations

import pytest

from domain.households.identity import household_id, pseudonymise
from domain.households.vocabulary import Circumstance, Member
from domain.shared.errors import InvalidValue
from domain.shared.regions import Level, alliance_of, chain_up, check_region, level_of


def test_codes_of_6_9_and_12_digits_are_county_town_and_village() -> None:
    assert [level_of(c) for c in ("330106", "330106002", "330106002051")] == [
        Level.COUNTY,
        Level.TOWN,
        Level.VILLAGE,
    ]


@pytest.mark.parametrize("bad", ["33010", "3301060011", "33010600100a", "", "３３０１０６"])
def test_other_codes_are_refused_with_the_reason(bad: str) -> None:
    with pytest.raises(InvalidValue, match="region_code"):
        check_region(bad)


def test_a_village_falls_back_to_its_town_then_its_county() -> None:
    assert chain_up("330106002051") == ["330106002051", "330106002", "330106"]


def test_the_alliance_is_the_county() -> None:
    assert alliance_of("330106002051") == "330106"


def test_a_pseudonym_does_not_contain_the_registration_number() -> None:
    key = pseudonymise("330106198001010011", "secret")
    assert key.startswith("hh1_") and "330106198001010011" not in key


def test_the_pseudonym_depends_on_the_deployment_secret() -> None:
    assert pseudonymise("330106198001010011", "a") != pseudonymise("330106198001010011", "b")


def test_case_and_spaces_do_not_make_a_second_household() -> None:
    assert pseudonymise(" 33010619800101001x ", "s") == pseudonymise("33010619800101001X", "s")
    assert household_id(pseudonymise("33010619800101001x", "s")) == household_id(
        pseudonymise("33010619800101001X", "s")
    )


def test_a_disability_grade_implies_the_disability_circumstance() -> None:
    member = Member.parse({"relation": "head", "disability_grade": 1}, "members[0]")
    assert Circumstance.DISABILITY in member.circumstances


def test_an_unknown_circumstance_names_the_field_and_the_allowed_values() -> None:
    with pytest.raises(InvalidValue) as refused:
        Member.parse({"relation": "head", "circumstances": ["poor"]}, "data.members[0]")
    assert refused.value.field == "data.members[0].circumstances[0]"
    assert "elderly_alone" in refused.value.reason
