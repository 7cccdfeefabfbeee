"""Our HSDS taxonomies name every code the domain can export, each with a description."""

from __future__ import annotations

from enum import StrEnum

import pytest

from domain.households.vocabulary import Assistance
from domain.shared.taxonomy import Category, NeedType
from domain.supply.vocabulary import ProviderKind
from services.hsds.taxonomy import classify, data, term


@pytest.mark.parametrize(
    ("taxonomy", "codes"),
    [
        ("zhulian-need-type", NeedType),
        ("zhulian-category", Category),
        ("zhulian-provider-kind", ProviderKind),
        ("zhulian-assistance-status", Assistance),
    ],
)
def test_every_code_of_the_domain_has_a_declared_term(taxonomy: str, codes: type[StrEnum]) -> None:
    declared = data()["taxonomies"][taxonomy]["terms"]
    assert set(declared) == {c.value for c in codes}
    assert all(term(taxonomy, c.value)["description"] for c in codes)


def test_every_category_declares_its_need_type() -> None:
    assert set(data()["need_type_by_category"]) == {c.value for c in Category}
    assert set(data()["need_type_by_category"].values()) <= {n.value for n in NeedType}


def test_the_mapping_classifies_only_what_it_declares() -> None:
    assert classify([{"taxonomy": "taxonomy", "code": "code"}]).category is None
    health = classify([{"taxonomy": "Open Eligibility", "name": "Health"}])
    assert (health.category, health.need_type) == ("medical", "survival")
