"""What the LMS exporters (Moodle XML, GIFT, QTI) share.

Each of them shows a question as the same pieces: the prompt, for a
discussion the positions and guiding questions, and a general feedback. This
module gives those pieces as plain-text lines, so that each format escapes
them its own way, plus the few helpers that more than one format needs
(HTML from lines, Moodle category paths, XML-safe text, NCName identifiers).
"""

from __future__ import annotations

import hashlib
import html
import re
import time
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from lxml import etree

from quizgen.bank.genre import quote_marks
from quizgen.errors import QuizgenError
from quizgen.export.files import atomic_path
from quizgen.i18n import t
from quizgen.quiz import Kind, Question, Quiz

__all__ = [
    "BLANK",
    "by_topic",
    "category_path",
    "check_quizzes",
    "discussion_lines",
    "feedback_lines",
    "html_paragraphs",
    "label",
    "moodle_idnumber",
    "ncname",
    "question_title",
    "write_zip",
    "xml_bytes",
    "sub_element",
    "xml_text",
]

#: the blank a cloze prompt shows (as quizgen.generate writes it)
BLANK = "______"

_LABELS: dict[str, dict[str, str]] = {
    "positions": {"en": "Each side's position", "zh": "各方的观点"},
    "guiding": {"en": "Questions to guide you", "zh": "引导问题"},
    "source": {
        "en": "Source, paragraph {paragraph}, {speaker}: {qo}{quote}{qc}",
        "zh": "原文第 {paragraph} 段，{speaker}：{qo}{quote}{qc}",
    },
    "side": {"en": "{speaker}: {position}", "zh": "{speaker}:{position}"},
    "teacher_notes": {"en": "Notes for the teacher", "zh": "教师参考"},
}


def check_quizzes(quizzes: Sequence[Quiz]) -> None:
    """Check that every question can be written as an LMS question.

    Raises QuizgenError naming the question when a choice question's answer
    is not the index of one of its options, or a cloze question has no term.
    Run before any file is written, so a bad quiz leaves nothing behind.
    """
    for quiz in quizzes:
        for q in quiz.questions:
            if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE) and not (
                isinstance(q.answer, int)
                and not isinstance(q.answer, bool)
                and 0 <= q.answer < len(q.options)
            ):
                raise QuizgenError(
                    t(
                        f"question '{q.id}': the answer {q.answer!r} is not the "
                        f"index of one of its {len(q.options)} options",
                        f"题目 '{q.id}'：答案 {q.answer!r} 不是其 "
                        f"{len(q.options)} 个选项之一的序号",
                    )
                )
            if q.kind == Kind.CLOZE and not (isinstance(q.answer, str) and q.answer):
                raise QuizgenError(
                    t(
                        f"question '{q.id}': a cloze question needs its term as the answer",
                        f"题目 '{q.id}'：填空题的答案必须是被挖空的词",
                    )
                )


def label(name: str, lang: str, **values: object) -> str:
    """A fixed piece of learner-facing text in the quiz's language (zh or en).

    Raises KeyError for an unknown name.
    """
    text = _LABELS[name].get(lang) or _LABELS[name]["en"]
    return text.format(**values) if values else text


