"""A teacher's edits to single questions of a saved quiz, as a layer over the Quiz.

The bank is never changed: an edit is stored with the selection, in the
language it was made in, and `apply_edits` lays it over the generated Quiz.
Every consumer of a saved selection (preview, every download, a live session)
gets its quizzes from `Selection.quizzes`, which calls `apply_edits`, so the
exporters need no change. An edit keeps the question's id (results, Anki
GUIDs and LMS ids still line up) and never touches the verbatim quote, its
paragraph or its speaker.

Options are matched by their text as generated, not by position: versions
show the options in other orders, and the edit follows each option.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from quizgen.answers import normalize_answer, unique_answers
from quizgen.errors import QuizgenError
from quizgen.i18n import t
from quizgen.quiz import Kind, Question, Quiz

__all__ = [
    "MAX_ACCEPTED",
    "MAX_ANSWER_CHARS",
    "MAX_NOTES_CHARS",
    "MAX_OPTION_CHARS",
    "MAX_PROMPT_CHARS",
    "EditError",
    "QuestionEdit",
    "apply_edits",
    "read_edit",
]

MAX_PROMPT_CHARS = 1000
MAX_OPTION_CHARS = 300
MAX_ANSWER_CHARS = 100
MAX_ACCEPTED = 20
MAX_NOTES_CHARS = 4000

LETTERS = "ABCDEFGHIJ"


class EditError(QuizgenError):
    """An edit the teacher must fix; `problems` lists every problem at once."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True, kw_only=True)
