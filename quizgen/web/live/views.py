"""What each side may see of a question: the public view before reveal, the
revealed view, a student's own answer, the spread of answers."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections import Counter
from collections.abc import Iterable
from typing import Any

from quizgen.bank.genre import html_lang, quote_marks
from quizgen.quiz import Kind, Question
from quizgen.web.live.model import LETTERS, Answer, Session

# ---------------------------------------------------------------------- views


def question_handle(session: Session, question_id: str) -> str:
    """The name students get for a question: opaque, per session and question.

    The bank's question id (`<claim id>.<form>`) can name the answer ("who
    said it?" items whose claim id starts with the speaker), so no page,
    panel, API response or attribute a student receives carries it. The
    handle is an HMAC of the question id keyed with the session's teacher
    hash (stored, never sent), so every process derives the same one and a
    student cannot derive it from an id, or an id from it.
    """
    digest = hmac.new(
        session.teacher_hash.encode("ascii"),
        b"question\0" + question_id.encode("utf-8"),
        hashlib.sha256,
    ).digest()
    return "q" + base64.b32encode(digest[:10]).decode("ascii").lower()


def question_by_handle(session: Session, handle: object) -> Question | None:
    """The question of this session whose handle is `handle`, or None."""
    if not isinstance(handle, str) or len(handle) != 17:
        return None
    for q in session.quiz.questions:
        if hmac.compare_digest(question_handle(session, q.id), handle):
            return q
    return None


def public_question(
    q: Question, position: int, total: int, *, handle: str
) -> dict[str, Any]:
    """What a student may see of a question before it is revealed.

    An explicit list of fields: id (the opaque `handle`, never the bank's
    id), kind, prompt, options (choice kinds), guiding questions
    (discussion), position and total. Never the answer, a right flag, the
    explanation, the quote or the teacher's notes.
    """
    out: dict[str, Any] = {
        "id": handle,
        "kind": str(q.kind),
        "prompt": q.prompt,
        "position": position,
        "number": position + 1,
        "total": total,
        "options": [],
        "guiding": [],
    }
    if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
        out["options"] = [
            {"index": i, "letter": LETTERS[i], "text": text}
            for i, text in enumerate(q.options)
        ]
    if q.kind == Kind.DISCUSSION:
        out["guiding"] = list(q.guiding)
    return out


def revealed_question(
    q: Question, position: int, total: int, *, handle: str, source_language: str = "zh"
) -> dict[str, Any]:
    """A question after reveal: the public view plus the right answer, the
    explanation, the verbatim quote and its speaker (discussion: each side's
    position and quote). Teacher's notes stay out."""
    out = public_question(q, position, total, handle=handle)
    out["revealed"] = True
    out["answer_index"] = q.answer if isinstance(q.answer, int) else None
    out["answer_text"] = (
        q.right_option if isinstance(q.answer, int) else (q.answer or "")
    )
    # the quote and its source show as a figure of their own: the source line
    # (「quote」, “quote”) goes, not the statement, which may repeat the quote's words
    qo, qc = quote_marks(source_language)
    quoted = f"{qo}{q.source.quote}{qc}"
    out["explanation"] = (
        ""
        if q.kind == Kind.DISCUSSION
        else "\n".join(
            line
            for i, line in enumerate(q.explanation.splitlines())
            if i == 0 or not (q.source.quote and quoted in line)
        )
    )
    out["quote"] = q.source.quote
    out["quote_lang"] = html_lang(source_language)
    out["speaker_name"] = q.source.speaker_name
    out["paragraph"] = q.source.paragraph
    out["sides"] = [
        {
            "speaker_name": s.speaker_name,
            "position": s.position,
            "quote": s.quote,
            "paragraph": s.paragraph,
        }
        for s in q.sides
    ]
    return out


def answer_view(q: Question, a: Answer | None) -> dict[str, Any] | None:
    """A student's own answer as they see it (never whether it is right)."""
    if a is None:
        return None
    if a.choice is not None and 0 <= a.choice < len(q.options):
        return {
            "letter": LETTERS[a.choice],
            "text": q.options[a.choice],
            "skipped": False,
        }
    if a.text is not None:
        return {"letter": "", "text": a.text, "skipped": False}
    return {"letter": "", "text": "", "skipped": True}


def distribution(q: Question, given: Iterable[Answer]) -> dict[str, Any]:
    """How the answers to one question spread: per option, or right/wrong for cloze."""
    given = list(given)
    counts = Counter(a.choice for a in given if a.choice is not None)
    out: dict[str, Any] = {"answered": len(given), "options": []}
    if q.options:
        out["options"] = [
            {
                "index": i,
                "letter": LETTERS[i],
                "text": text,
                "count": counts.get(i, 0),
                "share": counts.get(i, 0) / len(given) if given else 0.0,
            }
            for i, text in enumerate(q.options)
        ]
    out["right"] = sum(1 for a in given if a.correct)
    return out
