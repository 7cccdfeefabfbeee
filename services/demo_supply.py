"""The demo district's supply side: providers, offerings, two funds, a contract, deliveries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from services.demo import DemoPublisher

DAY = 24.0
COUNTY = "330106"


def _provider(d: DemoPublisher, name: str, kind: str, region: str, about: str) -> str:
    return d.publish(
        "provider.registered.v1",
        "civil-affairs",
        90 * DAY,
        {
            "name": name,
            "kind": kind,
            "region_code": region,
            "description": about,
            "registered_by": "civil-affairs",
        },
    )


def _offering(d: DemoPublisher, provider_id: str, by: str, **terms: Any) -> str:
    return d.publish(
        "offering.published.v1",
        by,
        80 * DAY,
        {"provider_id": provider_id, "published_by": by, **terms},
    )


def load_supply(d: DemoPublisher, needs: dict[str, str]) -> None:
    """Publish the supply side; `needs` maps names to demo need ids and registration numbers."""
    civil = _provider(
        d, "District civil affairs bureau 区民政局", "department", COUNTY, "Leads the alliance"
    )
    care = _provider(
        d,
        "Xinyuan social-work centre 心愿社工",
        "social_work_provider",
        COUNTY,
        "Purchased home care and child protection",
    )
    volunteers = _provider(
        d, "Red-vest volunteer team 红马甲志愿队", "volunteer_team", "330106003", "Visits, errands"
    )
    home_care = _offering(
        d,
        care,
        "civil-affairs",
        name="Home care for poor elderly 困难老人居家照护",
        description="Bathing, cleaning, meals, medication reminders at home",
        need_type="care",
        category="care",
        areas=[COUNTY],
        capacity=400,
        eligibility={
            "statuses": ["dibao", "tekun", "dibian"],
            "minimum_age": 60,
            "description": "Elderly 60+ in 低保, 特困 or 低边 households",
        },
        cost_fen=3000,
        funding_source="District purchased-service budget",
        location={
            "name": "Xinyuan station, Cuiyuan street",
            "region_code": "330106001",
            "latitude": 30.2905,
            "longitude": 120.1203,
        },
    )
    disability_care = _offering(
        d,
        care,
        "civil-affairs",
        name="Severe-disability care 重度残疾人照护",
        need_type="care",
        category="disability",
        areas=["330106003"],
        capacity=20,
        eligibility={"disability_required": True, "description": "Certified grade 1-2"},
        cost_fen=34000,
        funding_source="District purchased-service budget",
    )
    _offering(
        d,
        civil,
        "civil-affairs",
        name="Temporary assistance 临时救助",
        need_type="survival",
        category="living",
        areas=[COUNTY],
        eligibility={"description": "Sudden hardship; one-off cash, usually up to 2,500 yuan"},
        funding_source="Civil-affairs budget",
    )
    _offering(
        d,
        volunteers,
        "civil-affairs",
        name="Companion visits 结对探访",
        need_type="care",
        category="psychological",
        areas=["330106003"],
        capacity=60,
        funding_source="Volunteer time",
    )

    community = d.publish(
        "fund.opened.v1",
        "charity-federation",
        90 * DAY,
        {
            "name": "District community charity fund 社区慈善基金",
            "region_code": COUNTY,
            "managed_by": "charity-federation",
            "description": "Donations from local companies for households in difficulty",
        },
    )
    village = d.publish(
        "fund.opened.v1",
        "village-charity",
        90 * DAY,
        {
            "name": "Village charity fund 村级慈善基金",
            "region_code": "330106002",
            "managed_by": "village-charity",
        },
    )
    for donor, yuan, earmark, ago in (
        ("Hangzhou Lvyuan Co. 绿源公司", "200000.00", None, 85),
        ("Xihu Bank branch 西湖银行支行", "150000.00", {"category": "medical"}, 84),
        ("Sanitation contractor 环卫公司", "30000.00", {"group": "sanitation_workers"}, 60),
        ("Zhang Wei (individual)", "5000.00", None, 40),
    ):
        data: dict[str, Any] = {
            "fund_id": community,
            "donor": donor,
            "donor_kind": "individual" if "individual" in donor else "company",
            "amount_yuan": yuan,
            "recorded_by": "charity-federation",
        }
        if earmark:
            data["earmark"] = earmark
        d.publish("fund.donation_received.v1", "charity-federation", ago * DAY, data)
    d.publish(
        "fund.earmarked.v1",
        "charity-federation",
        50 * DAY,
        {
            "fund_id": community,
            "earmark": {"group": "single_parent"},
            "amount_yuan": "20000.00",
            "by": "charity-federation",
        },
    )
    d.publish(
        "fund.donation_received.v1",
        "village-charity",
        30 * DAY,
        {
            "fund_id": village,
            "donor": "Villagers' collection 村民募集",
            "donor_kind": "organisation",
            "amount_fen": 1200000,
            "recorded_by": "village-charity",
        },
    )
    # Charity aid of 8,000 yuan for the uremia household's dialysis, from medical money.
    d.publish(
        "fund.disbursed.v1",
        "charity-federation",
        67 * DAY,
        {
            "fund_id": community,
            "need_id": needs["dialysis"],
            "amount_yuan": "8000.00",
            "earmark": {"category": "medical"},
            "reference": "Dialysis aid, first instalment",
            "by": "charity-federation",
        },
    )
    # The widow's tuition from money earmarked for single-parent families.
    d.publish(
        "fund.disbursed.v1",
        "charity-federation",
        17 * DAY,
        {
            "fund_id": community,
            "need_id": needs["tuition"],
            "amount_yuan": "3500.00",
            "earmark": {"group": "single_parent"},
            "reference": "Autumn-term tuition",
            "by": "charity-federation",
        },
    )
    # The old man's hospital bill: reserved now, paid when the invoice arrives.
    d.publish(
        "fund.allocated.v1",
        "charity-federation",
        10,
        {
            "fund_id": community,
            "need_id": needs["leg"],
            "amount_yuan": "2600.00",
            "by": "charity-federation",
        },
    )

    contract = d.publish(
        "contract.signed.v1",
        "civil-affairs",
        75 * DAY,
        {
            "provider_id": care,
            "title": "2026 purchased social-assistance services 政府购买社会救助服务",
            "budget_yuan": "8500000.00",
            "funding_source": "District budget, packaged 打包预算",
            "signed_by": "civil-affairs",
            "items": [
                {
                    "item_id": "home-care",
                    "name": "Home care for poor elderly",
                    "need_type": "care",
                    "category": "care",
                    "offering_id": home_care,
                    "budget_yuan": "5500000.00",
                    "capacity": 184000,
                },
                {
                    "item_id": "disability-care",
                    "name": "Severe-disability care",
                    "need_type": "care",
                    "category": "disability",
                    "offering_id": disability_care,
                    "budget_yuan": "2450000.00",
                    "capacity": 720,
                },
                {
                    "item_id": "child-protection",
                    "name": "Child protection",
                    "need_type": "care",
                    "category": "psychological",
                    "budget_yuan": "540000.00",
                    "capacity": 4161,
                },
            ],
        },
    )
    for item, household, times, yuan, days in (
        ("home-care", needs["alone"], 3, "90.00", 0.5),
        ("disability-care", needs["villager"], 2, "680.00", 4.0),
        ("child-protection", needs["widow"], 1, "130.00", 16.0),
    ):
        d.publish(
            "contract.delivery_recorded.v1",
            "xinyuan",
            days * DAY,
            {
                "contract_id": contract,
                "item_id": item,
                "household": {"registration_number": household},
                "person_times": times,
                "cost_yuan": yuan,
                "provider": "xinyuan-social-work",
            },
        )
    _load_matching(d, care)


def _load_matching(d: DemoPublisher, care: str) -> None:
    """The alliance's first matching policy, and a small nursing service the queue can fill."""
    d.publish(
        "match.policy_adopted.v1",
        "civil-affairs",
        60 * DAY,
        {
            "region_code": COUNTY,
            "settings": {
                "exclusions": [
                    {
                        "reason": "特困 households are supported (供养), not given temporary aid",
                        "category": "living",
                        "statuses": ["tekun"],
                    }
                ]
            },
            "by": "civil-affairs",
            "reason": "Alliance meeting: default weights; the 特困 rule from the policy list",
        },
    )
    _offering(
        d,
        care,
        "civil-affairs",
        name="Post-discharge home nursing 出院居家护理",
        description="Dressing changes, mobility help and meals for two weeks after hospital",
        need_type="care",
        category="care",
        areas=["330106003"],
        capacity=2,
        cost_fen=8000,
        funding_source="District purchased-service budget",
        location={"name": "Xiaohe social-work station 小河社工站", "region_code": "330106003001"},
    )
