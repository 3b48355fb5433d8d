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

    `cards` holds (card name, front field, back field) per card; an empty front
    field means no card (the template is conditional on it). `template` is the
    file stem in templates/anki/; a note type with one card and no front
    field (`""`) uses the template files as they are.
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
    fields=("Id", *(f for s in CLAIM_SLOTS for f in (s.field, s.back)), *_SHARED),
    cards=tuple((s.card, s.field, s.back) for s in CLAIM_SLOTS),
    template="claim",
    sort_field="Explanation",
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
            "afmt": back.replace("BACK", back_field) if back_field else back,
        }
        for name, field, back_field in nt.cards
    ]
    return genanki.Model(
        model_id=nt.model_id,
        name=nt.name,
        fields=[{"name": f} for f in nt.fields],
        templates=templates,
        css=css,
        model_type=genanki.Model.FRONT_BACK,
        sort_field_index=nt.fields.index(nt.sort_field),
    )
