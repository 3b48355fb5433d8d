"""GIFT question files (Moodle: Question bank > Import > GIFT format).

One file per version, `<bank>-<lang>[-A].gift.txt`, UTF-8. Each topic opens
with `$CATEGORY: $course$/top/<title>/<topic>`. Question text and choice
answers are HTML (`[html]`): each piece is HTML escaped, then GIFT's special
characters `~ = # { } :` and the backslash are escaped with a backslash.
Line breaks become HTML paragraphs, so no blank line (GIFT's question
separator) can occur inside a question.

- multiple_choice -> `{=right ~wrong ...}`
- true_false      -> `{TRUE}` / `{FALSE}`: is the statement shown true?
- cloze           -> short answer `{=term =variant ...}`: the term and each
  accepted variant in every form a student types (`Question.typed_answers`;
  plain text, `*` escaped: Moodle reads it as a wildcard)
- discussion      -> essay `{}`. GIFT has no grader information: the teacher's
  notes go into a `//` comment above the question, which the import skips.

A comment `// [id:<question id>] [tag:...]` above each question gives Moodle
(3.6 and later) the question's idnumber and tags.

General feedback (`####`) is the explanation with its verbatim quote,
paragraph and speaker; for an essay, each side's quote.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from quizgen.export import ExportOptions
from quizgen.export.files import base_name, write_atomic
from quizgen.export.lms_common import (
    by_topic,
    category_path,
    check_quizzes,
    discussion_lines,
    feedback_lines,
    html_paragraphs,
    label,
    moodle_idnumber,
    question_title,
    xml_text,
)
from quizgen.quiz import Kind, Question, Quiz

__all__ = ["SPECIAL", "escape", "gift", "write"]

#: characters GIFT reads as syntax; a backslash before each makes it literal
SPECIAL = "~=#{}:"


def escape(text: str) -> str:
    """`text` with the backslash and each of `~ = # { } :` escaped by a backslash.

    Line breaks become GIFT's `\\n`, so the result is always one line.
    """
    out = text.replace("\\", "\\\\")
    for ch in SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return out.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _comment(text: str) -> list[str]:
    return [f"// {line}".rstrip() for line in xml_text(text).splitlines() or [""]]


_TAG_FORBIDDEN = set("<>`")


def _token(text: str) -> str:
    return xml_text(text).replace("]", "\\]")


def _id_and_tags(q: Question) -> str:
    """`// [id:...] [tag:...] ...`: Moodle (3.6+) reads the idnumber and tags from it."""
    tags = [
        f"[tag:{_token(tag)}]"
        for tag in q.tags
        if tag.strip() and not (set(tag) & _TAG_FORBIDDEN) and tag.isprintable()
    ]
    return " ".join([f"// [id:{_token(moodle_idnumber(q.id))}]", *tags])


def _short_answer(text: str) -> str:
    """An accepted short answer: `*` made literal for Moodle, then GIFT-escaped."""
    return escape(xml_text(text).replace("*", "\\*"))


def _question_html(q: Question, lang: str) -> str:
    body = html_paragraphs(q.prompt.splitlines())
    if q.kind == Kind.DISCUSSION:
        sides, guiding = discussion_lines(q, lang)
        body += html_paragraphs([label("positions", lang), *sides])
        if guiding:
            body += html_paragraphs([label("guiding", lang), *guiding])
    return body


def _question(q: Question, lang: str, source_language: str = "zh") -> list[str]:
    lines = [f"// {q.kind}:{q.form}", _id_and_tags(q)]
    if q.kind == Kind.DISCUSSION and q.teacher_notes:
        lines += _comment(f"{label('teacher_notes', lang)}: {q.teacher_notes}")
    head = f"::{escape(question_title(q))}::[html]{escape(_question_html(q, lang))}"
    feedback = "\t####" + escape(
        html_paragraphs(feedback_lines(q, lang, source_language))
    )
    if q.kind == Kind.MULTIPLE_CHOICE:
        answers = [
            f"\t{'=' if i == q.answer else '~'}{escape(html_paragraphs([o]))}"
            for i, o in enumerate(q.options)
        ]
    elif q.kind == Kind.TRUE_FALSE:
        answers = ["\tTRUE" if q.answer == 0 else "\tFALSE"]
    elif q.kind == Kind.CLOZE:
        answers = [f"\t={_short_answer(a)}" for a in q.typed_answers]
    else:
        answers = []
    return [*lines, head + " {", *answers, feedback, "}"]


def gift(quiz: Quiz) -> str:
    """The GIFT text of one quiz: categories, then questions, separated by blank lines."""
    blocks = [
        _comment(
            f"quizgen: {quiz.bank}, {quiz.lang}, version {quiz.version_label}, "
            f"seed {quiz.seed}"
        )
    ]
    for _topic, topic_name, questions in by_topic(quiz):
        blocks.append([f"$CATEGORY: {category_path([quiz.title, topic_name])}"])
        blocks.extend(_question(q, quiz.lang, quiz.source_language) for q in questions)
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


def write(quizzes: Sequence[Quiz], out_dir: Path, options: ExportOptions) -> list[Path]:
    """Write `<bank>-<lang>[-A].gift.txt` per version; return the paths written.

    Raises QuizgenError, before writing anything, for a question that cannot be
    written (lms_common.check_quizzes).
    """
    check_quizzes(quizzes)
    return [
        write_atomic(out_dir / f"{base_name(q)}.gift.txt", gift(q)) for q in quizzes
    ]
