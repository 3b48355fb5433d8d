"""Selection: which candidates a quiz holds, by the teacher's choices and the seed."""

from __future__ import annotations

import random
from collections import defaultdict

from quizgen.bank import Bank
from quizgen.errors import ChoiceError
from quizgen.generate.candidates import _all_candidates, _Candidate
from quizgen.generate.choices import Choices, _check_choices
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


def _select(bank: Bank, choices: Choices) -> list[_Candidate]:
    by_id = {c.id: c for c in _all_candidates(bank)}
    allowed = available(bank, choices)
    for qid in choices.include:
        if qid not in by_id:
            raise ChoiceError(
                t(f"no question '{qid}' in this bank", f"题库中没有题目 '{qid}'")
            )
    wanted = len(allowed) if choices.count is None else choices.count
    if wanted > len(allowed) and not choices.allow_fewer:
        raise ChoiceError(
            t(
                f"only {len(allowed)} question{' matches' if len(allowed) == 1 else 's match'} "
                f"these choices, but {wanted} {'was' if wanted == 1 else 'were'} asked for. "
                "Hint: widen the topics, kinds or difficulty, or allow fewer questions "
                "(--allow-fewer).",
                f"符合条件的题目只有 {len(allowed)} 道，但要求 {wanted} 道。"
                "提示：放宽主题、题型或难度，或允许题目少于所需数量(--allow-fewer)。",
            )
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
    # round-robin over groups: one question per claim before a second from any
    while len(chosen) < wanted and order:
        next_round = []
        for g in order:
            if len(chosen) >= wanted:
                break
            chosen.append(groups[g].pop())
            if groups[g]:
                next_round.append(g)
        order = next_round
    position = {qid: i for i, qid in enumerate(allowed)}
    return sorted(chosen, key=lambda c: position.get(c.id, -1))
