"""Source view: the source text with paragraph numbers, every quoted span marked
and linked to its claims and the questions made from them."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

from flask import Blueprint, render_template, request

from quizgen.bank import Bank
from quizgen.generate import Choices, generate
from quizgen.quiz import Question
from quizgen.source import compact
from quizgen.web.builder import entry_or_404
from quizgen.web.lang import current

bp = Blueprint("source", __name__, url_prefix="/source")


@dataclass(frozen=True, kw_only=True)
class Segment:
    """A run of a paragraph's text; `claims` quote it (empty: not quoted).

    `starts` holds the claims whose quote begins here, `ends` those that end here.
    """

    text: str
    claims: tuple[str, ...] = ()
    starts: tuple[str, ...] = ()
    ends: tuple[str, ...] = ()


def segments(text: str, quotes: dict[str, str]) -> list[Segment]:
    """Split `text` at the quotes' edges (quotes match ignoring whitespace).

    `quotes` maps claim id to quote; a quote not found in `text` marks nothing.
    """
    positions = [i for i, ch in enumerate(text) if not ch.isspace()]
    packed = "".join(text[i] for i in positions)
    spans: dict[str, tuple[int, int]] = {}
    for claim_id, quote in quotes.items():
        needle = compact(quote)
        at = packed.find(needle) if needle else -1
        if at < 0:
            continue
        spans[claim_id] = (positions[at], positions[at + len(needle) - 1] + 1)
    cuts = sorted(
        {0, len(text), *(s for s, _ in spans.values()), *(e for _, e in spans.values())}
    )
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        inside = tuple(c for c, (s, e) in spans.items() if s <= start and end <= e)
        out.append(
            Segment(
                text=text[start:end],
                claims=inside,
                starts=tuple(c for c in inside if spans[c][0] == start),
                ends=tuple(c for c in inside if spans[c][1] == end),
            )
        )
    return out


_CACHE: dict[tuple[int, str], tuple[Bank, dict[str, list[Question]]]] = {}
_LOCK = threading.Lock()


def questions_by_claim(bank: Bank, lang: str) -> dict[str, list[Question]]:
    """Every question the bank can make (in `lang`), under each claim it draws on."""
    key = (id(bank), lang)
    with _LOCK:
        hit = _CACHE.get(key)
    if hit is not None and hit[0] is bank:
        return hit[1]
    out: dict[str, list[Question]] = defaultdict(list)
    quiz = generate(bank, Choices(lang=lang, allow_fewer=True, siblings=True))[0]
    for q in sorted(quiz.questions, key=lambda q: q.id):
        for claim_id in q.claims:
            out[claim_id].append(q)
    with _LOCK:
        if len(_CACHE) > 16:
            _CACHE.clear()
        _CACHE[key] = (bank, dict(out))
    return dict(out)


@bp.get("/<key>")
def show(key: str) -> str:
    """The source text of one bank, quotes marked (?lang=en|zh for the claims' language)."""
    entry = entry_or_404(key)
    bank = entry.bank
    assert bank is not None
    lang = request.args.get("lang") or current()
    if lang not in ("zh", "en"):
        lang = current()
    by_paragraph: dict[int, dict[str, str]] = defaultdict(dict)
    for claim in bank.claims:
        by_paragraph[claim.paragraph][claim.id] = claim.quote
    number = {c.id: i + 1 for i, c in enumerate(bank.claims)}
    paragraphs = [
        {
            "p": p,
            "segments": segments(p.text, by_paragraph.get(p.number, {})),
        }
        for p in bank.source.paragraphs
    ]
    return render_template(
        "web/source.html",
        entry=entry,
        bank=bank,
        lang=lang,
        paragraphs=paragraphs,
        number=number,
        questions=questions_by_claim(bank, lang) if bank.claims else {},
    )
