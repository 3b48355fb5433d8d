"""The Quiz: what every exporter reads, and its canonical JSON form.

A Quiz holds questions in one language, for one version. Plain frozen data;
no exporter needs the bank or YAML.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from quizgen.answers import typed_forms, unique_answers

__all__ = [
    "FORMAT",
    "Form",
    "Kind",
    "Question",
    "Quiz",
    "SidePosition",
    "SourceRef",
    "quiz_from_dict",
    "quiz_to_dict",
    "quiz_to_json",
]

FORMAT = "quizgen-quiz/1"


class Kind(StrEnum):
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    CLOZE = "cloze"
    DISCUSSION = "discussion"


class Form(StrEnum):
    FACT = "fact"
    ATTRIBUTION = "attribution"
    STANCE = "stance"
    STATEMENT = "statement"
    TERM = "term"
    DEBATE = "debate"


#: the forms each kind may have
FORMS: dict[Kind, tuple[Form, ...]] = {
    Kind.MULTIPLE_CHOICE: (Form.FACT, Form.ATTRIBUTION, Form.STANCE),
    Kind.TRUE_FALSE: (Form.STATEMENT,),
    Kind.CLOZE: (Form.TERM,),
    Kind.DISCUSSION: (Form.DEBATE,),
}


@dataclass(frozen=True, kw_only=True)
class SourceRef:
    """Where a question comes from: the verbatim quote, its paragraph and speaker."""

    file: str
    paragraph: int
    quote: str
    speaker: str
    speaker_name: str


@dataclass(frozen=True, kw_only=True)
class SidePosition:
    """One side of a discussion question."""

    speaker: str
    speaker_name: str
    position: str
    quote: str
    paragraph: int
    claims: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Question:
    """One question in one language.

    `answer` is the index of the right option for choice kinds, the blanked
    term for cloze, and None for discussion. For cloze, `cloze` holds the
    statement as (before, term, after), so that an exporter escapes the plain
    pieces and writes its own cloze syntax around the term, and `accepted`
    holds the other answers to accept (the bank's variants); every exporter and
    the live quiz take `accepted_answers` under `quizgen.answers`' one rule.
    """

    id: str
    kind: Kind
    form: Form
    prompt: str
    options: tuple[str, ...] = ()
    answer: int | str | None = None
    explanation: str
    topic: str
    topic_name: str
    speaker: str | None
    speaker_name: str | None
    claims: tuple[str, ...]
    source: SourceRef
    difficulty: int = 1
    tags: tuple[str, ...] = ()
    cloze: tuple[str, str, str] | None = None
    accepted: tuple[str, ...] = ()
    sides: tuple[SidePosition, ...] = ()
    guiding: tuple[str, ...] = ()
    teacher_notes: str = ""

    @property
    def right_option(self) -> str | None:
        """The text of the right option for choice kinds, else None."""
        if isinstance(self.answer, int) and self.options:
            return self.options[self.answer]
        return None

    @property
    def accepted_answers(self) -> tuple[str, ...]:
        """For cloze: the term first, then each variant that differs from it
        under the normalisation rule; empty for other kinds."""
        if self.kind != Kind.CLOZE or not isinstance(self.answer, str):
            return ()
        return unique_answers((self.answer, *self.accepted))

    @property
    def typed_answers(self) -> tuple[str, ...]:
        """For cloze: every accepted answer and the other forms of it the rule
        counts as the same (5 years, five years; batteries, battery), for
        formats that compare the typed string itself (Moodle XML, GIFT, QTI);
        empty for other kinds."""
        return typed_forms(self.accepted_answers)

    @property
    def anki_cloze(self) -> str | None:
        """The statement in Anki cloze syntax (plain text, not yet HTML-escaped)."""
        if self.cloze is None:
            return None
        before, term, after = self.cloze
        return f"{before}{{{{c1::{term}}}}}{after}"


@dataclass(frozen=True, kw_only=True)
class Quiz:
    """A quiz: questions in one language, one version, in the order to show them."""

    bank: str
    title: str
    source_title: str
    source_origin: str
    lang: str
    seed: int
    version: int
    versions: int
    questions: tuple[Question, ...]
    modified: int = 0  # Unix seconds the bank last changed (Anki note times)
    #: the source's language (a BCP 47 tag): every quote is in it
    source_language: str = "zh"
    #: what kind of text the source is: panel, interview, dialogue, ...
    genre: str = "panel"

    @property
    def version_label(self) -> str:
        """'A', 'B', ... for versions 1, 2, ..."""
        return version_label(self.version)


def version_label(version: int) -> str:
    """'A' for 1, 'B' for 2, ..., 'Z', then 'V27' and on."""
    return chr(ord("A") + version - 1) if 1 <= version <= 26 else f"V{version}"


def _question_dict(q: Question) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": q.id,
        "kind": str(q.kind),
        "form": str(q.form),
        "prompt": q.prompt,
    }
    if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
        out["options"] = list(q.options)
    out["answer"] = q.answer
    out["explanation"] = q.explanation
    out["topic"] = q.topic
    out["topic_name"] = q.topic_name
    out["speaker"] = q.speaker
    out["speaker_name"] = q.speaker_name
    out["claims"] = list(q.claims)
    out["source"] = {
        "file": q.source.file,
        "paragraph": q.source.paragraph,
        "quote": q.source.quote,
        "speaker": q.source.speaker,
        "speaker_name": q.source.speaker_name,
    }
    out["difficulty"] = q.difficulty
    out["tags"] = list(q.tags)
    if q.cloze is not None:
        out["cloze"] = {
            "before": q.cloze[0],
            "term": q.cloze[1],
            "after": q.cloze[2],
            "anki": q.anki_cloze,
        }
        out["accepted"] = list(q.accepted_answers)
    if q.kind == Kind.DISCUSSION:
        out["sides"] = [
            {
                "speaker": s.speaker,
                "speaker_name": s.speaker_name,
                "position": s.position,
                "quote": s.quote,
                "paragraph": s.paragraph,
                "claims": list(s.claims),
            }
            for s in q.sides
        ]
        out["guiding"] = list(q.guiding)
        out["teacher_notes"] = q.teacher_notes
    return out


def quiz_to_dict(quiz: Quiz) -> dict[str, Any]:
    """The canonical JSON object of a quiz (docs/quiz.schema.json)."""
    return {
        "format": FORMAT,
        "bank": quiz.bank,
        "title": quiz.title,
        "source_title": quiz.source_title,
        "source_origin": quiz.source_origin,
        "lang": quiz.lang,
        "seed": quiz.seed,
        "version": quiz.version,
        "versions": quiz.versions,
        "source_language": quiz.source_language,
        "genre": quiz.genre,
        "questions": [_question_dict(q) for q in quiz.questions],
    }


def quiz_to_json(quiz: Quiz) -> str:
    """The canonical JSON text: UTF-8, Chinese unescaped, stable key order, final newline."""
    return json.dumps(quiz_to_dict(quiz), ensure_ascii=False, indent=2) + "\n"


def quiz_from_dict(data: dict[str, Any]) -> Quiz:
    """Rebuild a Quiz from its canonical JSON object (as quiz_to_dict wrote it).

    Raises KeyError or ValueError when the object is not a quiz.
    """
    if data.get("format") != FORMAT:
        raise ValueError(f"not a quizgen quiz (format {data.get('format')!r})")
    questions = []
    for q in data["questions"]:
        src = q["source"]
        cloze = q.get("cloze")
        questions.append(
            Question(
                id=q["id"],
                kind=Kind(q["kind"]),
                form=Form(q["form"]),
                prompt=q["prompt"],
                options=tuple(q.get("options", ())),
                answer=q["answer"],
                explanation=q["explanation"],
                topic=q["topic"],
                topic_name=q["topic_name"],
                speaker=q["speaker"],
                speaker_name=q["speaker_name"],
                claims=tuple(q["claims"]),
                source=SourceRef(
                    file=src["file"],
                    paragraph=src["paragraph"],
                    quote=src["quote"],
                    speaker=src["speaker"],
                    speaker_name=src["speaker_name"],
                ),
                difficulty=q["difficulty"],
                tags=tuple(q["tags"]),
                cloze=(cloze["before"], cloze["term"], cloze["after"])
                if cloze
                else None,
                accepted=tuple(q.get("accepted", ())[1:]),
                sides=tuple(
                    SidePosition(
                        speaker=s["speaker"],
                        speaker_name=s["speaker_name"],
                        position=s["position"],
                        quote=s["quote"],
                        paragraph=s["paragraph"],
                        claims=tuple(s["claims"]),
                    )
                    for s in q.get("sides", ())
                ),
                guiding=tuple(q.get("guiding", ())),
                teacher_notes=q.get("teacher_notes", ""),
            )
        )
    return Quiz(
        bank=data["bank"],
        title=data["title"],
        source_title=data["source_title"],
        source_origin=data["source_origin"],
        lang=data["lang"],
        source_language=data.get("source_language", "zh"),
        genre=data.get("genre", "panel"),
        seed=data["seed"],
        version=data["version"],
        versions=data["versions"],
        questions=tuple(questions),
    )
