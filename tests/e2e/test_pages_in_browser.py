"""The pages as a coordinator sees them: a real uvicorn server and a real headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page

from tests.e2e.served import AXE, SHOTS, chromium, served_demo

SIGN_IN: dict[str, str] = {}  # the demo coordinator's name and password (base_url reads them)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("browser-demo")
    with served_demo(data) as (url, _):
        for line in (data / "demo-accounts.txt").read_text().splitlines():
            name, _, rest = line.partition("\t")
            if name == "coordinator":
                SIGN_IN.update(name=name, password=rest.split("\t")[0])
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def signed_in_page(browser: Browser, url: str, **context: object) -> Page:
    """A fresh browser context (own cookies), sent to the login page by the page at `url` and
    signed in there as the demo district's coordinator; it ends on that page."""
    page = browser.new_context(**context).new_page()  # type: ignore[arg-type]
    page.goto(url)
    assert "/login?next=" in page.url, page.url
    page.fill("#name", SIGN_IN["name"])
    page.fill("#password", SIGN_IN["password"])
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return page


def open_page(browser: Browser, url: str, **context: object) -> Page:
    """A signed-in coordinator's fresh browser context showing the page."""
    context.setdefault("locale", "zh-CN")  # a coordinator's browser in China
    return signed_in_page(browser, url, **context)


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page, as readable lines."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def demo_paths(base_url: str, browser: Browser) -> list[str]:
    """Every page of the demo district, including one household file and one fund."""
    page = open_page(browser, base_url + "/ui/households")
    household = page.locator("tbody a").first.get_attribute("href")
    page.goto(base_url + "/ui/resources")
    fund = page.locator("a[href^='/ui/funds/']").first.get_attribute("href")
    page.close()
    return [
        "/",
        "/ui/needs",
        "/ui/match-queue",
        "/ui/referrals",
        "/ui/households",
        str(household),
        "/ui/services",
        "/ui/resources",
        str(fund),
        "/ui/statistics",
    ]


def test_a_coordinator_finds_the_overdue_referral_from_the_chinese_landing_page(base_url, browser):
    page = open_page(browser, base_url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    card = page.locator(".cards li.danger a")
    assert card.inner_text().replace("\n", "") == "1超时转介"
    card.click()
    page.wait_for_url("**/ui/referrals?due=overdue")
    overdue = page.locator("tr.overdue")
    assert overdue.count() == 1
    assert "残联" in overdue.inner_text() and "已超时" in overdue.inner_text()
    assert (
        overdue.locator("td").first.evaluate("cell => getComputedStyle(cell).color")
        == "rgb(164, 22, 26)"
    )
    page.screenshot(path=str(SHOTS / "referral-board-zh.png"), full_page=True)
    overdue.locator("a", has_text="查看档案").click()
    page.wait_for_url("**/ui/households/*")
    assert "受理" in page.locator("table").last.inner_text()


def test_a_coordinator_picks_a_town_by_its_name_and_sees_only_its_overdue_referrals(
    base_url, browser
):
    page = open_page(browser, base_url + "/ui/referrals")
    towns = page.locator("select[name=region] option").all_inner_texts()
    assert "\u3000北山街道" in towns  # a real town of 西湖区, by its name
    page.select_option("select[name=region]", label="\u3000西溪街道")
    page.select_option("select[name=due]", "overdue")
    page.click("button[type=submit]")
    page.wait_for_url("**region=330106004**")
    assert page.locator("tbody").inner_text() == "没有符合筛选条件的记录。"
    page.select_option("select[name=region]", label="\u3000北山街道")
    page.click("button[type=submit]")
    page.wait_for_url("**region=330106002&**")
    assert page.locator("tbody tr.overdue").count() == 1
    assert page.locator("select[name=due]").input_value() == "overdue"


def test_every_page_in_both_languages_has_no_serious_accessibility_violation(base_url, browser):
    for path in demo_paths(base_url, browser):
        for lang in ("zh-CN", "en"):
            page = open_page(browser, f"{base_url}{path}?lang={lang}", bypass_csp=True)
            assert page.locator("html").get_attribute("lang") == lang, path
            assert page.locator("meta[name=viewport]").count() == 1, path
            assert serious_violations(page) == [], f"{path} in {lang}"
            page.close()


def test_the_keyboard_reaches_the_skip_link_the_filters_and_the_sortable_columns(base_url, browser):
    page = open_page(browser, base_url + "/ui/needs")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    page.keyboard.press("Enter")
    page.wait_for_url("**#main")
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate("document.activeElement.name || document.activeElement.textContent")
        )
    assert "region" in reached and "need_type" in reached
    assert any("紧急程度" in str(r) for r in reached)  # a sortable column heading's link
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_english_follows_accept_language_and_the_switch_is_remembered(base_url, browser):
    page = open_page(browser, base_url + "/ui/needs", locale="en-GB")
    assert page.locator("h1").inner_text() == "Needs list"
    page.click("text=中文")
    page.wait_for_url("**lang=zh-CN")
    assert page.locator("h1").inner_text() == "需求清单"
    page.goto(base_url + "/ui/referrals")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("h1").inner_text() == "转介看板"


