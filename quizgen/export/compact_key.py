"""The compact key: a paper's answers on one page, to mark 40 papers fast.

Per section a heading with its points, then for choice and true or false
questions groups of five letters, four groups a row (“1-5 ABCDA”); for
fill in the blank one line per question with the term and its accepted
variants (“23. ten years (also: 10 years)”); for discussion, one line saying where the
marking points are. The detailed key follows on the next page.
"""

from __future__ import annotations

from quizgen.export.handout_common import (
    LETTERS,
    Body,
    section_heading,
    sections,
    text_for,
    variants_text,
)
from quizgen.export.handout_points import Points
from quizgen.quiz import Kind, Question, Quiz

__all__ = ["GROUP", "compact_key", "letter_groups"]

#: answers in one group of the compact key
GROUP = 5
#: groups in one row
ROW = 4


def letter_groups(pairs: list[tuple[int, Question]]) -> list[str]:
    """'1-5 ABCDA' for each run of GROUP numbered choice questions ('11 B' for one)."""
    out = []
    for i in range(0, len(pairs), GROUP):
        chunk = pairs[i : i + GROUP]
        first, last = chunk[0][0], chunk[-1][0]
        numbers = str(first) if first == last else f"{first}-{last}"
        letters = "".join(
            LETTERS[q.answer] if isinstance(q.answer, int) else "?" for _, q in chunk
        )
        out.append(f"{numbers} {letters}")
    return out


def compact_key(body: Body, quiz: Quiz, points: Points) -> None:
    """Append the compact key of `quiz` to `body`'s document (one page for a
    paper of 20-40 questions)."""
    lang = quiz.lang
    text = text_for(lang)
    total = points.total(quiz.questions)
    body.add(text["compact_title"].format(title=quiz.title), style="Title")
    body.add(
        text["compact_version"].format(label=quiz.version_label, total=total),
        style="Subtitle",
    )
    for index, (kind, pairs) in enumerate(sections(quiz)):
        heading = section_heading(lang, index, kind, len(pairs), points)
        if kind == Kind.TRUE_FALSE:
            heading += text["compact_tf"]
        body.add(heading, style="Heading 1")
        if kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
            groups = letter_groups(pairs)
            for i in range(0, len(groups), ROW):
                body.add("\t".join(groups[i : i + ROW]), style="Compact Row")
        elif kind == Kind.CLOZE:
            for number, q in pairs:
                answer = f"{q.answer}{variants_text(q, text)}"
                body.add(f"{number}.\t{answer}", style="Answer Item")
        else:
            for number, _ in pairs:
                body.add(
                    f"{number}.\t{text['compact_discussion']}", style="Answer Item"
                )
