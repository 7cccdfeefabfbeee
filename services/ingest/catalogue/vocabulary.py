"""The alliance's vocabulary: its circles, groups, need categories and discovery channels."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from domain.households.vocabulary import Channel
from domain.shared.taxonomy import Category
from domain.vocabulary.model import terms
from services.ingest.catalogue.definition import Context, declare
from services.ingest.catalogue.definition import EventData as Data
from services.ingest.catalogue.fields import Lax, Name, Part, RegionCode, Text, UniqueList

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]


class TermData(Part):
    """A code the files store and the name people read."""

    code: Code
    name: Name


class CircleData(Part):
    """A difficulty circle (困难圈层): its number and name."""

    code: Annotated[str, StringConstraints(pattern=r"^[1-3]$")] = Field(
        description="The circle's number as difficulty_circle gives it: 1, 2 or 3"
    )
    name: Name


@declare(
    "vocabulary.adopted",
    opens="vocabulary",
    command="adopt_vocabulary",
    version=1,
    example={
        "region_code": "330106",
        "circles": [
            {"code": "1", "name": "core circle 核心圈"},
            {"code": "2", "name": "close circle 紧密圈"},
            {"code": "3", "name": "outer circle 外围圈"},
        ],
        "groups": [
            {"code": "dibao-tekun", "name": "dibao and extreme poverty 低保特困"},
            {"code": "marginal", "name": "marginal households 低边"},
        ],
        "categories": ["living", "medical", "education", "care"],
        "channels": ["grid_worker", "data_comparison", "self_application"],
        "actor": "civil-affairs",
        "reason": "alliance meeting of 2026-11-20",
    },
)
class VocabularyAdopted(Data):
    """An alliance adopted an edition of its vocabulary: its difficulty circles and groups, the
    need categories and discovery channels it uses; values outside it are refused from then on"""

    region_code: RegionCode
    circles: Annotated[list[CircleData], Field(min_length=1, max_length=3)]
    groups: Annotated[list[TermData], Field(min_length=1, max_length=50)]
    categories: Annotated[UniqueList[Lax[Category]], Field(min_length=1, max_length=20)]
    channels: Annotated[UniqueList[Lax[Channel]], Field(min_length=1, max_length=20)]
    reason: Text

    def arguments(self, context: Context) -> dict[str, Any]:
        """Terms checked by the domain (distinct codes)."""
        return {
            "region_code": self.region_code,
            "circles": terms((c.model_dump() for c in self.circles), "data.circles"),
            "groups": terms((g.model_dump() for g in self.groups), "data.groups"),
            "categories": tuple(self.categories),
            "channels": tuple(self.channels),
            "reason": self.reason,
        }
