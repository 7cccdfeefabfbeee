"""The words each alliance adopted: circles, groups, categories and channels, by edition."""

from __future__ import annotations

from typing import Any

from domain.vocabulary.model import Vocabulary
from projections.runtime.tables import Table, cols
from projections.runtime.view import Handler, Tx, View

WORDS = Table(
    "alliance_vocabulary",
    cols("alliance kind code name edition:int position:int adopted_by adopted_at:ts"),
    key=("alliance", "kind", "code"),
)


class AllianceVocabulary(View):
    """One row per adopted word; an edition replaces the alliance's rows."""

    name = "alliance_vocabulary"
    tables = (WORDS,)

    def handlers(self) -> dict[type, Handler]:
        """Only adoptions change the words."""
        return {Vocabulary.Adopted: self._adopted}

    @staticmethod
    def _adopted(e: Any, tx: Tx, _: int) -> None:
        alliance = e.alliance
        for row in tx.find("alliance_vocabulary", alliance=alliance):
            tx.delete("alliance_vocabulary", alliance=alliance, kind=row["kind"], code=row["code"])
        words: list[tuple[str, str, str]] = [
            *(("circle", t["code"], t["name"]) for t in e.circles),
            *(("group", t["code"], t["name"]) for t in e.groups),
            *(("category", c, c) for c in e.categories),
            *(("channel", c, c) for c in e.channels),
        ]
        for position, (kind, code, name) in enumerate(words):
            tx.upsert(
                "alliance_vocabulary",
                {
                    "alliance": alliance,
                    "kind": kind,
                    "code": code,
                    "name": name,
                    "edition": e.originator_version - 1,
                    "position": position,
                    "adopted_by": e.actor,
                    "adopted_at": e.adopted_at,
                },
            )
