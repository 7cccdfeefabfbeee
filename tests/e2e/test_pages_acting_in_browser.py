"""Acting from the pages in a real headless Chromium: forms → events → the lists change, a refusal
in plain words, the referral steps on a 360 px phone, axe-core on every new page."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.acting import BrowserAccounts, coordinator
from tests.e2e.served import SHOTS, chromium, served_demo
from tests.e2e.test_pages_in_browser import open_page, serious_violations

PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, BrowserAccounts]]:
    """The demo district served by uvicorn; the test sets who acts (an account it signs in as)."""
    with served_demo(tmp_path_factory.mktemp("acting-demo")) as (url, app):
        yield url, BrowserAccounts(app)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def until(page: Page, condition: Callable[[Page], bool], timeout: float = 15.0) -> None:
    """Reload the page until the list shows the change (the views follow the log)."""
    deadline = time.monotonic() + timeout
    while not condition(page):
        assert time.monotonic() < deadline, f"{page.url} did not change in {timeout}s"
        time.sleep(0.2)
        page.reload()


def reveal(form) -> None:  # type: ignore[no-untyped-def]
    """Open the folded section a form sits in, as a person clicking its summary would."""
    summary = form.locator("xpath=ancestor::details[1]/summary")
    if not form.evaluate("f => f.closest('details').open"):
        summary.click()


def submit(form) -> None:  # type: ignore[no-untyped-def]
    form.locator("button[type=submit]").click()


def test_adopting_the_standing_checks_and_ending_an_alert_from_the_pages(server, browser):
    base, acting = server
    acting.sign_in_as(coordinator())
    page = open_page(browser, base + "/ui/screening/rules")
    form = page.locator("form[action='/ui/act/adopt-pack']")
    form.locator("select[name=pack]").select_option("standing-checks")
    form.locator("textarea[name=reason]").fill("联席会议通过“六查”")
    submit(form)
    page.wait_for_url("**done=adopt-pack")
    assert "规则包中的规则已采用。" in page.locator(".done").inner_text()
    until(page, lambda p: p.locator("section.alert-card").count() == 6)
    page.goto(base + "/ui/alerts")
    until(page, lambda p: p.locator("article.alert-card").count() > 0)
    before = page.locator("article.alert-card").count()
    card = page.locator("article.alert-card").first
    card.locator("select[name=outcome]").select_option("dismissed")
    card.locator("button[type=submit]").click()  # no reason: refused, in plain words
    page.wait_for_load_state()
    assert "不予处理须说明理由" in page.locator(".field-error").inner_text()
    assert page.locator("select[name=outcome]").input_value() == "dismissed"
    page.locator("textarea[name=reason]").fill("入户核查：已纳入低保")
    submit(page.locator("form.act"))
    page.wait_for_url("**/ui/alerts?done=alert-outcome")
    until(page, lambda p: p.locator("article.alert-card").count() == before - 1)
    page.screenshot(path=str(SHOTS / "alerts-zh.png"), full_page=True)
    page.goto(base + "/ui/alerts?status=closed")
    assert "已核查，不予处理" in page.locator("main").inner_text()


def test_accepting_a_fund_with_an_amount_from_the_match_queue_takes_the_need_off_it(
    server, browser
):
    base, acting = server
    acting.sign_in_as(coordinator(actor="civil-affairs-town"))
    page = open_page(browser, base + "/ui/match-queue")
    form = page.locator("form[action='/ui/act/accept-fund']").first
    need_id = form.locator("input[name=need_id]").get_attribute("value")
    reveal(form)
    form.locator("input[name=amount_yuan]").fill("800.00")
    submit(form)
    page.wait_for_url("**/ui/match-queue?done=accept-fund")
    mine = f"input[name=need_id][value='{need_id}']"
    until(page, lambda p: p.locator(mine).count() == 0)
    page.goto(base + "/ui/referrals")
    assert "镇街民政办" in page.locator("tbody").inner_text()


def test_ruling_out_a_candidate_and_escalating_a_need_from_the_match_queue(server, browser):
    base, acting = server
    acting.sign_in_as(coordinator())
    page = open_page(browser, base + "/ui/match-queue")
    form = page.locator("form[action='/ui/act/reject-candidate']").first
    reveal(form)
    form.locator("textarea[name=reason]").fill("服务区域不覆盖该村")
    submit(form)
    page.wait_for_url("**done=reject-candidate")
    until(page, lambda p: "已排除：服务区域不覆盖该村" in p.locator("main").inner_text())
    form = page.locator("form[action='/ui/act/escalate-need']").first
    need_id = form.locator("input[name=need_id]").get_attribute("value")
    reveal(form)
    form.locator("textarea[name=reason]").fill("村级无力承接")
    submit(form)
    page.wait_for_url("**done=escalate-need")
    assert need_id


def test_a_referral_is_accepted_and_answered_on_a_360_pixel_phone(server, browser):
    base, acting = server
    acting.sign_in_as(coordinator())
    page = open_page(browser, base + "/ui/referrals?status=requested", viewport=PHONE)
    page.locator("td[data-label='办理'] a").first.click()
    page.wait_for_url("**/ui/referrals/*")
    holder = page.locator("dl.facts dd").nth(1).inner_text()
    assert holder == "村慈善工作站"
    acting.sign_in_as(coordinator(actor="village-charity"))
    page = open_page(browser, page.url, viewport=PHONE)  # signed in as the holder's person
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    submit(page.locator("form[action='/ui/act/accept-referral']"))
    page.wait_for_url("**done=accept-referral")
    until(page, lambda p: p.locator("form[action='/ui/act/give-feedback']").count() == 1)
    form = page.locator("form[action='/ui/act/give-feedback']")
    box = form.locator("textarea[name=content]").bounding_box()
    assert box and box["width"] >= 280  # the field spans the phone's width
    size = form.locator("textarea").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 14
    form.locator("textarea[name=content]").fill("已入户核实，材料齐全")
    submit(form)
    page.wait_for_url("**done=give-feedback")
    until(page, lambda p: "已反馈" in p.locator("dl.facts").inner_text())
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(SHOTS / "referral-steps-phone.png"), full_page=True)


def test_a_step_out_of_order_is_refused_in_plain_words_with_the_values_kept(server, browser):
    base, acting = server
    page = open_page(browser, base + "/ui/referrals?status=accepted")
    page.locator("td[data-label='办理'] a").first.click()
    page.wait_for_url("**/ui/referrals/*")
    referral_id = page.url.rsplit("/", 1)[1]
    acting.sign_in_as(coordinator(actor="health"))
    page.goto(f"{base}/ui/act/complete-referral?referral_id={referral_id}")
    page.locator("textarea[name=outcome]").fill("已办结")
    submit(page.locator("form.act"))
    page.wait_for_load_state()
    refusal = page.locator(".refusal").inner_text()
    assert "操作被拒绝" in refusal and "这一步要求它处于“已反馈”" in refusal
    assert page.locator("textarea[name=outcome]").input_value() == "已办结"


def test_a_delivery_and_a_matching_policy_are_recorded_from_their_forms(server, browser):
    base, acting = server
    acting.sign_in_as(coordinator(actor="xinyuan-social-work"))
    page = open_page(browser, base + "/ui/households")
    key = page.locator("tbody tr").first.inner_text().split()[0]
    page.goto(base + "/ui/resources")
    before = page.locator("#contracts ~ div td[data-label='人次']").first.inner_text()
    page.locator("a", has_text="登记服务记录").first.click()
    form = page.locator("form.act")
    form.locator("select[name=item_id]").select_option(index=1)
    form.locator("input[name=household]").fill(key)
    form.locator("input[name=person_times]").fill("2")
    form.locator("input[name=cost_yuan]").fill("120.00")
    submit(form)
    page.wait_for_load_state()
    assert "done=record-delivery" in page.url, page.locator("main").inner_text()
    until(
        page,
        lambda p: p.locator("#contracts ~ div td[data-label='人次']").first.inner_text() != before,
    )
    acting.sign_in_as(coordinator())
    page.goto(base + "/ui/matching-policy")
    versions = page.locator("section.alert-card").count()
    page.locator("textarea[name=reason]").fill("联席会议：默认权重")
    submit(page.locator("form.act"))
    page.wait_for_load_state()
    assert "done=adopt-policy" in page.url, page.locator("main").inner_text()
    until(page, lambda p: p.locator("section.alert-card").count() == versions + 1)


def test_every_new_page_in_both_languages_has_no_serious_accessibility_violation(server, browser):
    base, acting = server
    acting.sign_in_as(coordinator())
    page = open_page(browser, base + "/ui/referrals")
    referral = page.locator("td[data-label='办理'] a").first.get_attribute("href")
    page.goto(base + "/ui/resources")
    delivery = page.locator("a", has_text="登记服务记录").first.get_attribute("href")
    page.close()
    paths = [
        "/ui/alerts",
        "/ui/alerts?status=closed",
        "/ui/screening/rules",
        "/ui/screening/what-if?region=330106&pack=standing-checks",
        "/ui/screening/checks",
        "/ui/screening/feeds",
        "/ui/matching-policy",
        str(referral),
        str(delivery),
        "/ui/match-queue",
    ]
    for path in paths:
        for lang in ("zh-CN", "en"):
            joiner = "&" if "?" in path else "?"
            page = open_page(browser, f"{base}{path}{joiner}lang={lang}", bypass_csp=True)
            assert page.locator("html").get_attribute("lang") == lang, path
            assert serious_violations(page) == [], f"{path} in {lang}"
            page.close()