def test_the_needs_list_filters_sorts_and_exports_to_excel(base_url, browser, tmp_path):
    page = open_page(browser, base_url + "/ui/needs?status=all")
    total = int(page.locator(".pager p").first.inner_text().split("共 ")[1].split(" ")[0])
    page.select_option("select[name=need_type]", "survival")
    page.click("button[type=submit]")
    page.wait_for_url("**need_type=survival**")
    types = page.locator("tbody td[data-label='需求类型']").all_inner_texts()
    assert types and set(types) == {"生存型"}
    page.click("th >> text=提出时间（北京时间）")
    page.wait_for_url("**sort=raised_at**")
    raised = page.locator("tbody td[data-label='提出时间（北京时间）']").all_inner_texts()
    assert raised == sorted(raised)
    page.goto(base_url + "/ui/needs?status=all")
    with page.expect_download() as download:
        page.click("text=Excel（.xlsx）")
    saved = tmp_path / "needs.xlsx"
    download.value.save_as(saved)
    sheet = load_workbook(saved).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("紧急程度", "需求类型", "类别")
    assert len(rows) - 1 == total
    assert {r[1] for r in rows[1:]} == {"生存型", "关爱型", "发展型"}


def test_on_a_360_pixel_phone_the_pages_stack_without_sideways_scrolling(base_url, browser):
    for path in ("/", "/ui/referrals", "/ui/resources", "/ui/statistics"):
        page = open_page(browser, base_url + path, viewport={"width": 360, "height": 740})
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width} px wide"
        size = page.locator("main td, main li").first.evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)"
        )
        assert size >= 14, path
        if path == "/ui/referrals":
            page.screenshot(path=str(SHOTS / "referral-board-phone.png"), full_page=True)
        page.close()


def test_the_statistics_page_draws_its_charts_from_this_server(base_url, browser):
    page = signed_in_page(browser, base_url + "/", locale="zh-CN")
    outside = watch_outside(page, base_url)
    page.goto(base_url + "/ui/statistics")
    charts = page.locator("svg.chart")
    assert charts.count() == 10
    assert page.locator("figcaption").first.inner_text() == "按月份统计金额（元）"
    assert charts.first.locator("rect").count() >= 1
    page.screenshot(path=str(SHOTS / "statistics-zh.png"), full_page=True)
    assert outside == []


def watch_outside(page: Page, base_url: str) -> list[str]:
    """Every request the page tries to send away from this server (each is refused)."""
    outside: list[str] = []

    def refuse(route) -> None:  # type: ignore[no-untyped-def]
        outside.append(route.request.url)
        route.abort()

    page.route(lambda url: not url.startswith(base_url), refuse)
    return outside


def test_the_api_docs_render_in_the_browser_without_a_network(base_url, browser):
    for path in ("/docs", "/redoc"):
        page = browser.new_context().new_page()
        outside = watch_outside(page, base_url)
        page.goto(base_url + path)
        page.get_by_text("/v1/events").first.wait_for(timeout=15000)
        assert "zhulian" in page.title()
        assert outside == [], path


def test_the_login_page_is_accessible_in_both_languages_and_a_wrong_password_says_so(
    base_url, browser
):
    for lang, heading in (("zh-CN", "登录"), ("en", "Sign in")):
        page = browser.new_context(locale=lang, bypass_csp=True).new_page()
        page.goto(f"{base_url}/ui/needs?lang={lang}")
        assert page.locator("h1").inner_text() == heading
        assert serious_violations(page) == [], lang
        page.fill("#name", SIGN_IN["name"])
        page.fill("#password", "not-the-password")
        with page.expect_navigation():
            page.click("main button[type=submit]")
        assert page.locator("[role=alert]").count() == 1
        page.close()
