"""An alliance's vocabulary: once adopted, files use only its words, and forms can list them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.builders import cloud_event, discovered, household_ref, need_raised
from tests.e2e.conftest import eventually, post_event


def adopt(client: TestClient, **changes) -> object:
    data = {
        "region_code": "330106",
        "circles": [{"code": "1", "name": "core"}, {"code": "2", "name": "close"}],
        "groups": [
            {"code": "single-parent", "name": "单亲家庭"},
            {"code": "marginal", "name": "低边"},
        ],
        "categories": ["living", "medical"],
        "channels": ["grid_worker"],
        "actor": "civil-affairs",
        "reason": "alliance meeting",
        **changes,
    }
    event = cloud_event("vocabulary.adopted", data)
    return post_event(client, event)


def assessed(group: str, circle: int = 1) -> dict:
    return {
        "household": household_ref(),
        "difficulty_circle": circle,
        "group": group,
        "department": "civil-affairs",
    }


def test_before_any_adoption_the_shared_words_and_free_groups_are_taken(client) -> None:
    post_event(client, cloud_event("household.discovered", discovered(channel="neighbour")))
    response = post_event(client, cloud_event("household.assessed", assessed("anything-goes")))
    assert response.status_code == 201
    assert client.get("/v1/vocabularies/330106").status_code == 404


def test_an_adopted_vocabulary_refuses_other_words_and_names_the_allowed_ones(client) -> None:
    post_event(client, cloud_event("household.discovered", discovered()))
    assert adopt(client).status_code == 201

    refused = post_event(client, cloud_event("household.assessed", assessed("anything-goes")))
    assert refused.status_code == 422
    error = refused.json()["errors"][0]
    assert error["field"] == "group" and "single-parent, marginal" in error["reason"]
    assert (
        post_event(client, cloud_event("household.assessed", assessed("marginal", 3))).status_code
        == 422
    )
    assert (
        post_event(client, cloud_event("household.assessed", assessed("marginal", 2))).status_code
        == 201
    )

    other = discovered(number="330106199001010077", channel="hotline_12345")
    assert post_event(client, cloud_event("household.discovered", other)).status_code == 422
    need = need_raised(category="education")
    refused_need = post_event(client, cloud_event("need.raised", need))
    assert refused_need.status_code == 422 and "living, medical" in refused_need.text


def test_the_vocabulary_in_force_is_readable_with_its_edition(client: TestClient) -> None:
    adopt(client)
    adopt(client, groups=[{"code": "marginal", "name": "低边"}], reason="groups merged")
    words = eventually(
        lambda: client.get("/v1/vocabularies/330106002051"),
        lambda r: r.status_code == 200 and r.json()["edition"] == 2,
    ).json()
    assert words["groups"] == [{"code": "marginal", "name": "低边"}]
    assert [c["code"] for c in words["circles"]] == ["1", "2"]
    assert [c["code"] for c in words["channels"]] == ["grid_worker"]