# Characters XML 1.0 forbids (C0 controls other than tab, newline, carriage return).
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold; everything else kept as is."""
    return _XML_FORBIDDEN.sub("", text)


def sub_element(
    parent: etree._Element, tag: str, text: str | None = None, **attrs: str
) -> etree._Element:
    """A child `tag` (a Clark name, `{ns}local`) of `parent`, with `text` made
    XML-safe and the attributes."""
    el = etree.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = xml_text(text)
    return el


def xml_bytes(root: etree._Element) -> bytes:
    """`root` as a UTF-8 document with the usual `<?xml version="1.0" ...?>` line."""
    body = etree.tostring(
        root, encoding="UTF-8", xml_declaration=False, pretty_print=True
    )
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def html_paragraphs(lines: Iterable[str]) -> str:
    """HTML with one `<p>` per non-empty line, each line escaped once (`<`, `>`, `&`)."""
    return "".join(
        f"<p>{html.escape(xml_text(line), quote=False)}</p>"
        for line in lines
        if line.strip()
    )


def discussion_lines(q: Question, lang: str) -> tuple[list[str], list[str]]:
    """For a discussion: (one line per side 'speaker: position', the guiding questions)."""
    sides = [
        label("side", lang, speaker=s.speaker_name, position=s.position)
        for s in q.sides
    ]
    return sides, list(q.guiding)


def feedback_lines(q: Question, lang: str, source_language: str = "zh") -> list[str]:
    """The general feedback as lines.

    For choice and cloze questions it is the explanation, which carries the
    verbatim quote, its paragraph and speaker. For a discussion (whose
    explanation is the teacher's notes, kept for grader information) it is
    each side's verbatim quote with its paragraph and speaker, in the quote
    marks of the source's language.
    """
    if q.kind == Kind.DISCUSSION:
        qo, qc = quote_marks(source_language)
        return [
            label(
                "source",
                lang,
                paragraph=s.paragraph,
                speaker=s.speaker_name,
                quote=s.quote,
                qo=qo,
                qc=qc,
            )
            for s in q.sides
        ]
    return q.explanation.splitlines()


def question_title(q: Question, width: int = 60) -> str:
    """A short readable title: the prompt's first line, cut to `width` characters, then the id."""
    first = next((line.strip() for line in q.prompt.splitlines() if line.strip()), "")
    if len(first) > width:
        first = first[: width - 1].rstrip() + "…"
    return f"{first} [{q.id}]" if first else q.id


def by_topic(quiz: Quiz) -> list[tuple[str, str, list[Question]]]:
    """The quiz's questions grouped by topic: (topic id, topic name, questions).

    Topics come in the order of their first question; questions keep quiz order.
    """
    groups: dict[str, tuple[str, list[Question]]] = {}
    for q in quiz.questions:
        groups.setdefault(q.topic, (q.topic_name, []))[1].append(q)
    return [(tid, name, qs) for tid, (name, qs) in groups.items()]


def _category_part(name: str) -> str:
    # Moodle splits category paths on '/', and reads '//' as a literal slash.
    return " ".join(xml_text(name).split()).replace("/", "//")


def category_path(parts: Sequence[str]) -> str:
    """A Moodle category path under the course's top category: `$course$/top/A/B`."""
    return "/".join(["$course$", "top", *(_category_part(p) for p in parts)])


#: Moodle's question ID number column (question_bank_entries.idnumber) holds 100 characters
MOODLE_IDNUMBER_MAX = 100


def moodle_idnumber(qid: str) -> str:
    """The Moodle ID number of a question: its id, or, past 100 characters, its
    first 91 then '-' and 8 hex digits of its SHA-1, so two long ids that
    share their start stay apart. Deterministic: a rebuild gives the same."""
    qid = xml_text(qid)
    if len(qid) <= MOODLE_IDNUMBER_MAX:
        return qid
    digest = hashlib.sha1(qid.encode("utf-8")).hexdigest()[:8]
    return f"{qid[: MOODLE_IDNUMBER_MAX - 9]}-{digest}"


_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*")
_NOT_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def ncname(text: str, prefix: str = "id") -> str:
    """`text` as an XML NCName (and xs:ID): unchanged when it already is one (ASCII).

    Otherwise the characters outside `A-Z a-z 0-9 . _ -` become '_', `prefix`
    goes in front when it would not start with a letter or '_', and 8 hex
    digits of the text's SHA-1 are appended, so that different texts stay
    different. Deterministic: the same text always gives the same name.
    """
    if _NCNAME.fullmatch(text):
        return text
    safe = _NOT_NAME.sub("_", text)
    if not _NCNAME.match(safe):
        safe = f"{prefix}_{safe}"
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"{safe}_{digest}"


_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # zip times cover 1980 to 2107
_ZIP_LAST = (2107, 12, 31, 23, 59, 58)


def _zip_time(quiz: Quiz) -> tuple[int, int, int, int, int, int]:
    if quiz.modified <= 0:
        return _ZIP_EPOCH
    stamp = time.gmtime(quiz.modified)
    return min(_ZIP_LAST, max(_ZIP_EPOCH, tuple(stamp[:6])))  # type: ignore[return-value]


def write_zip(path: Path, quiz: Quiz, members: Sequence[tuple[str, bytes]]) -> Path:
    """Write `members` (name, content) as a zip at `path`, atomically; return `path`.

    Reproducible: members in the order given, each stamped with the time the
    quiz's bank last changed (or 1980-01-01), mode 0644, deflated.
    """
    stamp = _zip_time(quiz)
    with (
        atomic_path(path) as tmp,
        zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf,
    ):
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return path
