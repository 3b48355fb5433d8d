"""Blanks to write on: sized to the answer, never broken across a line.

A blank is an inline picture of a ruled line (one small PNG, embedded once):
LibreOffice breaks runs of underscores, of underlined no-break spaces and even
of word-joined ones between lines in Chinese text, and lets a character
widened by letter spacing run into the margin; an inline picture is one unit
that a line holds whole, in Word and in LibreOffice alike.

Its width is the widest accepted answer as the body font would set it, times
HANDWRITING (a hand writes larger than 10.5 pt print), plus an em, and never less
than MIN_BLANK_EM.
"""

from __future__ import annotations

import io
import struct
import unicodedata
import zlib
from collections.abc import Iterable

from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.parts.story import StoryPart
from docx.shared import Emu, Pt
from docx.text.paragraph import Paragraph

from quizgen.export.docx_styles import Fonts

__all__ = ["BLANK_PNG", "Blanks", "blank_width", "printed_width_pt"]

#: how much wider than print a student's handwriting is
HANDWRITING = 1.5
MIN_BLANK_EM = 4.0
#: the picture's height: the line sits at the text's baseline, under the writing
BLANK_HEIGHT = Pt(9)
#: clearance between a blank and the text beside it
GAP = int(Pt(2))


def _png() -> bytes:
    """A 4x12 PNG, transparent but for its black bottom row (0.75 pt at BLANK_HEIGHT)."""
    width, height = 4, 12
    rows = b"".join(
        b"\x00" + (b"\x01" if y == height - 1 else b"\x00") * width
        for y in range(height)
    )

    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(tag + data))
        return struct.pack(">I", len(data)) + tag + data + crc

    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)),
            chunk(b"PLTE", b"\xff\xff\xff\x00\x00\x00"),
            chunk(b"tRNS", b"\x00"),
            chunk(b"IDAT", zlib.compress(rows, 9)),
            chunk(b"IEND", b""),
        )
    )


BLANK_PNG = _png()

#: Latin letters wider than 0.6 em in Times New Roman and Arial
_WIDE_LATIN = set("MWmw@%&")


def printed_width_pt(text: str, size_pt: float) -> float:
    """An upper estimate of `text`'s width set at `size_pt` in the handout's fonts.

    A CJK or full-width character takes an em; a Latin capital or digit at
    most 0.75 em (M and W 1 em); anything else 0.6 em.
    """
    ems = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in "WF" or ch in _WIDE_LATIN:
            ems += 1.0
        elif ch.isupper() or ch.isdigit():
            ems += 0.75
        else:
            ems += 0.6
    return ems * size_pt


def blank_width(answers: Iterable[str], fonts: Fonts, *, limit: Emu) -> Emu:
    """The width of a blank for `answers` (the term and its accepted variants).

    Room for the widest answer written by hand, at least MIN_BLANK_EM ems,
    at most `limit` (the line's width).
    """
    size = fonts.body_pt
    widest = max((printed_width_pt(a, size) for a in answers), default=0.0)
    points = max(MIN_BLANK_EM * size, widest * HANDWRITING + size)
    return Emu(min(int(Pt(points)), int(limit)))


class Blanks:
    """Adds blanks to the paragraphs of one document.

    The picture is added to the document once; each blank is an inline
    element that refers to it, numbered from 1 (python-docx's own
    `add_picture` reads the picture and scans the whole document for a free
    id on every call).
    """

    def __init__(self, part: StoryPart) -> None:
        self._part = part
        self._rid: str | None = None
        self._filename = "blank.png"
        self._next_id = 1

    def add(self, paragraph: Paragraph, width: Emu) -> None:
        """Append a blank `width` wide to `paragraph`, 2 pt clear of the text beside it."""
        if self._rid is None:
            self._rid, image = self._part.get_or_add_image(io.BytesIO(BLANK_PNG))
            self._filename = image.filename
        inline = CT_Inline.new_pic_inline(
            self._next_id, self._rid, self._filename, width, BLANK_HEIGHT
        )
        self._next_id += 1
        for side, emu in (("distT", 0), ("distB", 0), ("distL", GAP), ("distR", GAP)):
            inline.set(side, str(emu))
        # a plain name: the picture is not a figure a screen reader should announce
        doc_pr = inline.find(qn("wp:docPr"))
        doc_pr.set("name", "blank")
        doc_pr.set("descr", "____")
        run = paragraph._p.add_r()
        run.add_drawing(inline)
