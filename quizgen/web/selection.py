"""A teacher's saved selection: the choices made in the builder and the exact questions.

The preview, every download and a live session are built from
`Selection.quizzes(bank)`, which asks the generator for exactly the saved
question ids with the saved seed, keeps the order a remove or a swap left
(`layout`), and lays the teacher's edits over the questions (`edits`), so
what the teacher saw is what the files and the students get.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Any

from quizgen.bank import Bank
from quizgen.errors import ChoiceError
from quizgen.generate import Choices, available, generate, parse_kinds
from quizgen.i18n import t
from quizgen.quiz import Kind, Quiz
from quizgen.web.edits import QuestionEdit, apply_edits

__all__ = ["Layout", "Selection", "new_seed"]

#: per version, the questions in the order shown, each with its options in the
#: order shown (in the selection's language; empty: as the generator lays them)
Layout = tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]

MAX_SEED = 999_999


def new_seed(rng: random.Random | None = None) -> int:
    """A fresh seed for a new build or a reshuffle (1 to 999999)."""
    return (rng or random.SystemRandom()).randint(1, MAX_SEED)


@dataclass(frozen=True, kw_only=True)
class Selection:
    """The builder's choices plus the chosen question ids (in bank order)."""

    lang: str = "zh"
    topics: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # "kind:form"
    difficulty: tuple[int, ...] = ()
    count: int | None = None
    seed: int = 0
    versions: int = 1
    #: cloze blanks with more than one right wording (quizgen.generate.blanks)
    open_blanks: bool = False
    ids: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    layout: Layout = ()
    edits: tuple[QuestionEdit, ...] = ()

    # ------------------------------------------------------------------ choices

    def choices(self, **changes: Any) -> Choices:
        """The generator's Choices for the builder's filters (not the saved ids)."""
        base = Choices(
            lang=self.lang,
            topics=self.topics,
            kinds=parse_kinds(self.kinds),
            difficulty=self.difficulty,
            count=self.count,
            seed=self.seed,
            versions=self.versions,
            exclude=self.excluded,
            open_blanks=self.open_blanks,
        )
        return replace(base, **changes)

    def exact_choices(self) -> Choices:
        """Choices that give exactly the saved questions, in the saved layout."""
        return Choices(
            lang=self.lang,
            seed=self.seed,
            versions=self.versions,
            include=self.ids,
            count=len(self.ids),
        )

    def quizzes(
        self, bank: Bank, lang: str | None = None, *, edited: bool = True
    ) -> tuple[Quiz, ...]:
        """One Quiz per version with exactly the saved questions (in `lang` if given),
        in the saved order, with the teacher's edits (unless `edited` is False).

        Edits are made in the selection's language: in another language a
        question keeps its words, but its right answer follows the edit (the
        options sit in the same places in both languages).
        Raises ChoiceError if the bank no longer has one of them.
        """
        choices = self.exact_choices()
        if lang is not None and lang != self.lang and not (self.layout or self.edits):
            return generate(bank, replace(choices, lang=lang))
        own = generate(bank, choices)
        pinned = tuple(_pin(q, q, self._version_layout(i)) for i, q in enumerate(own))
        if edited:
            pinned = tuple(apply_edits(q, self.edits) for q in pinned)
        if lang is None or lang == self.lang:
            return pinned
        other = generate(bank, replace(choices, lang=lang))
        out = []
        for i, (mine, theirs) in enumerate(zip(own, other, strict=True)):
            quiz = _pin(mine, theirs, self._version_layout(i))
            if edited:
                right = {q.id: q.answer for q in pinned[i].questions if q.options}
                quiz = replace(
                    quiz,
                    modified=pinned[i].modified,
                    questions=tuple(
                        replace(q, answer=right[q.id])
                        if q.id in right and q.answer != right[q.id]
                        else q
                        for q in quiz.questions
                    ),
                )
            out.append(quiz)
        return tuple(out)

    def _version_layout(self, index: int) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return self.layout[index] if index < len(self.layout) else ()

    def _layout_of(self, bank: Bank) -> Layout:
        """The order every version shows now (questions, and options of multiple choice)."""
        return tuple(
            tuple(
                (q.id, q.options if q.kind == Kind.MULTIPLE_CHOICE else ())
                for q in quiz.questions
            )
            for quiz in self.quizzes(bank, edited=False)
        )

    def edit_for(self, qid: str) -> QuestionEdit | None:
        """The teacher's edit of question `qid`, or None."""
        for edit in self.edits:
            if edit.qid == qid:
                return edit
        return None

    def with_edit(self, edit: QuestionEdit) -> Selection:
        """The selection with `edit` in place of any earlier edit of its question
        (an empty edit takes the question back to the bank's text).

        Raises ChoiceError when the question is not in the quiz.
        """
        if edit.qid not in self.ids:
            raise ChoiceError(
                t(
                    f"no question '{edit.qid}' in this quiz",
                    f"本测验中没有题目 '{edit.qid}'",
                )
            )
        others = tuple(e for e in self.edits if e.qid != edit.qid)
        if edit.is_empty:
            return replace(self, edits=others)
        return replace(self, edits=(*others, edit))

    # ------------------------------------------------------------------ building

    def build(self, bank: Bank) -> Selection:
        """Pick the questions for these choices; return the selection with its ids.

        Raises ChoiceError when the choices cannot be met.
        """
        quiz = generate(bank, replace(self.choices(), versions=1))[0]
        return replace(self, ids=_bank_order(bank, self, quiz))

    def without(self, bank: Bank, qid: str) -> Selection:
        """The selection with one question removed (and kept out of later swaps);
        the others keep their order, options and edits.

        Raises ChoiceError when it is the last question.
        """
        if qid not in self.ids:
            raise ChoiceError(
                t(f"no question '{qid}' in this quiz", f"本测验中没有题目 '{qid}'")
            )
        if len(self.ids) == 1:
            raise ChoiceError(
                t(
                    "a quiz needs at least one question",
                    "测验至少需要一道题",
                )
            )
        layout = tuple(
            tuple(item for item in version if item[0] != qid)
            for version in self._layout_of(bank)
        )
        return replace(
            self,
            ids=tuple(i for i in self.ids if i != qid),
            excluded=_add(self.excluded, qid),
            count=len(self.ids) - 1,
            layout=layout,
            edits=tuple(e for e in self.edits if e.qid != qid),
        )

    def swapped(self, bank: Bank, qid: str) -> Selection:
        """The selection with one question replaced by another the choices allow,
        in its place; the others keep their order, options and edits.

        Raises ChoiceError when no other question is left to swap in.
        """
        if qid not in self.ids:
            raise ChoiceError(
                t(f"no question '{qid}' in this quiz", f"本测验中没有题目 '{qid}'")
            )
        keep = tuple(i for i in self.ids if i != qid)
        excluded = _add(self.excluded, qid)
        choices = self.choices(
            include=keep, exclude=excluded, count=len(self.ids), versions=1
        )
        try:
            quiz = generate(bank, choices)[0]
        except ChoiceError:
            raise ChoiceError(
                t(
                    "no other question matches these choices: remove this one instead, "
                    "or build again with wider choices",
                    "没有其他符合条件的题目可换：可以删除这道题，或放宽条件重新生成",
                )
            ) from None
        (new,) = {q.id for q in quiz.questions} - set(keep)
        layout = tuple(
            tuple((new, ()) if item[0] == qid else item for item in version)
            for version in self._layout_of(bank)
        )
        return replace(
            self,
            ids=_bank_order(bank, self, quiz),
            excluded=excluded,
            layout=layout,
            edits=tuple(e for e in self.edits if e.qid != qid),
        )

    def reshuffled(self, bank: Bank, seed: int) -> Selection:
        """A new pick of as many questions with a new seed (removed ones stay out),
        laid out afresh.

        Raises ChoiceError when the choices cannot be met.
        """
        choices = self.choices(seed=seed, count=len(self.ids), versions=1)
        quiz = generate(bank, choices)[0]
        again = replace(self, seed=seed, layout=())
        ids = _bank_order(bank, again, quiz)
        # an edited question that is picked again keeps its edit
        return replace(
            again, ids=ids, edits=tuple(e for e in self.edits if e.qid in ids)
        )

    # ------------------------------------------------------------------ storage

    def to_dict(self) -> dict[str, Any]:
        """The JSON-able form stored under the short code (`layout` and `edits`
        only when there are any, so a plain selection keeps its code)."""
        out: dict[str, Any] = {
            "lang": self.lang,
            "topics": list(self.topics),
            "kinds": list(self.kinds),
            "difficulty": list(self.difficulty),
            "count": self.count,
            "seed": self.seed,
            "versions": self.versions,
            "open_blanks": self.open_blanks,
            "ids": list(self.ids),
            "excluded": list(self.excluded),
        }
        if self.layout:
            out["layout"] = [
                [[qid, list(options)] for qid, options in version]
                for version in self.layout
            ]
        if self.edits:
            out["edits"] = [e.to_dict() for e in self.edits]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Selection:
        """Read a stored selection. Raises KeyError or ValueError when it is not one."""
        count = data["count"]
        return cls(
            lang=str(data["lang"]),
            topics=tuple(str(x) for x in data["topics"]),
            kinds=tuple(str(x) for x in data["kinds"]),
            difficulty=tuple(int(x) for x in data["difficulty"]),
            count=None if count is None else int(count),
            seed=int(data["seed"]),
            versions=int(data["versions"]),
            # selections stored before the choice existed were built with them
            open_blanks=bool(data.get("open_blanks", True)),
            ids=tuple(str(x) for x in data["ids"]),
            excluded=tuple(str(x) for x in data["excluded"]),
            layout=tuple(
                tuple((str(qid), tuple(str(o) for o in options)) for qid, options in v)
                for v in data.get("layout", ())
            ),
            edits=tuple(QuestionEdit.from_dict(e) for e in data.get("edits", ())),
        )


