"""The bank's model: speakers, topics, claims, debates, as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from quizgen.bank.genre import DEFAULT_GENRE, DEFAULT_LANGUAGE, Genre
from quizgen.i18n import t
from quizgen.source import Source


@dataclass(frozen=True, kw_only=True)
class Text:
    """A learner-facing text in both languages."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        """The text in `lang` ('zh' or 'en')."""
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True, kw_only=True)
class Variants:
    """Other right answers to a cloze, per language (the term itself not among them)."""

    zh: tuple[str, ...] = ()
    en: tuple[str, ...] = ()

    def get(self, lang: str) -> tuple[str, ...]:
        """The variants in `lang` ('zh' or 'en')."""
        return self.zh if lang == "zh" else self.en


class SpeakerKind(StrEnum):
    PANELIST = "panelist"
    HOST = "host"
    AUDIENCE = "audience"


class Attribution(StrEnum):
    EXPLICIT = "explicit"
    INFERRED = "inferred"
    UNCERTAIN = "uncertain"


@dataclass(frozen=True, kw_only=True)
class Speaker:
    id: str
    name: Text
    role: Text
    kind: SpeakerKind = SpeakerKind.PANELIST
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Topic:
    id: str
    name: Text


@dataclass(frozen=True, kw_only=True)
class Fact:
    """A question a claim answers, its answer and curated wrong options."""

    question: Text
    answer: Text
    wrong: tuple[Text, ...]


@dataclass(frozen=True, kw_only=True)
class Reported:
    """Whose view a speaker relays when it is not the speaker's own."""

    who: Text
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Erratum:
    """A transcription slip in a quote and its probable correction."""

    text: str
    correction: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Claim:
    id: str
    speaker: str
    topic: str
    quote: str
    paragraph: int
    attribution: Attribution
    attribution_note: str = ""
    reported: Reported | None = None
    shared_with: tuple[str, ...] = ()
    #: ids of claims by other speakers that say the opposite of this one
    contradicts: tuple[str, ...] = ()
    statement: Text
    facts: tuple[Fact, ...] = ()
    false_statement: Text | None = None
    cloze: Text | None = None
    cloze_accept: Variants = Variants()
    erratum: Erratum | None = None
    difficulty: int = 1
    tags: tuple[str, ...] = ()
    line: int = 0

    def cloze_variants(self, lang: str) -> tuple[str, ...]:
        """The cloze's accepted variants in `lang`, besides the term."""
        return self.cloze_accept.get(lang)


@dataclass(frozen=True, kw_only=True)
class Side:
    speaker: str
    claims: tuple[str, ...]
    position: Text


@dataclass(frozen=True, kw_only=True)
class Debate:
    id: str
    topic: str
    question: Text
    sides: tuple[Side, ...]
    guiding: tuple[Text, ...] = ()
    teacher_notes: Text
    opposed: bool = False
    line: int = 0


@dataclass(frozen=True, kw_only=True)
class Term:
    id: str
    term: Text
    definition: Text


@dataclass(frozen=True, kw_only=True)
class SourceInfo:
    """The source as the bank names it. `file` is what learners see (seeds/x.txt)."""

    file: str
    path: str
    title: Text
    origin: Text
    #: the source's language, a BCP 47 tag (zh, en, lzh, ...)
    language: str = DEFAULT_LANGUAGE
    #: what kind of text it is: panel, interview, dialogue, lecture, article, story
    genre: Genre = DEFAULT_GENRE


@dataclass(frozen=True, kw_only=True)
class Bank:
    id: str
    title: Text
    source_info: SourceInfo
    source: Source
    speakers: tuple[Speaker, ...]
    topics: tuple[Topic, ...]
    claims: tuple[Claim, ...]
    debates: tuple[Debate, ...] = ()
    glossary: tuple[Term, ...] = ()
    context_paragraphs: frozenset[int] = frozenset()
    #: the languages its learner-facing texts are written in: a bank written
    #: in one language builds only in it (its texts hold that one text twice)
    languages: tuple[str, ...] = ("zh", "en")
    path: str = ""
    modified: int = 0
    _index: dict[str, dict[str, Any]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        self._index.update(
            speakers={s.id: s for s in self.speakers},
            topics={t.id: t for t in self.topics},
            claims={c.id: c for c in self.claims},
            debates={d.id: d for d in self.debates},
        )

    def speaker(self, speaker_id: str) -> Speaker:
        """The speaker with this id. Raises KeyError if none."""
        return self._index["speakers"][speaker_id]

    def topic(self, topic_id: str) -> Topic:
        """The topic with this id. Raises KeyError if none."""
        return self._index["topics"][topic_id]

    def claim(self, claim_id: str) -> Claim:
        """The claim with this id. Raises KeyError if none."""
        return self._index["claims"][claim_id]

    def debate(self, debate_id: str) -> Debate:
        """The debate with this id. Raises KeyError if none."""
        return self._index["debates"][debate_id]

    def substantive_paragraphs(self) -> list[int]:
        """Paragraphs that should be quoted: the real text, minus host and audience turns."""
        context_kinds = {s.id for s in self.speakers if s.kind != SpeakerKind.PANELIST}
        return [
            p.number
            for p in self.source.paragraphs
            if not p.boilerplate
            and p.label not in context_kinds
            and p.number not in self.context_paragraphs
        ]

    def coverage(self) -> tuple[int, int]:
        """(substantive paragraphs quoted by a claim, substantive paragraphs)."""
        wanted = set(self.substantive_paragraphs())
        quoted = {c.paragraph for c in self.claims} & wanted
        return len(quoted), len(wanted)

    def summary(self) -> str:
        """One line: what the bank holds and how much of the source it quotes."""
        quoted, total = self.coverage()
        share = 100.0 * quoted / total if total else 100.0
        return t(
            f"{len(self.claims)} claims, {len(self.debates)} debates, "
            f"{len(self.speakers)} speakers, {len(self.topics)} topics; "
            f"paragraphs quoted {quoted}/{total} ({share:.1f}%)",
            f"{len(self.claims)} 条论断，{len(self.debates)} 个辩题，"
            f"{len(self.speakers)} 位发言人，{len(self.topics)} 个主题；"
            f"引用段落 {quoted}/{total}（{share:.1f}%）",
        )
