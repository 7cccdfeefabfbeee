"""A page's form becomes the API's CloudEvent: typed values, the pages' source, the caller as
actor, a fresh id; the ingest path's refusals come back next to the inputs they name."""

from __future__ import annotations

import pytest

from services.auth.principal import Principal, Role
from services.auth.publishing import source_for
from services.errors import Problem
from services.web.actions import ACTIONS
from services.web.forms import Refusal, cloud_event, read_form, refusal_from
from services.web.render import use_locale

TOWN = Principal(
    "town-1", "account", Role.COORDINATOR, actor="civil-affairs-town", region="330106001"
)


def test_a_form_becomes_the_cloudevent_a_department_would_send_acted_by_the_caller():
    action = ACTIONS["follow-up"]
    data = read_form(action, {"referral_id": "r-1", "satisfied": "yes", "note": "", "actor": "x"})
    event = cloud_event(action, data, TOWN)
    assert event["type"] == "cn.zhulian.referral.followed_up.v2"
    assert event["source"] == source_for(TOWN)
    assert event["data"] == {"referral_id": "r-1", "satisfied": True, "actor": "civil-affairs-town"}
    assert cloud_event(action, data, TOWN)["id"] != event["id"]


def test_the_actor_comes_from_the_credential_even_when_the_form_names_another():
    action = ACTIONS["give-feedback"]
    data = read_form(action, {"referral_id": "r-1", "content": "done", "actor": "court"})
    assert cloud_event(action, data, TOWN)["data"]["actor"] == "civil-affairs-town"


def test_values_the_form_cannot_read_are_refused_each_next_to_its_input():
    use_locale("zh_CN")
    with pytest.raises(Refusal) as refused:
        read_form(ACTIONS["record-delivery"], {"contract_id": "c", "person_times": "三"})
    assert refused.value.status == 422
    assert refused.value.fields == {
        "item_id": "请填写此项。",
        "household": "请填写此项。",
        "person_times": "请填写整数。",
        "cost_yuan": "请填写此项。",
    }


def test_a_household_key_and_settings_are_read_as_the_schema_wants_them():
    delivery = read_form(
        ACTIONS["record-delivery"],
        {
            "contract_id": "c",
            "item_id": "i",
            "household": "hh1_x",
            "person_times": "2",
            "cost_yuan": "12.50",
        },
    )
    assert delivery["household"] == {"household_key": "hh1_x"}
    assert delivery["person_times"] == 2 and delivery["cost_yuan"] == "12.50"
    policy = read_form(
        ACTIONS["adopt-policy"], {"region_code": "330106", "settings": '{"a": 1}', "reason": "r"}
    )
    assert policy["settings"] == {"a": 1}


def test_a_refusal_of_the_ingest_path_is_said_in_plain_words_in_the_pages_language():
    problem = Problem(
        409,
        "Rule violation",
        "referral 7f is accepted; complete needs it to be feedback_given",
    )
    use_locale("zh_CN")
    chinese = refusal_from(problem, ACTIONS["complete-referral"])
    assert chinese.lead == "操作被拒绝：不符合该记录当前状态下的规则。"
    assert chinese.detail == "此转介当前为“已受理”；这一步要求它处于“已反馈”。"
    use_locale("en")
    english = refusal_from(problem, ACTIONS["complete-referral"])
    assert english.detail == "This referral is Accepted; this step needs it to be Feedback given."


def test_a_field_error_lands_on_its_input_and_an_unknown_one_stays_in_the_lead():
    problem = Problem(
        422,
        "Invalid value",
        "bad",
        [
            {"field": "data.reason", "reason": "dismissing an alert needs the reason"},
            {"field": "data.other", "reason": "something else"},
        ],
    )
    use_locale("zh_CN")
    refusal = refusal_from(problem, ACTIONS["alert-outcome"])
    assert refusal.fields == {"reason": "不予处理须说明理由"}
    assert refusal.detail == "something else"