def _add(items: tuple[str, ...], item: str) -> tuple[str, ...]:
    return items if item in items else (*items, item)


def _bank_order(bank: Bank, selection: Selection, quiz: Quiz) -> tuple[str, ...]:
    """The quiz's question ids in the order the bank lists them."""
    chosen = {q.id for q in quiz.questions}
    every = available(bank, Choices(lang=selection.lang))
    return tuple(i for i in every if i in chosen)


def _pin(
    generated: Quiz,
    target: Quiz,
    layout: tuple[tuple[str, tuple[str, ...]], ...],
) -> Quiz:
    """`target` (the same questions as `generated`, maybe in another language)
    in the saved order, with each multiple-choice question's options where
    they were. The positions are read in `generated`, whose texts the layout
    holds; a question the layout does not know keeps its generated options and
    goes where the layout names it (or last)."""
    if not layout:
        return target
    rank = {qid: i for i, (qid, _options) in enumerate(layout)}
    shown = dict(layout)
    own = {q.id: q for q in generated.questions}
    questions = []
    for q in target.questions:
        texts = shown.get(q.id, ())
        mine = own.get(q.id)
        if texts and mine is not None and sorted(texts) == sorted(mine.options):
            where = [mine.options.index(text) for text in texts]
            answer = where.index(q.answer) if isinstance(q.answer, int) else q.answer
            q = replace(q, options=tuple(q.options[i] for i in where), answer=answer)
        questions.append(q)
    last = len(rank)
    order = sorted(
        range(len(questions)), key=lambda i: (rank.get(questions[i].id, last), i)
    )
    return replace(target, questions=tuple(questions[i] for i in order))
