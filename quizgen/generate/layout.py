"""One version's random decisions: question order, answer positions, wrong options."""

from __future__ import annotations

import random
from dataclasses import dataclass

from quizgen.bank import Bank
from quizgen.generate.candidates import (
    ATTRIBUTION_WRONG,
    _Candidate,
    _pick_comparable,
    _stance_options,
    _stance_real_views,
)
from quizgen.generate.quality import MAX_RUN, letter_limit, tf_imbalance_limit
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
    else is in the quiz; then, when the coins fall lopsided (more than
    tf_imbalance_limit apart), the coins of the larger side that fell nearest
    the middle are turned until the paper is near half and half. So removing
    or swapping a question flips another only when the balance needs it.
    """
    coins = {
        c.id: random.Random(f"truth:{seed}:{c.id}").random()
        for c in chosen
        if c.kind == Kind.TRUE_FALSE
    }
    truth = {qid: u < 0.5 for qid, u in coins.items()}
    limit = tf_imbalance_limit(len(truth))
    while True:
        shown_true = sum(truth.values())
        excess = shown_true - (len(truth) - shown_true)
        if abs(excess) <= limit:
            return truth
        side = excess > 0
        turn = min(
            (qid for qid, v in truth.items() if v == side),
            key=lambda qid: (abs(coins[qid] - 0.5), qid),
        )
        truth[turn] = not side


def _positions(sizes: list[int], rng: random.Random) -> list[int]:
    """Right-answer positions for multiple-choice questions with `sizes`
    options each, in the order shown.

    Each drawn at random among the positions that keep the paper balanced
    (among the questions with k options, no position right more than
    letter_limit(n, k) times) and break no run (at most MAX_RUN in a row), so
    no letter is far above its share, runs stay short, and, unlike an exact
    cycle, the letters revealed so far never tell the next one.
    """
    limits = {k: letter_limit(sizes.count(k), k) for k in set(sizes)}
    for _attempt in range(100):
        out: list[int] = []
        counts = {k: [0] * k for k in limits}
        for k in sizes:
            allowed = [
                x
                for x in range(k)
                if counts[k][x] < limits[k]
                and not (len(out) >= MAX_RUN and all(y == x for y in out[-MAX_RUN:]))
            ]
            if not allowed:
                break
            pick = rng.choice(allowed)
            out.append(pick)
            counts[k][pick] += 1
        if len(out) == len(sizes):
            return out
    return [i % k for i, k in enumerate(sizes)]  # pragma: no cover - never met


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
    mc = [chosen[i] for i in order if chosen[i].kind == Kind.MULTIPLE_CHOICE]
    sizes = [_option_count(c, wrong_choice) for c in mc]
    positions = dict(zip((c.id for c in mc), _positions(sizes, rng), strict=True))
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


def _option_count(c: _Candidate, wrong_choice: dict[str, list[int]]) -> int:
    """How many options a multiple-choice question shows: 4, or fewer for a
    "who said this?" question about a text of two or three speakers."""
    return len(wrong_choice[c.id]) + 1 if c.id in wrong_choice else 4


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
            n = min(ATTRIBUTION_WRONG, len(c.wrong_speakers))
            out[c.id] = sorted(rng.sample(range(len(c.wrong_speakers)), n))
        elif c.form == Form.STANCE:
            claim = c.claim
            assert claim is not None
            real = _stance_real_views(claim, list(c.wrong_claims), c.opponents, rng)
            if real is not None:
                out[c.id] = real
                continue
            picked = _stance_options(claim, list(c.wrong_claims), c.opponents, rng)
            # -1 stands for the claim's own false statement
            out[c.id] = [-1, *(picked if picked is not None else c.fallback)]
    return out
