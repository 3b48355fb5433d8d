"""The quality rules every generated quiz must hold."""

from __future__ import annotations

from collections import defaultdict

from quizgen.quiz import Form, Kind, Quiz
from quizgen.rules import cloze_spans, options_comparable
from quizgen.source import compact

BLANK = "______"

#: at most this many answers in a row share a letter (or a true/false value)
MAX_RUN = 2


def tf_imbalance_limit(n: int) -> int:
    """How far the true and false counts of n true/false questions may differ."""
    return max(2, n // 5)


def letter_limit(n: int, options: int = 4) -> int:
    """How often one letter may be right among n multiple-choice questions of
    `options` options each."""
    return -(-n // options) + 1


def _contains(prompt: str, answer: str) -> bool:
    needle = compact(answer).lower()
    return len(needle) > 1 and needle in compact(prompt).lower()


def quality_problems(quiz: Quiz) -> list[str]:
    """Every broken quality rule in a quiz, as 'question id: what'; [] when all hold."""
    problems = []
    four = [q for q in quiz.questions if q.kind == Kind.MULTIPLE_CHOICE]
    # balanced among the questions of each option count (a text of two or
    # three speakers gives "who said this?" questions of two or three options)
    counts: dict[tuple[int, object], int] = defaultdict(int)
    for q in four:
        counts[len(q.options), q.answer] += 1
    for (size, position), n in counts.items():
        limit = letter_limit(sum(len(q.options) == size for q in four), size)
        if n > limit:
            problems.append(
                f"quiz: option {position} is right {n} times (limit {limit})"
            )
    run = 0
    for before, q in zip([None, *four], four, strict=False):
        run = run + 1 if before is not None and before.answer == q.answer else 1
        if run > MAX_RUN:
            problems.append(
                f"{q.id}: option {q.answer} is right {run} times in a row "
                f"(limit {MAX_RUN})"
            )
    tf = [q.answer == 0 for q in quiz.questions if q.kind == Kind.TRUE_FALSE]
    gap = abs(2 * sum(tf) - len(tf))
    if gap > tf_imbalance_limit(len(tf)):
        problems.append(
            f"quiz: {sum(tf)} true and {len(tf) - sum(tf)} false statements "
            f"(at most {tf_imbalance_limit(len(tf))} apart)"
        )
    for q in quiz.questions:
        if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
            if not isinstance(q.answer, int) or not 0 <= q.answer < len(q.options):
                problems.append(f"{q.id}: answer {q.answer!r} is not an option index")
                continue
            if len({compact(o) for o in q.options}) != len(q.options):
                problems.append(f"{q.id}: duplicate options")
        if q.kind == Kind.MULTIPLE_CHOICE:
            if len(q.options) < (2 if q.form == Form.ATTRIBUTION else 4):
                problems.append(f"{q.id}: {len(q.options)} options, too few")
            if not options_comparable(q.options):
                problems.append(f"{q.id}: option lengths differ too much")
            # a prompt naming every option ("Socrates or Euthyphro?") gives none away
            if _contains(q.prompt, q.options[q.answer]) and not all(  # type: ignore[index]
                _contains(q.prompt, o) for o in q.options
            ):
                problems.append(f"{q.id}: the prompt contains its answer")
        if q.kind == Kind.CLOZE and (
            not q.cloze
            or any(
                len(compact(a)) > 1 and cloze_spans(q.prompt, a)
                for a in q.accepted_answers
            )
        ):
            problems.append(f"{q.id}: the cloze prompt shows its answer")
        if q.kind == Kind.CLOZE and BLANK not in q.prompt:
            problems.append(f"{q.id}: the cloze prompt has no blank")
        if q.kind != Kind.DISCUSSION and (
            q.source.quote not in q.explanation
            or str(q.source.paragraph) not in q.explanation
        ):
            problems.append(f"{q.id}: the explanation lacks the quote or its paragraph")
    return problems
