"""An alliance's vocabulary: the circles, groups, categories and channels its files may use."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path

from domain.shared.regions import alliance_of
from projections.alliance_vocabulary.queries import vocabulary_of
from services.api.deps import ContainerDep
from services.api.models.reports import Vocabulary
from services.api.problems import problem_responses
from services.api.routers.reading import read_router
from services.errors import Problem

router = read_router("vocabulary")

Region = Annotated[str, Path(pattern="^([0-9]{6}|[0-9]{9}|[0-9]{12})$")]


@router.get(
    "/vocabularies/{region}",
    summary="The vocabulary of the alliance a region belongs to",
    response_model=Vocabulary,
    responses={
        404: {
            **problem_responses(404)[404],
            "description": "The alliance has adopted no vocabulary yet",
        }
    },
)
def vocabulary(region: Region, container: ContainerDep) -> dict[str, Any]:
    """The edition in force: circles and groups with their names, categories and channels."""
    alliance = alliance_of(region)
    words = vocabulary_of(container.store, alliance)
    if words is None:
        raise Problem(
            404,
            "Not found",
            f"alliance {alliance} has adopted no vocabulary; every shared category and channel "
            "is allowed and groups are free text",
        )
    return words
