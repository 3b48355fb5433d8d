"""The note types of quizgen's Anki decks: hard-coded ids, frozen field lists, card templates.

Once released, a note type's id, fields and template names never change
(docs/anki.md): Anki refuses to update notes whose note type changed shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import genanki

from quizgen.quiz import Kind
from quizgen.resources import data_dir

__all__ = ["NOTE_TYPES", "NoteType", "model"]


@dataclass(frozen=True, kw_only=True)
class NoteType:
    """One frozen note type: its id, name, fields and card template files.

    Once released, `model_id`, `fields` and the template's name never change:
    Anki refuses to update notes whose note type changed shape. A new shape
    means a new model id (and a new name ending in the next version).
    """

    kind: Kind
    model_id: int
    name: str
    fields: tuple[str, ...]
    card: str  # the card template's name
    template: str  # file stem in templates/anki/
    cloze: bool = False


_CHOICE_FIELDS = (
    "Question",
    "Options",
    "OptionsKey",
    "Answer",
    "Explanation",
    "Quote",
    "Source",
    "Id",
    "Spare1",
    "Spare2",
)

#: The four note types, released with these ids and fields (docs/anki.md).
NOTE_TYPES: dict[Kind, NoteType] = {
    Kind.MULTIPLE_CHOICE: NoteType(
        kind=Kind.MULTIPLE_CHOICE,
        model_id=1742918305,
        name="quizgen multiple choice v1",
        fields=_CHOICE_FIELDS,
        card="Multiple choice",
        template="multiple_choice",
    ),
    Kind.TRUE_FALSE: NoteType(
        kind=Kind.TRUE_FALSE,
        model_id=1839604127,
        name="quizgen true/false v1",
        fields=_CHOICE_FIELDS,
        card="True or false",
        template="true_false",
    ),
    Kind.CLOZE: NoteType(
        kind=Kind.CLOZE,
        model_id=1590371846,
        name="quizgen cloze v1",
        fields=(
            "Text",
            "Context",
            "Explanation",
            "Quote",
            "Source",
            "Id",
            "Spare1",
            "Spare2",
        ),
        card="Cloze",
        template="cloze",
        cloze=True,
    ),
    Kind.DISCUSSION: NoteType(
        kind=Kind.DISCUSSION,
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
        card="Discussion",
        template="discussion",
    ),
}


@cache
def model(kind: Kind) -> genanki.Model:
    """The genanki model of one note type, with its card template and CSS from templates/anki/."""
    nt = NOTE_TYPES[kind]
    folder = data_dir("templates") / "anki"
    css = (folder / "cards.css").read_text(encoding="utf-8")
    front = (folder / f"{nt.template}.front.html").read_text(encoding="utf-8")
    back = (folder / f"{nt.template}.back.html").read_text(encoding="utf-8")
    return genanki.Model(
        model_id=nt.model_id,
        name=nt.name,
        fields=[{"name": f} for f in nt.fields],
        templates=[{"name": nt.card, "qfmt": front, "afmt": back}],
        css=css,
        model_type=genanki.Model.CLOZE if nt.cloze else genanki.Model.FRONT_BACK,
        sort_field_index=0,
    )
