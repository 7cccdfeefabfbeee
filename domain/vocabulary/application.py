"""Adopting an alliance's vocabulary, and holding commands to it."""

from __future__ import annotations

from datetime import datetime

from domain.households.vocabulary import Channel
from domain.ingest.model import EventKey, Outcome
from domain.shared.commands import CommandHandler
from domain.shared.names import required
from domain.shared.regions import alliance_of
from domain.shared.taxonomy import Category
from domain.vocabulary.model import Term, Vocabulary, vocabulary_id


class VocabularyCommands(CommandHandler):
    """Each alliance names its circles and groups and chooses its categories and channels."""

    def adopt_vocabulary(
        self,
        *,
        region_code: str,
        circles: tuple[Term, ...],
        groups: tuple[Term, ...],
        categories: tuple[Category, ...],
        channels: tuple[Channel, ...],
        by: str,
        reason: str,
        at: datetime,
        expected_version: int | None = None,
        key: EventKey | None = None,
    ) -> Outcome:
        """Adopt a new edition of the alliance's vocabulary."""
        if done := self._already_done(key):
            return done
        vocabulary = self._alliance_record(Vocabulary, region_code, expected_version)
        vocabulary.adopt(
            circles=circles,
            groups=groups,
            categories=categories,
            channels=channels,
            actor=required(by, "actor"),
            reason=reason,
            at=at,
        )
        return self._commit("vocabulary", vocabulary, key=key)

    def vocabulary(self, region_code: str) -> Vocabulary | None:
        """The alliance's adopted vocabulary, if it adopted one."""
        ident = vocabulary_id(alliance_of(region_code))
        if not self._exists(ident):
            return None
        return self._load(Vocabulary, ident)

    def check_words(
        self,
        region_code: str,
        *,
        channel: str | None = None,
        category: str | None = None,
        circle: int | None = None,
        group: str | None = None,
    ) -> None:
        """Refuse a value outside the alliance's adopted vocabulary, naming what is allowed."""
        words = self.vocabulary(region_code)
        if words is None:
            return
        if channel is not None:
            words.check("channel", channel, words.channels)
        if category is not None:
            words.check("category", category, words.categories)
        if circle is not None:
            words.check_circle(circle)
        if group is not None:
            words.check_group(group)
