"""A teacher's text as it comes (a web page, a PDF's text, a Word file saved as
text) made into what a bank quotes: one paragraph a line.

Nothing here changes a word: it decodes the bytes, normalises line ends,
removes a byte-order mark and invisible characters, and joins the lines of a
hard-wrapped paragraph. What it did is reported for the teacher to confirm.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections import Counter
from dataclasses import dataclass

from quizgen.errors import QuizgenError
from quizgen.i18n import t
from quizgen.starter import label_at_start

__all__ = ["ImportedText", "import_text", "decode_text"]

#: sentence-final marks: a line ending in one is not cut in the middle
_FINAL = tuple(".!?:;\"')]…。！？：；”’）」』】")


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


@dataclass(frozen=True, kw_only=True)
class ImportedText:
    """The text one paragraph a line, and what was done to make it so."""

    paragraphs: tuple[str, ...]
    encoding: str
    joined_lines: int  # lines joined into the paragraph before them
    notes: tuple[str, ...]  # what was normalised, in the user's language

    @property
    def text(self) -> str:
        """One paragraph a line, with a final newline: what a bank's source file holds."""
        return "".join(p + "\n" for p in self.paragraphs)


def decode_text(data: bytes, *, name: str = "<text>") -> tuple[str, str]:
    """The text of `data` and the encoding it was in: UTF-8 (with or without a
    byte-order mark), UTF-16 with a mark, or GB18030 (older Chinese files).

    Raises QuizgenError naming `name` when it is none of them.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and not _mostly_cjk_or_ascii(text):
            break
        return text, "utf-8" if encoding == "utf-8-sig" else encoding
    raise QuizgenError(
        t(
            f"{name}: not a text file in UTF-8, UTF-16 or GB18030. "
            "Hint: save it as 'Plain text (UTF-8)'.",
            f"{name}：不是 UTF-8、UTF-16 或 GB18030 编码的文本文件。"
            "提示：请另存为“纯文本（UTF-8）”。",
        )
    )


def _mostly_cjk_or_ascii(text: str) -> bool:
    """GB18030 decodes almost any bytes: accept it only when the result reads as text."""
    good = sum(1 for ch in text if ch.isascii() or "\u4e00" <= ch <= "\u9fff")
    return good >= 0.9 * max(1, len(text))


def import_text(data: bytes | str, *, name: str = "<text>") -> ImportedText:
    """`data` as paragraphs, one a line.

    Blank lines separate paragraphs when the text has them and some paragraph
    spans several lines (hard-wrapped text); otherwise each line is a paragraph,
    except that a line cut at the wrapping width, with no sentence-final mark,
    runs on into the next. A line that starts with a speaker label always starts
    a paragraph. Raises QuizgenError when the bytes are not text or hold none.
    """
    if isinstance(data, bytes):
        text, encoding = decode_text(data, name=name)
    else:
        text, encoding = data, "utf-8"
    notes: list[str] = []
    if isinstance(data, bytes) and data.startswith(
        (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
    ):
        notes.append(t("byte-order mark removed", "已去除字节顺序标记（BOM）"))
    if "\r" in text:
        notes.append(t("line ends normalised (CRLF/CR)", "已统一换行符（CRLF/CR）"))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    cleaned = text.translate(_INVISIBLE)
    if cleaned != text.lstrip("\ufeff"):
        notes.append(
            t("invisible characters removed", "已去除不可见字符（零宽空格、软连字符）")
        )
    lines = [_tidy(line) for line in cleaned.split("\n")]
    paragraphs, joined = _paragraphs(_blocks(lines))
    if joined:
        notes.append(
            t(
                f"{joined} wrapped line(s) joined into their paragraph",
                f"已把 {joined} 个折行并入所在段落",
            )
        )
    if not paragraphs:
        raise QuizgenError(t(f"{name}: the text is empty", f"{name}：文本是空的"))
    return ImportedText(
        paragraphs=tuple(paragraphs),
        encoding=encoding,
        joined_lines=joined,
        notes=tuple(notes),
    )


def _tidy(line: str) -> str:
    """A line without the spaces at its ends (ASCII, no-break, em and
    ideographic spaces: web pages indent paragraphs with them)."""
    return line.strip()


def _blocks(lines: list[str]) -> list[list[str]]:
    """Runs of non-empty lines between blank lines."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _paragraphs(blocks: list[list[str]]) -> tuple[list[str], int]:
    """Paragraphs from blocks of lines, and how many lines were joined.

    When blank lines separate blocks and most lines lie in blocks of several,
    a block is a paragraph unless a line inside it ends a sentence well short
    of the wrapping width, or a labelled block meets another label. Otherwise
    each line is a paragraph, unless most lines reach the wrapping width (a
    hard-wrapped text without blank lines) and a line reaches it.
    """
    lines = [line for block in blocks for line in block]
    if not lines:
        return [], 0
    widths = sorted(len(line) for line in lines)
    wrap = widths[int(0.9 * (len(widths) - 1))] if len(widths) >= 10 else widths[-1]
    in_runs = sum(len(b) for b in blocks if len(b) > 1)
    blank_line_mode = len(blocks) > 1 and in_runs >= 0.5 * len(lines)
    near_wrap = sum(1 for w in widths if w >= 0.85 * wrap)
    wrapped = wrap >= 30 and near_wrap >= 0.4 * len(lines)
    labels = _speaker_labels(blocks)
    paragraphs: list[str] = []
    joined = 0
    for block in blocks:
        labelled = label_at_start(block[0]) is not None
        paragraphs.append(block[0])
        for before, line in itertools.pairwise(block):
            final = before.endswith(_FINAL)
            if label_at_start(line) in labels and (labelled or not blank_line_mode):
                run_on = False
            elif blank_line_mode:
                run_on = not (final and len(before) < 0.75 * wrap)
            else:
                # a wrapped paragraph ends on a short line; a full line runs on,
                # and so does a nearly full one that ends mid-sentence
                run_on = wrapped and (
                    len(before) >= 0.85 * wrap
                    or (len(before) >= 0.7 * wrap and not final)
                )
            if run_on:
                paragraphs[-1] = _join(paragraphs[-1], line)
                joined += 1
            else:
                paragraphs.append(line)
    return paragraphs, joined


def _speaker_labels(blocks: list[list[str]]) -> set[str]:
    """Labels that name speakers: those that start a block, or at least two
    lines. A wrapped line that happens to begin `him: his name is Meletus`
    starts no paragraph."""
    starts = Counter(label_at_start(line) for block in blocks for line in block)
    firsts = {label_at_start(block[0]) for block in blocks}
    return {k for k in starts if k is not None and (k in firsts or starts[k] >= 2)}


def _join(left: str, right: str) -> str:
    """Two pieces of one paragraph: no space between Chinese (or Japanese) text,
    one space between words, none after a hyphen that ends a line."""
    if _wide(left[-1]) or _wide(right[0]) or left.endswith("-"):
        return left + right
    return f"{left} {right}"


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")
