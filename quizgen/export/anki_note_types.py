"""The note types of quizgen's Anki decks: hard-coded ids, frozen field lists, card templates.

Once released, a note type's id, fields and template names never change
(docs/anki.md): Anki refuses to update notes whose note type changed shape. A
new shape means a new model id and a new name ending in the next version; the
ids of retired note types are kept in RETIRED so that none is used again.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import genanki

from quizgen.resources import data_dir

__all__ = [
    "CLAIM",
    "CLAIM_SLOTS",
    "DISCUSSION",
    "NOTE_TYPES",
    "RETIRED",
    "NoteType",
    "Slot",
    "model",
]


@dataclass(frozen=True, kw_only=True)
class Slot:
    """One card of a claim note: the question it shows (by the suffix of its
    id after the claim id), its front and back fields and the card's name."""

    suffix: str
    field: str
    card: str

    @property
    def back(self) -> str:
        return f"{self.field}Back"

    @property
    def right(self) -> str:
        return f"{self.field}Right"


#: a claim note's cards, in card order (the order is frozen: it is the card's
#: ordinal, which keeps its review history)
CLAIM_SLOTS: tuple[Slot, ...] = (
    Slot(suffix="fact", field="Fact", card="Fact"),
    Slot(suffix="attribution", field="Who", card="Who said it"),
    Slot(suffix="stance", field="Stance", card="Stance"),
    Slot(suffix="tf", field="TrueFalse", card="True or false"),
    Slot(suffix="cloze", field="Cloze", card="Fill in the blank"),
    *(Slot(suffix=f"fact{i}", field=f"Fact{i}", card=f"Fact {i}") for i in range(2, 7)),
)

_SHARED = ("Explanation", "Quote", "Source", "Spare1", "Spare2")


@dataclass(frozen=True, kw_only=True)
class NoteType:
    """One frozen note type: its id, name, fields and card templates.

    `cards` holds (card name, front field, slot) per card: the templates'
    FRONT and SLOT stand for them (the back reads `<slot>`, `<slot>Back` and
    `<slot>Right`); an empty front field means no card (the template is
    conditional on it). `template` is the file stem in templates/anki/; a
    note type whose card has no front field (`""`) uses the files as they are.
    """

    model_id: int
    name: str
    fields: tuple[str, ...]
    cards: tuple[tuple[str, str, str], ...]
    template: str
    sort_field: str


#: one note per claim, a card per question of the claim: the scheduler treats
#: a claim's cards as siblings (buried for the day when one is studied)
CLAIM = NoteType(
    model_id=1467083921,
    name="quizgen claim v2",
    fields=(
        "Id",
        *(f for s in CLAIM_SLOTS for f in (s.field, s.back, s.right)),
        *_SHARED,
    ),
    cards=tuple((s.card, s.field, s.field) for s in CLAIM_SLOTS),
    template="claim",
    sort_field="Quote",
)

DISCUSSION = NoteType(
    model_id=1675249013,
    name="quizgen discussion v1",
    fields=(
        "Question",
        "Context",
        "Sides",
        "KeyPoints",
        "Source",
        "Id",
        "Spare1",
        "Spare2",
    ),
    cards=(("Discussion", "", ""),),
    template="discussion",
    sort_field="Question",
)

NOTE_TYPES: tuple[NoteType, ...] = (CLAIM, DISCUSSION)

#: note types of earlier releases (one note per question), never written
#: again; their ids are never reused (docs/anki.md, moving to v2)
RETIRED: dict[int, str] = {
    1742918305: "quizgen multiple choice v1",
    1839604127: "quizgen true/false v1",
    1590371846: "quizgen cloze v1",
}


def _right_option_css() -> str:
    """The back's marks for the right option: the list item of number n when
    the card is `qg-right-<n>` (bold, a thick border and ✓, besides colour)."""
    items = [f".qg-right-{n} ol.qg-options > li:nth-child({n})" for n in range(1, 27)]
    return (
        "\n/* the right option on the back (generated: quizgen/export/anki_note_types.py) */\n"
        + ",\n".join(items)
        + " {\n  border: 3px solid var(--qg-right-line);\n"
        "  background-color: var(--qg-right-bg);\n  font-weight: 700;\n  opacity: 1;\n}\n"
        + ",\n".join(f"{x}::after" for x in items)
        + ' {\n  content: "✓";\n  font-weight: 700;\n}\n'
    )


@cache
def model(nt: NoteType) -> genanki.Model:
    """The genanki model of one note type, its templates and CSS from templates/anki/."""
    folder = data_dir("templates") / "anki"
    css = (folder / "cards.css").read_text(encoding="utf-8")
    front = (folder / f"{nt.template}.front.html").read_text(encoding="utf-8")
    back = (folder / f"{nt.template}.back.html").read_text(encoding="utf-8")
    templates = [
        {
            "name": name,
            "qfmt": front.replace("FRONT", field) if field else front,
            "afmt": back.replace("SLOT", slot) if slot else back,
        }
        for name, field, slot in nt.cards
    ]
    if any(slot for _, _, slot in nt.cards):
        css += _right_option_css()
    return genanki.Model(
        model_id=nt.model_id,
        name=nt.name,
        fields=[{"name": f} for f in nt.fields],
        templates=templates,
        css=css,
        model_type=genanki.Model.FRONT_BACK,
        sort_field_index=nt.fields.index(nt.sort_field),
    )
