"""First start on the embedded profile: a demo district a newcomer can look at."""

from __future__ import annotations

import io

from openpyxl import load_workbook


def test_the_demo_district_has_needs_referrals_and_an_overdue_referral(demo_client) -> None:
    needs = demo_client.get("/v1/needs", params={"limit": 500}).json()
    assert needs["total"] >= 10
    assert {n["need_type"] for n in needs["items"]} == {"survival", "care", "development"}
    board = demo_client.get("/v1/referrals").json()
    assert board["items"][0]["overdue"] is True
    assert board["items"][0]["holder"] == "disabled-federation"


def test_the_landing_page_is_chinese_by_default_and_links_the_lists(demo_client) -> None:
    page = demo_client.get("/").text
    assert '<html lang="zh-CN">' in page
    for link in ("/ui/needs", "/ui/referrals", "/ui/households", "/ui/statistics", "/docs"):
        assert f'href="{link}' in page
    assert "超时转介" in page and "未满足的需求" in page


def test_the_landing_page_counts_needs_not_yet_met_never_met_ones(demo_client) -> None:
    needs = demo_client.get("/v1/needs", params={"limit": 500}).json()["items"]
    waiting = sum(n["status"] in ("open", "referred") for n in needs)
    assert waiting < len(needs), "the demo must hold met or closed needs for this to mean anything"
    page = demo_client.get("/", params={"lang": "en"}).text
    assert f'<span class="figure">{waiting}</span>Needs not yet met' in page


def test_the_list_pages_render_the_demo_rows(demo_client) -> None:
    assert (
        "Dialysis costs exceed household income"
        in demo_client.get("/ui/needs", params={"status": "all"}).text
    )
    board = demo_client.get("/ui/referrals").text
    assert '<tr class="overdue">' in board and "已超时" in board and "残联" in board
    household = demo_client.get("/v1/households").json()["items"][0]["household_id"]
    assert "时间线" in demo_client.get(f"/ui/households/{household}").text


def test_the_api_docs_are_served_without_a_cdn(demo_client) -> None:
    page = demo_client.get("/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert demo_client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert "/v1/events" in demo_client.get("/openapi.json").json()["paths"]
    assert "googleapis" not in demo_client.get("/redoc").text


def test_each_fund_on_the_resource_list_adds_up_and_links_to_its_trace(demo_client) -> None:
    funds = demo_client.get("/v1/funds").json()["items"]
    page = demo_client.get("/ui/resources").text
    for fund in funds:
        parts = ("free", "earmarked", "reserved", "disbursed", "refunded")
        assert sum(fund[f"{p}_fen"] for p in parts) == fund["received_fen"]
        assert f'href="/ui/funds/{fund["fund_id"]}"' in page
        trace = demo_client.get(f"/ui/funds/{fund['fund_id']}").text
        assert "✓" in trace and "每一元的去向" in trace
    assert page.count("✓") == len(funds) and "✗" not in page
    received = funds[0]["received_fen"]
    assert f"¥{received // 100:,}." in page


def test_the_statistics_export_is_a_utf8_csv_with_chinese_headings(demo_client) -> None:
    response = demo_client.get("/ui/statistics", params={"format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "统计维度,对象,记录数,人次,金额"
    months = demo_client.get("/v1/statistics", params={"by": "month"}).json()["rows"]
    assert sum(line.startswith("月份,") for line in text.splitlines()) == len(months)


def test_the_second_page_of_five_rows_starts_at_the_sixth_and_keeps_the_total(demo_client) -> None:
    page = demo_client.get("/ui/needs", params={"status": "all", "size": 5, "page": 2}).text
    total = demo_client.get("/v1/needs", params={"limit": 1}).json()["total"]
    assert f"第 6–10 条，共 {total} 条" in page
    assert "第 2 页" in page and 'rel="prev"' in page


def test_the_funds_export_keeps_yuan_as_numbers_that_add_up(demo_client) -> None:
    response = demo_client.get("/ui/resources", params={"format": "xlsx", "list": "funds"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("基金", "收到捐赠", "未定向", "定向", "已预留", "已拨付", "已退还")
    assert len(rows) - 1 == demo_client.get("/v1/funds").json()["total"]
    for row in rows[1:]:
        assert round(sum(row[2:]), 2) == row[1]
    assert sheet["B2"].number_format == '"¥"#,##0.00'


def test_the_demo_provider_account_speaks_for_the_demo_providers_record(demo_client) -> None:
    account = demo_client.app.state.auth.store.account("provider")
    record = account["provider_record"]
    provider = demo_client.get(f"/v1/providers/{record}")
    assert provider.status_code == 200, provider.text
    assert provider.json()["name"].startswith("Xinyuan social-work centre")
