"""One version's random decisions: question order, answer positions, wrong options."""

from __future__ import annotations

import random
from dataclasses import dataclass

from quizgen.bank import Bank
from quizgen.generate.candidates import _Candidate, _pick_comparable
from quizgen.quiz import Form, Kind


@dataclass(frozen=True, kw_only=True)
class _Layout:
    """One version's random decisions, shared by every language."""

    order: tuple[int, ...]
    positions: dict[str, int]  # question id -> index of the right option
    wrong_order: dict[str, tuple[int, ...]]  # question id -> order of the wrong options
    truth: dict[str, bool]  # true/false: show the true statement?


def _truths(chosen: list[_Candidate], seed: int) -> dict[str, bool]:
    """True/false questions: whether each shows its true or its false statement.

    A coin per question (seed and id), the same in every version and whatever
    else is in the quiz, so removing or swapping a question never flips another.
    """
    return {
        c.id: random.Random(f"truth:{seed}:{c.id}").random() < 0.5
        for c in chosen
        if c.kind == Kind.TRUE_FALSE
    }


def _layout(
    chosen: list[_Candidate],
    seed: int,
    version: int,
    wrong_choice: dict[str, list[int]],
    truth: dict[str, bool],
) -> _Layout:
    rng = random.Random(f"version:{seed}:{version}")
    order = list(range(len(chosen)))
    rng.shuffle(order)
    mc = [chosen[i].id for i in order if chosen[i].kind == Kind.MULTIPLE_CHOICE]
    slots = [i % 4 for i in range(len(mc))]
    rng.shuffle(slots)
    positions = dict(zip(mc, slots, strict=True))
    tf_positions = {qid: (0 if shown else 1) for qid, shown in truth.items()}
    wrong_order = {}
    for c in chosen:
        if c.id in wrong_choice:
            idx = list(range(len(wrong_choice[c.id])))
            rng.shuffle(idx)
            wrong_order[c.id] = tuple(idx)
    return _Layout(
        order=tuple(order),
        positions={**positions, **tf_positions},
        wrong_order=wrong_order,
        truth=truth,
    )


def _wrong_choices(
    bank: Bank, chosen: list[_Candidate], seed: int
) -> dict[str, list[int]]:
    """For each multiple-choice question, which wrong options it uses (fixed across versions).

    Each question draws from its own stream (seed and id), so adding or
    removing other claims never changes a question's options.
    """
    out: dict[str, list[int]] = {}
    for c in chosen:
        rng = random.Random(f"options:{seed}:{c.id}")
        if c.form == Form.FACT:
            fact = c.claim.facts[c.fact]  # type: ignore[union-attr]
            picked = _pick_comparable(fact.answer, list(fact.wrong), 3, rng)
            out[c.id] = picked if picked is not None else [0, 1, 2]
        elif c.form == Form.ATTRIBUTION:
            out[c.id] = sorted(rng.sample(range(len(c.wrong_speakers)), 3))
        elif c.form == Form.STANCE:
            pool = [w.statement for w in c.wrong_claims]
            picked = _pick_comparable(c.claim.statement, pool, 3, rng)  # type: ignore[union-attr]
            out[c.id] = picked if picked is not None else list(c.fallback)
    return out
