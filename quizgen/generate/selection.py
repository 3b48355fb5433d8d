"""Selection: which candidates a quiz holds, by the teacher's choices and the seed."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace

from quizgen.bank import Bank
from quizgen.errors import ChoiceError
from quizgen.generate.candidates import _all_candidates, _Candidate
from quizgen.generate.choices import LANGS, Choices, _check_choices
from quizgen.i18n import t
from quizgen.quiz import Form, Kind


def available(bank: Bank, choices: Choices) -> list[str]:
    """Ids of every question the choices allow (before `count`), in bank order."""
    _check_choices(bank, choices)
    kinds = set(choices.kinds)
    topics = set(choices.topics)
    levels = set(choices.difficulty)
    excluded = set(choices.exclude)
    return [
        c.id
        for c in _all_candidates(bank)
        if (not kinds or (c.kind, c.form) in kinds)
        and (not topics or c.topic in topics)
        and (not levels or c.difficulty in levels)
        and c.id not in excluded
        and (choices.open_blanks or not c.open_blank)
    ]


def available_counts(
    bank: Bank, choices: Choices
) -> dict[str, dict[tuple[Kind, Form], int]]:
    """How many questions each topic can give, per (kind, form), under `choices`."""
    allowed = set(available(bank, choices))
    out: dict[str, dict[tuple[Kind, Form], int]] = {}
    for c in _all_candidates(bank):
        if c.id in allowed:
            row = out.setdefault(c.topic, {})
            row[(c.kind, c.form)] = row.get((c.kind, c.form), 0) + 1
    return out


def drawable(bank: Bank, choices: Choices) -> int:
    """How many questions a quiz under `choices` can hold (ignoring `count`).

    With `siblings` this is len(available(...)); without, at most one per claim
    or debate, fewer where questions would give each other's answers away.
    """
    return len(_select(bank, replace(choices, count=None, allow_fewer=True)))


def _select(bank: Bank, choices: Choices) -> list[_Candidate]:
    by_id = {c.id: c for c in _all_candidates(bank)}
    allowed = available(bank, choices)
    for qid in choices.include:
        if qid not in by_id:
            raise ChoiceError(
                t(f"no question '{qid}' in this bank", f"题库中没有题目 '{qid}'")
            )
    rng = random.Random(f"select:{choices.seed}")
    chosen = [by_id[q] for q in choices.include if q in by_id]
    taken = {c.id for c in chosen}
    groups: dict[str, list[_Candidate]] = defaultdict(list)
    for qid in allowed:
        if qid not in taken:
            groups[by_id[qid].group].append(by_id[qid])
    order = list(groups)
    rng.shuffle(order)
    for members in groups.values():
        rng.shuffle(members)
    if choices.siblings:
        wanted = len(allowed) if choices.count is None else choices.count
        _refuse_short(choices, len(allowed), wanted)
        _round_robin(chosen, groups, order, wanted)
    else:
        wanted = len(groups) + len(chosen) if choices.count is None else choices.count
        _one_per_claim(chosen, groups, order, wanted)
        if choices.count is not None:
            _refuse_short(choices, len(chosen), wanted)
    position = {qid: i for i, qid in enumerate(allowed)}
    return sorted(chosen, key=lambda c: position.get(c.id, -1))


def _refuse_short(choices: Choices, possible: int, wanted: int) -> None:
    if wanted <= possible or choices.allow_fewer:
        return
    one_en = (
        ""
        if choices.siblings
        else " A quiz holds one question per claim, none giving away another's "
        "answer; a drill may hold several (--siblings)."
    )
    one_zh = (
        ""
        if choices.siblings
        else "测验中每条论断至多出一道题，且题目之间互不泄露答案；"
        "练习可以每条论断出多道题(--siblings)。"
    )
    raise ChoiceError(
        t(
            f"only {possible} question{' matches' if possible == 1 else 's match'} "
            f"these choices, but {wanted} {'was' if wanted == 1 else 'were'} asked for. "
            "Hint: widen the topics, kinds or difficulty, or allow fewer questions "
            f"(--allow-fewer).{one_en}",
            f"符合条件的题目只有 {possible} 道，但要求 {wanted} 道。"
            f"提示：放宽主题、题型或难度，或允许题目少于所需数量(--allow-fewer)。{one_zh}",
        )
    )


def _round_robin(
    chosen: list[_Candidate],
    groups: dict[str, list[_Candidate]],
    order: list[str],
    wanted: int,
) -> None:
    """Take questions group by group: one per claim before a second from any."""
    while len(chosen) < wanted and order:
        next_round = []
        for g in order:
            if len(chosen) >= wanted:
                break
            chosen.append(groups[g].pop())
            if groups[g]:
                next_round.append(g)
        order = next_round


def _one_per_claim(
    chosen: list[_Candidate],
    groups: dict[str, list[_Candidate]],
    order: list[str],
    wanted: int,
) -> None:
    """Take at most one question per group (claim or debate), and none whose
    prompt or options give away the answer of a question already taken, or
    whose answer one of them gives away."""
    used = {c.group for c in chosen}
    taken = _Taken()
    for c in chosen:
        taken.add(c)
    for g in order:
        if len(chosen) >= wanted:
            return
        if g in used:
            continue
        for c in reversed(groups[g]):
            if not taken.clashes(c):
                chosen.append(c)
                taken.add(c)
                used.add(g)
                break


class _Taken:
    """What the questions taken so far show and what gives their answers away,
    indexed so that a candidate is checked against all of them at once."""

    def __init__(self) -> None:
        self.shown: list[list[str]] = [[] for _ in LANGS]
        self.joined: list[str | None] = [None for _ in LANGS]
        #: per language: first two characters of a key -> the keys
        self.keys: list[dict[str, list[str]]] = [{} for _ in LANGS]

    def add(self, c: _Candidate) -> None:
        for i in range(len(LANGS)):
            self.shown[i].append(c.shown[i])
            self.joined[i] = None
            for key in c.keys[i]:
                self.keys[i].setdefault(key[:2], []).append(key)

    def clashes(self, c: _Candidate) -> bool:
        """True if `c` gives away a taken question's answer, or one gives away c's."""
        for i in range(len(LANGS)):
            if c.keys[i]:
                joined = self.joined[i]
                if joined is None:
                    joined = self.joined[i] = "\x00".join(self.shown[i])
                if any(key in joined for key in c.keys[i]):
                    return True
            index = self.keys[i]
            if index:
                text = c.shown[i]
                starts = {text[j : j + 2] for j in range(len(text) - 1)}
                for start in starts & index.keys():
                    if any(key in text for key in index[start]):
                        return True
        return False
