"""The screening pages over HTTP: rules adopted from the page raise alerts on the queue, every
alert ends only with an outcome recorded there, the standing checks count per region, a what-if
leaves no trace and a silent feed is flagged."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from harness.households import EXAMPLE_RULE, discovery_events, generate, monitoring_rows
from tests.e2e.acting import act_as, coordinator
from tests.e2e.conftest import eventually, post_batch, post_event

CHINESE = {"Accept-Language": "zh-CN"}
ENGLISH = {"Accept-Language": "en"}
PAGES = [
    "/ui/alerts",
    "/ui/screening/rules",
    "/ui/screening/what-if",
    "/ui/screening/checks",
    "/ui/screening/feeds",
    "/ui/matching-policy",
]


def send(client: TestClient, action: str, **values: str) -> Any:
    return client.post(f"/ui/act/{action}", data=values, headers=CHINESE, follow_redirects=False)


def open_alerts(client: TestClient) -> dict[str, Any]:
    return client.get("/v1/screening/alerts", params={"limit": 500}).json()


def adopt_standing_checks(client: TestClient) -> dict[str, Any]:
    response = send(
        client,
        "adopt-pack",
        region_code="330106",
        pack="standing-checks",
        reason="联席会议通过",
        next="/ui/screening/rules",
    )
    assert response.status_code == 303, response.text
    return eventually(lambda: open_alerts(client), lambda page: page["total"] > 0)


def monitoring_list(client: TestClient, households: list[Any], edition: str, ident: str) -> Any:
    return post_event(
        client,
        {
            "specversion": "1.0",
            "id": ident,
            "source": "/330106/rural-revitalization",
            "type": "cn.zhulian.department_list.compared.v1",
            "data": {
                "region_code": "330106",
                "list_name": "monitoring",
                "edition": edition,
                "rows": monitoring_rows(households),
                "cadence_days": 31,
                "actor": "rural-revitalization",
            },
        },
    )


def test_every_screening_page_answers_in_chinese_and_in_english(demo_client):
    for path in PAGES:
        chinese = demo_client.get(path + "?lang=zh-CN")
        english = demo_client.get(path + "?lang=en")
        assert chinese.status_code == english.status_code == 200, path
        assert '<html lang="zh-CN">' in chinese.text and '<html lang="en">' in english.text, path
        assert "政策找人" in chinese.text or path == "/ui/matching-policy"


def test_the_standing_checks_adopted_on_the_rules_page_raise_alerts_and_count_per_town(
    demo_client,
):
    act_as(demo_client, coordinator())
    alerts = adopt_standing_checks(demo_client)
    rules = demo_client.get("/ui/screening/rules", headers=CHINESE).text
    assert rules.count('class="tag ">现行</span>') == 6
    assert "突发事件、意外或大病未给予临时救助" in rules
    queue = demo_client.get("/ui/alerts", headers=CHINESE).text
    households, people = alerts["households"], alerts["people"]
    assert f"{households} 户，{people} 人" in queue
    assert queue.count('action="/ui/act/alert-outcome"') == alerts["total"]
    checks = demo_client.get("/ui/screening/checks", headers=CHINESE).text
    totals = re.findall(r'class="check-total">(\d+) 户，(\d+) 人', checks)
    assert len(totals) == 6
    assert sum(int(h) for h, _p in totals) >= households  # a household may hit several checks
    assert "整改措施" in checks and "西湖区" in checks
    home = demo_client.get("/", headers=CHINESE).text
    card = re.search(
        r'<a href="(/ui/alerts\?status=open)"><span class="figure">(\d+)</span>'
        r"未办结的筛查预警",
        home,
    )
    assert card and int(card[2]) == alerts["total"]


def test_an_alert_ends_only_with_an_outcome_recorded_from_the_queue(demo_client):
    act_as(demo_client, coordinator())
    alert = adopt_standing_checks(demo_client)["items"][0]
    refused = send(demo_client, "alert-outcome", alert_id=alert["alert_id"], outcome="dismissed")
    assert refused.status_code == 422
    assert "不予处理须说明理由" in refused.text
    assert '<option value="dismissed" selected>' in refused.text
    assert alert["alert_id"] in {a["alert_id"] for a in open_alerts(demo_client)["items"]}
    done = send(
        demo_client,
        "alert-outcome",
        alert_id=alert["alert_id"],
        outcome="dismissed",
        reason="入户核查：已享受相应救助",
        next="/ui/alerts",
    )
    assert done.status_code == 303 and done.headers["location"] == "/ui/alerts?done=alert-outcome"
    eventually(
        lambda: {a["alert_id"] for a in open_alerts(demo_client)["items"]},
        lambda ids: alert["alert_id"] not in ids,
    )
    closed = demo_client.get("/ui/alerts?status=closed", headers=CHINESE).text
    assert "已核查，不予处理" in closed and "入户核查：已享受相应救助" in closed
    again = send(
        demo_client, "alert-outcome", alert_id=alert["alert_id"], outcome="dismissed", reason="x"
    )
    assert again.status_code == 409 and "此预警已有处理结果。" in again.text


def test_a_misspelt_field_in_a_rule_is_refused_on_the_rules_page_naming_it(demo_client):
    act_as(demo_client, coordinator())
    expression = "members.exists(m, m.disabilty_grade > 0)"
    response = send(
        demo_client,
        "adopt-rule",
        region_code="330106",
        rule_id="risk-disabled",
        name="有残疾成员",
        expression=expression,
        reason="试行",
    )
    assert response.status_code == 422
    assert "disabilty_grade" in response.text
    assert 'id="f-adopt-rule-expression-error"' in response.text
    assert ">members.exists(m, m.disabilty_grade &gt; 0)</textarea>" in response.text
    assert 'value="有残疾成员"' in response.text


def test_a_rule_changed_and_retired_from_the_page_keeps_every_version(client):
    households = generate(60, seed=5)
    assert post_batch(client, discovery_events(households)).json()["rejected"] == 0
    act_as(client, coordinator())
    first = send(
        client,
        "adopt-rule",
        region_code="330106",
        rule_id="risk-disabled-no-dibao",
        name="风险未消除、有残疾成员、未纳入低保",
        expression=EXAMPLE_RULE,
        fix="入户核查，协助申请低保",
        reason="与乡村振兴局商定",
    )
    assert first.status_code == 303, first.text
    assert monitoring_list(client, households, "2026-10", "l1").status_code == 201
    expected = sum(h.example_hit for h in households)
    eventually(lambda: open_alerts(client), lambda page: page["total"] == expected)
    stricter = EXAMPLE_RULE + " && people >= 3"
    assert (
        send(
            client,
            "adopt-rule",
            region_code="330106",
            rule_id="risk-disabled-no-dibao",
            name="风险未消除、有残疾成员、未纳入低保（三人以上）",
            expression=stricter,
            reason="先查大家庭",
        ).status_code
        == 303
    )
    assert (
        send(
            client,
            "retire-rule",
            region_code="330106",
            rule_id="risk-disabled-no-dibao",
            reason="改用六查",
        ).status_code
        == 303
    )
    page = eventually(
        lambda: client.get("/ui/screening/rules", headers=CHINESE).text,
        lambda text: "已停用" in text,
    )
    assert "已修改（旧版本）" in page and "先查大家庭" in page and "与乡村振兴局商定" in page
    assert open_alerts(client)["total"] == expected  # retiring closes no alert
    act_as(client, coordinator(region="330106004"))
    town = [h for h in households if h.example_hit and h.region.startswith("330106004")]
    queue = client.get("/ui/alerts", headers=CHINESE).text
    assert queue.count('class="alert-card"') == len(town) > 0
    # another town's queue is not theirs to see: asking for it is refused
    assert client.get("/ui/alerts?region=330106002", headers=CHINESE).status_code == 403


def test_the_what_if_page_counts_a_stricter_draft_without_leaving_a_trace(client):
    households = generate(80, seed=7)
    assert post_batch(client, discovery_events(households)).json()["rejected"] == 0
    act_as(client, coordinator())
    assert (
        send(
            client,
            "adopt-rule",
            region_code="330106",
            rule_id="risk-disabled-no-dibao",
            name="风险未消除、有残疾成员、未纳入低保",
            expression=EXAMPLE_RULE,
            reason="商定",
        ).status_code
        == 303
    )
    assert monitoring_list(client, households, "2026-10", "l1").status_code == 201
    expected = sum(h.example_hit for h in households)
    eventually(lambda: open_alerts(client), lambda page: page["total"] == expected)
    container = client.app.state.container  # type: ignore[attr-defined]
    head = container.runner.head()
    page = client.get(
        "/ui/screening/what-if",
        params={
            "region": "330106",
            "rule_id": "risk-disabled-no-dibao",
            "expression": EXAMPLE_RULE + ' && !("temporary" in statuses)',
        },
        headers=CHINESE,
    )
    assert page.status_code == 200, page.text
    draft = int(re.search(r'class="num what-if-households">(\d+)<', page.text)[1])
    in_force = re.search(r'data-label="现行规则：户数" class="num">(\d+)<', page.text)
    assert in_force and int(in_force[1]) == expected
    assert draft <= expected
    assert container.runner.head() == head
    assert open_alerts(client)["total"] == expected
    bad = client.get(
        "/ui/screening/what-if", params={"region": "330106", "expression": "dibao_since > 1"}
    )
    assert bad.status_code == 422 and "dibao_since" in bad.text


def test_a_list_that_falls_silent_is_flagged_on_the_feeds_page(clocked):
    client, clock = clocked
    households = generate(10, seed=9)
    assert post_batch(client, discovery_events(households)).json()["rejected"] == 0
    assert monitoring_list(client, households, "2026-10", "l1").status_code == 201
    page = eventually(
        lambda: client.get("/ui/screening/feeds", headers=CHINESE).text,
        lambda text: "2026-10" in text,
    )
    assert "完整：无缺期" in page and "已断更" not in page
    clock.advance(days=40)
    page = client.get("/ui/screening/feeds", headers=CHINESE).text
    assert "已断更：到期后未收到" in page
