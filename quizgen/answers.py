"""One rule for typed answers: how a cloze answer is normalised and matched.

Live marking, Anki, Moodle XML, GIFT and QTI all accept the same strings: the
question's term and its accepted variants. A typed answer is right when its
normal form equals the normal form of one of them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

__all__ = ["accepts", "normalize_answer", "unique_answers"]

#: punctuation inside an answer that a student may type or leave out: dashes,
#: connectors, brackets and quote marks (not . , % which change a number)
_DROPPED_INSIDE = {"Pd", "Pc", "Ps", "Pe", "Pi", "Pf"}


#: marks that change what an answer means, kept even at its ends
_KEPT_AT_ENDS = set("%‰")


def normalize_answer(text: str) -> str:
    """The form two answers are compared in.

    NFKC (full-width letters, digits and marks become their plain forms),
    case folded, whitespace removed, punctuation at either end removed in both
    languages (。，！？.,!? …), and dashes, brackets and quote marks removed
    inside. "GPT-4" and "ｇｐｔ４" match; "3.5" and "35" do not.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(
        ch
        for ch in folded
        if not ch.isspace() and unicodedata.category(ch) not in _DROPPED_INSIDE
    )
    return kept.strip("".join(_edge_marks(kept)))


def _edge_marks(text: str) -> set[str]:
    """The punctuation characters in `text`, to strip from its ends."""
    return {
        ch
        for ch in text
        if unicodedata.category(ch).startswith("P") and ch not in _KEPT_AT_ENDS
    }


def unique_answers(answers: Iterable[str]) -> tuple[str, ...]:
    """The answers in order, without blanks and without repeats under the rule."""
    seen: set[str] = set()
    out: list[str] = []
    for a in answers:
        key = normalize_answer(a)
        if key and key not in seen:
            seen.add(key)
            out.append(a)
    return tuple(out)


def accepts(typed: str, accepted: Iterable[str]) -> bool:
    """True when `typed` matches one of the `accepted` answers under the rule."""
    key = normalize_answer(typed)
    return bool(key) and any(key == normalize_answer(a) for a in accepted)