class QuestionEdit:
    """What the teacher changed in one question, in one language.

    `options` maps an option's generated text to its new text; `right` is the
    generated text of the option that is now right. None (or empty) leaves a
    part as generated.
    """

    qid: str
    lang: str
    prompt: str | None = None
    options: tuple[tuple[str, str], ...] = ()
    right: str | None = None
    accepted: tuple[str, ...] | None = None
    teacher_notes: str | None = None
    edited_at: int = 0  # Unix seconds: Anki updates a note only for a later time

    @property
    def is_empty(self) -> bool:
        """True when the edit changes nothing."""
        return (
            self.prompt is None
            and not self.options
            and self.right is None
            and self.accepted is None
            and self.teacher_notes is None
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON-able form stored with the selection (parts left as generated omitted)."""
        out: dict[str, Any] = {"qid": self.qid, "lang": self.lang}
        if self.prompt is not None:
            out["prompt"] = self.prompt
        if self.options:
            out["options"] = [list(pair) for pair in self.options]
        if self.right is not None:
            out["right"] = self.right
        if self.accepted is not None:
            out["accepted"] = list(self.accepted)
        if self.teacher_notes is not None:
            out["teacher_notes"] = self.teacher_notes
        if self.edited_at:
            out["edited_at"] = self.edited_at
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QuestionEdit:
        """Read a stored edit. Raises KeyError, ValueError or TypeError when it is not one."""
        accepted = data.get("accepted")
        options = []
        for pair in data.get("options", ()):
            old, new = pair
            options.append((str(old), str(new)))
        return cls(
            qid=str(data["qid"]),
            lang=str(data["lang"]),
            prompt=_opt_str(data.get("prompt")),
            options=tuple(options),
            right=_opt_str(data.get("right")),
            accepted=None if accepted is None else tuple(str(a) for a in accepted),
            teacher_notes=_opt_str(data.get("teacher_notes")),
            edited_at=int(data.get("edited_at", 0)),
        )


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


# --------------------------------------------------------------------------- apply


def apply_edits(quiz: Quiz, edits: Iterable[QuestionEdit]) -> Quiz:
    """`quiz` with the edits made in its language laid over its questions.

    A question keeps its id, kind, claims and source. A part of an edit that
    no longer fits the question (an option the bank no longer gives) is left
    out. The quiz's `modified` time becomes the latest edit's when that is
    later, so that Anki updates the notes of a deck imported before the edit.
    Returns `quiz` itself when no edit applies.
    """
    mine = {e.qid: e for e in edits if e.lang == quiz.lang}
    used = [mine[q.id] for q in quiz.questions if q.id in mine]
    if not used:
        return quiz
    return replace(
        quiz,
        questions=tuple(
            _apply(q, mine[q.id]) if q.id in mine else q for q in quiz.questions
        ),
        modified=max(quiz.modified, *(e.edited_at for e in used)),
    )


def _apply(q: Question, edit: QuestionEdit) -> Question:
    changes: dict[str, Any] = {}
    if edit.prompt is not None and q.kind != Kind.CLOZE:
        changes["prompt"] = edit.prompt
    if q.options:
        if edit.right is not None and edit.right in q.options:
            changes["answer"] = q.options.index(edit.right)
        mapping = dict(edit.options)
        if mapping and set(mapping) <= set(q.options):
            changes["options"] = tuple(mapping.get(o, o) for o in q.options)
    if edit.accepted is not None and q.kind == Kind.CLOZE:
        changes["accepted"] = edit.accepted
    if edit.teacher_notes is not None and q.kind == Kind.DISCUSSION:
        changes["teacher_notes"] = edit.teacher_notes
        if q.explanation == q.teacher_notes:
            changes["explanation"] = edit.teacher_notes
    return replace(q, **changes) if changes else q


# --------------------------------------------------------------------------- read


def _clean(text: str, *, multiline: bool) -> str:
    """NFC, Windows line ends made plain, ends trimmed."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not multiline:
        text = " ".join(text.split("\n"))
    return text.strip()


def _bad_chars(text: str) -> bool:
    """Control or invisible formatting characters (a right-to-left override)."""
    return any(
        unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") and ch not in "\n\t"
        for ch in text
    )


def read_edit(
    question: Question,
    lang: str,
    get: Callable[[str], str | None],
    getlist: Callable[[str], list[str]],
    *,
    now: int = 0,
) -> QuestionEdit:
    """The teacher's edit of `question` (as generated, in `lang`) from a form.

    Fields: `prompt`; `option` (one per option, in the order shown) and `right`
    (the index of the right option) for choice questions; `accepted` (one
    answer a line) for a cloze; `teacher_notes` for a discussion. A part equal
    to the generated one is left out, so an edit back to the bank's text is
    no edit. `now` (Unix seconds) is kept as the edit's time. Raises
    EditError listing every problem.
    """
    problems: list[str] = []

    def text(
        name: str, limit: int, label: tuple[str, str], *, multiline: bool, was: str
    ) -> str | None:
        raw = get(name)
        if raw is None:
            return None
        value = _clean(raw, multiline=multiline)
        if value == was:  # as generated: the bank's text is not the teacher's to fix
            return value
        if len(value) > limit:
            problems.append(
                t(
                    f"{label[0]}: at most {limit} characters (this one has {len(value)}).",
                    f"{label[1]}：最多 {limit} 个字符（现在有 {len(value)} 个）。",
                )
            )
        if _bad_chars(value):
            problems.append(
                t(
                    f"{label[0]}: contains control or invisible characters; "
                    "type the text again.",
                    f"{label[1]}：含有控制字符或不可见字符，请重新输入。",
                )
            )
        return value

    edit = QuestionEdit(qid=question.id, lang=lang)

    if question.kind != Kind.CLOZE:
        prompt = text(
            "prompt",
            MAX_PROMPT_CHARS,
            ("The question", "题干"),
            multiline=True,
            was=question.prompt,
        )
        if prompt is not None and not prompt:
            problems.append(t("The question may not be empty.", "题干不能为空。"))
        if prompt and prompt != question.prompt:
            edit = replace(edit, prompt=prompt)

    if question.kind == Kind.MULTIPLE_CHOICE:
        raw_options = getlist("option")
        if len(raw_options) != len(question.options):
            problems.append(
                t(
                    f"Give all {len(question.options)} options.",
                    f"请填写全部 {len(question.options)} 个选项。",
                )
            )
        else:
            new = []
            for i, raw in enumerate(raw_options):
                letter = LETTERS[i]
                new.append(
                    _checked_option(raw, letter, problems, was=question.options[i])
                )
            seen: dict[str, str] = {}
            for i, value in enumerate(new):
                key = normalize_answer(value)
                if not value:
                    problems.append(
                        t(
                            f"Option {LETTERS[i]} may not be empty.",
                            f"选项 {LETTERS[i]} 不能为空。",
                        )
                    )
                elif key in seen:
                    problems.append(
                        t(
                            f"Options {seen[key]} and {LETTERS[i]} read the same; "
                            "each option must differ.",
                            f"选项 {seen[key]} 和 {LETTERS[i]} 相同；每个选项都必须不同。",
                        )
                    )
                else:
                    seen[key or value] = LETTERS[i]
            pairs = tuple(
                (old, value)
                for old, value in zip(question.options, new, strict=True)
                if value != old
            )
            edit = replace(edit, options=pairs)

    if question.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
        raw_right = get("right")
        try:
            right = int(str(raw_right))
        except ValueError:
            right = -1
        if not 0 <= right < len(question.options):
            problems.append(
                t(
                    "Mark exactly one option as the right answer.",
                    "请把恰好一个选项标为正确答案。",
                )
            )
        elif right != question.answer:
            edit = replace(edit, right=question.options[right])

    if question.kind == Kind.CLOZE and get("accepted") is not None:
        lines = [
            _clean(line, multiline=False)
            for line in (get("accepted") or "").replace("\r", "\n").split("\n")
        ]
        lines = [line for line in lines if line]
        if len(lines) > MAX_ACCEPTED:
            problems.append(
                t(
                    f"Other accepted answers: at most {MAX_ACCEPTED} (this list has {len(lines)}).",
                    f"其他可接受的答案：最多 {MAX_ACCEPTED} 个（现在有 {len(lines)} 个）。",
                )
            )
        for line in lines:
            if len(line) > MAX_ANSWER_CHARS:
                problems.append(
                    t(
                        f"Accepted answer '{line[:20]}…': at most {MAX_ANSWER_CHARS} characters.",
                        f"可接受的答案“{line[:20]}…”：最多 {MAX_ANSWER_CHARS} 个字符。",
                    )
                )
            elif _bad_chars(line):
                problems.append(
                    t(
                        f"Accepted answer '{line}': contains control or invisible characters.",
                        f"可接受的答案“{line}”：含有控制字符或不可见字符。",
                    )
                )
            elif not normalize_answer(line):
                problems.append(
                    t(
                        f"Accepted answer '{line}': only punctuation or spaces; "
                        "it would match nothing a student types.",
                        f"可接受的答案“{line}”：只有标点或空格，学生输入什么都对不上。",
                    )
                )
        term = str(question.answer)
        variants = unique_answers((term, *lines))[1:]
        if variants != question.accepted_answers[1:]:
            edit = replace(edit, accepted=variants)

    if question.kind == Kind.DISCUSSION:
        notes = text(
            "teacher_notes",
            MAX_NOTES_CHARS,
            ("Teacher notes", "教师备注"),
            multiline=True,
            was=question.teacher_notes,
        )
        if notes is not None and notes != question.teacher_notes:
            edit = replace(edit, teacher_notes=notes)

    if problems:
        raise EditError(problems)
    return edit if edit.is_empty else replace(edit, edited_at=now)


def _checked_option(raw: str, letter: str, problems: list[str], *, was: str) -> str:
    value = _clean(raw, multiline=False)
    if value == was:
        return value
    if len(value) > MAX_OPTION_CHARS:
        problems.append(
            t(
                f"Option {letter}: at most {MAX_OPTION_CHARS} characters "
                f"(this one has {len(value)}).",
                f"选项 {letter}：最多 {MAX_OPTION_CHARS} 个字符（现在有 {len(value)} 个）。",
            )
        )
    if _bad_chars(value):
        problems.append(
            t(
                f"Option {letter}: contains control or invisible characters; "
                "type the text again.",
                f"选项 {letter}：含有控制字符或不可见字符，请重新输入。",
            )
        )
    return value
