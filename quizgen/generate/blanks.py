"""Which cloze blanks have one right answer.

A blank is *closed* when what fills it is a number, a name (a person, a place,
an organisation, a product) or a term the text itself writes in Latin script
(Transformer, SAP): a student who knows the talk types it, and a list of
spellings covers every way to write it. Every other blank is *open*: a common
word ("carrier") has more wordings that fit the sentence than any list
of accepted answers holds, and in a translation as many as there are
translators. Independent readers of sampled questions found a second
defensible fill in most open blanks even after their lists were widened.

So a quiz that a machine marks (a live quiz, an LMS file, a handout keyed for
marking) asks only closed blanks by default; open ones are for drills a
person marks (an Anki card the student grades, a handout marked by hand) and
are asked for by name (`--open-blanks`, the builder's "open blanks" box).

A blank is closed when, in every language the bank has, the term (or an
accepted variant) is a number, or it is written the same in both languages
(a Latin-script term or a figure), or the segmenter finds only names in its
Chinese and it is capitalised in English.
"""

from __future__ import annotations

import re

from quizgen.answers import normalize_answer
from quizgen.bank import Claim
from quizgen.segment import words

__all__ = ["closed_blank"]

_NAMES = frozenset(["person", "place", "organisation", "latin", "number"])
_FIGURE = re.compile(r"第?\d+(?:[.,]\d+)*%?\D{0,6}")


def closed_blank(claim: Claim, languages: tuple[str, ...]) -> bool:
    """Whether the claim's cloze has one right answer (see the module)."""
    if claim.cloze is None:
        return False
    terms = {lang: claim.cloze.get(lang) for lang in languages}
    keys = {normalize_answer(t) for t in terms.values() if t}
    if len(keys) == 1 and len(terms) > 1:
        return True  # the same figure or Latin term in both languages
    return all(_closed(term, lang) for lang, term in terms.items() if term)


def _closed(term: str, lang: str) -> bool:
    key = normalize_answer(term)
    if _FIGURE.fullmatch(key):  # 25, five (the rule reads number words)
        return True
    if lang == "zh":
        found = words(term, "zh")
        return bool(found) and all(w.kind in _NAMES for w in found)
    # an English name: every word capitalised (Stanford University, GitHub Copilot)
    return all(w[:1].isupper() or w[:1].isdigit() for w in term.split())
