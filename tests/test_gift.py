"""GIFT files, read back by two parsers: a reader here that follows Moodle's
import rules (qformat_gift), and gift-pegjs, an independent GIFT parser (a
PEG grammar of the format, from npm), installed on first use into .venv/node."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field, replace

import pytest
from lms_quiz import QUOTE, TITLE, TOPIC, TRICKY, tricky_quiz
from lxml import html as lxml_html

from quizgen.bank import load_bank
from quizgen.export import ExportOptions, export
from quizgen.export.files import base_name
from quizgen.export.gift import SPECIAL, escape, gift, write
from quizgen.export.lms_common import by_topic
from quizgen.generate import Choices, generate
from quizgen.quiz import Kind, Question, Quiz

from conftest import EXAMPLE_BANK, ROOT, require

GIFT_PEGJS = "gift-pegjs@1.0.2"
NODE_DIR = ROOT / ".venv" / "node"

# --------------------------------------------------------------------------- a GIFT reader

# Like Moodle's qformat_gift: escaped characters are swapped for placeholders
# before parsing and restored after, so `\{` never opens an answer block.
_ESCAPES = {"\\\\": "\x01", **{f"\\{c}": chr(2 + i) for i, c in enumerate(SPECIAL)}}
_RESTORE = {v: k[1] for k, v in _ESCAPES.items()}


def _protect(text: str) -> str:
    out = text
    for seq, mark in _ESCAPES.items():
        out = out.replace(seq, mark)
    return out


def _restore(text: str) -> str:
    out = text.replace("\\n", "\n")
    for mark, ch in _RESTORE.items():
        out = out.replace(mark, ch)
    return out


@dataclass
class GiftQuestion:
    category: str
    name: str
    fmt: str
    text: str
    qtype: str
    answers: list[tuple[bool, str]] = field(default_factory=list)
    general_feedback: str = ""
    comments: list[str] = field(default_factory=list)
    idnumber: str = ""
    tags: list[str] = field(default_factory=list)


_ID = re.compile(r"\[id:((?:\\]|[^]\x00-\x1f])+)]")
_TAG = re.compile(r"\[tag:((?:\\]|[^]<>`\x00-\x1f])+)]")


def _id_and_tags(comments: str) -> tuple[str, list[str]]:
    """Moodle's extract_idnumber_and_tags_from_comment: `[id:x]` and `[tag:y]` tokens."""
    found = _ID.search(comments)
    idnumber = found.group(1).strip().replace("\\]", "]") if found else ""
    tags = [t.strip().replace("\\]", "]") for t in _TAG.findall(comments)]
    return idnumber, tags


def read_gift(text: str) -> list[GiftQuestion]:
    """Parse GIFT as Moodle does: blank lines part questions, `//` lines are comments."""
    questions: list[GiftQuestion] = []
    category = ""
    for block in re.split(r"\n\s*\n", text):
        lines = block.splitlines()
        comments = [ln[2:].strip() for ln in lines if ln.lstrip().startswith("//")]
        body = "\n".join(ln for ln in lines if not ln.lstrip().startswith("//")).strip()
        if not body:
            continue
        if body.startswith("$CATEGORY:"):
            category = body[len("$CATEGORY:") :].strip()
            continue
        raw = _protect(body)
        m = re.fullmatch(r"::(.*?)::(\[(\w+)\])?(.*?)\{(.*)\}\s*", raw, re.S)
        assert m, f"not a GIFT question: {body!r}"
        name, _, fmt, qtext, answer_part = m.groups()
        assert not {"{", "}"} & set(answer_part), "unescaped brace"
        feedback = ""
        if "####" in answer_part:
            answer_part, feedback = answer_part.split("####", 1)
        answer_part = answer_part.strip()
        q = GiftQuestion(
            category=category,
            name=_restore(name).strip(),
            fmt=fmt or "moodle",
            text=_restore(qtext).strip(),
            qtype="",
            general_feedback=_restore(feedback).strip(),
            comments=comments,
        )
        q.idnumber, q.tags = _id_and_tags("\n".join(comments))
        if not answer_part:
            q.qtype = "essay"
        elif re.fullmatch(r"T|TRUE|F|FALSE", answer_part):
            q.qtype = "truefalse"
            q.answers = [(answer_part.startswith("T"), "")]
        else:
            parts = re.findall(r"([=~])([^=~]*)", answer_part)
            assert "".join(a + b for a, b in parts) == answer_part
            q.answers = [(mark == "=", _restore(t).strip()) for mark, t in parts]
            q.qtype = (
                "multichoice" if any(m == "~" for m, _ in parts) else "shortanswer"
            )
        questions.append(q)
    return questions


def _paragraphs(fragment: str) -> list[str]:
    """The text of each <p> in an HTML fragment (one parse: entities decoded once)."""
    if not fragment:
        return []
    return [p.text_content() for p in lxml_html.fragments_fromstring(fragment)]


def _category_parts(path: str) -> list[str]:
    # Moodle splits on '/', a doubled '//' is a literal slash
    return [p.replace("\x00", "/") for p in path.replace("//", "\x00").split("/")]


QTYPE = {
    Kind.MULTIPLE_CHOICE: "multichoice",
    Kind.TRUE_FALSE: "truefalse",
    Kind.CLOZE: "shortanswer",
    Kind.DISCUSSION: "essay",
}


# --------------------------------------------------------------------------- gift-pegjs

_PEGJS_TYPES = {
    "MC": "multichoice",
    "TF": "truefalse",
    "Short": "shortanswer",
    "Essay": "essay",
}
_PARSE_JS = """
const { parse } = require("gift-pegjs");
const text = require("fs").readFileSync(0, "utf8");
process.stdout.write(JSON.stringify(parse(text)));
"""


@pytest.fixture(scope="session")
def gift_pegjs():
    """A function: GIFT text -> the questions as gift-pegjs parses them."""
    node, npm = shutil.which("node"), shutil.which("npm")
    require(bool(node and npm), "node and npm (for gift-pegjs) are not installed")
    if not (NODE_DIR / "node_modules" / "gift-pegjs").is_dir():
        done = subprocess.run(
            [npm, "install", "--prefix", str(NODE_DIR), "--no-save", "--no-audit"]
            + ["--no-fund", "--silent", GIFT_PEGJS],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        require(
            done.returncode == 0, f"npm could not install {GIFT_PEGJS}: {done.stderr}"
        )

    def parse(text: str) -> list[GiftQuestion]:
        done = subprocess.run(
            [node, "-e", _PARSE_JS],
            input=text,
            capture_output=True,
            text=True,
            cwd=NODE_DIR,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"gift-pegjs refused the file: {done.stderr}"
        out: list[GiftQuestion] = []
        category = ""
        for item in json.loads(done.stdout):
            if item["type"] == "Category":
                category = item["title"]
                continue
            read = GiftQuestion(
                category=category,
                name=item["title"],
                fmt=item["stem"]["format"],
                text=item["stem"]["text"],
                qtype=_PEGJS_TYPES[item["type"]],
                general_feedback=(item.get("globalFeedback") or {}).get("text", ""),
                idnumber=item.get("id") or "",
                tags=item.get("tags") or [],
            )
            if item["type"] == "TF":
                read.answers = [(item["isTrue"], "")]
            else:
                read.answers = [
                    (c["isCorrect"], c["text"]["text"]) for c in item.get("choices", [])
                ]
            out.append(read)
        return out

    return parse


def _check(
    read: GiftQuestion, q: Question, quiz: Quiz, *, comments: bool = True
) -> None:
    assert read.qtype == QTYPE[q.kind], q.id
    assert read.fmt == "html"
    assert read.name.endswith(f"[{q.id}]")
    assert read.idnumber == q.id
    assert read.tags == list(q.tags)
    assert _category_parts(read.category) == [
        "$course$",
        "top",
        quiz.title,
        q.topic_name,
    ]
    shown = _paragraphs(read.text)
    assert shown[: len(q.prompt.splitlines())] == q.prompt.splitlines()
    if q.kind == Kind.MULTIPLE_CHOICE:
        assert [_paragraphs(t) for _, t in read.answers] == [[o] for o in q.options]
        assert [right for right, _ in read.answers] == [
            i == q.answer for i in range(len(q.options))
        ]
    elif q.kind == Kind.TRUE_FALSE:
        assert read.answers == [(q.answer == 0, "")]
    elif q.kind == Kind.CLOZE:
        # a short answer is plain text; Moodle reads '*' as a wildcard, '\*' as a star
        # the term and every accepted variant, each right: `{=a =b}`
        assert read.answers == [(True, a.replace("*", "\\*")) for a in q.typed_answers]
    else:
        assert read.answers == []
        assert all(s.position in "\n".join(shown) for s in q.sides)
        assert all(g in shown for g in q.guiding)
        if comments:  # gift-pegjs drops `//` comments, as Moodle's import does
            notes = "\n".join(read.comments)
            assert all(line in notes for line in q.teacher_notes.splitlines())
    feedback = "\n".join(_paragraphs(read.general_feedback))
    assert q.source.quote in feedback
    assert str(q.source.paragraph) in feedback


# --------------------------------------------------------------------------- tests


def test_gift_example_bank_every_version_and_language(tmp_path):
    bank = load_bank(EXAMPLE_BANK)
    for lang in ("zh", "en"):
        quizzes = generate(bank, Choices(lang=lang, seed=2, versions=2, siblings=True))
        paths = export("gift", quizzes, tmp_path / lang)
        assert [p.name for p in paths] == [f"{base_name(q)}.gift.txt" for q in quizzes]
        for path, quiz in zip(paths, quizzes, strict=True):
            read = read_gift(path.read_text("utf-8"))
            assert len(read) == len(quiz.questions)
            by_id = {q.id: q for q in quiz.questions}
            for r in read:
                qid = r.name.rsplit("[", 1)[1].rstrip("]")
                _check(r, by_id.pop(qid), quiz)
            assert not by_id
            assert {r.qtype for r in read} == set(QTYPE.values())


@pytest.mark.parametrize("variants", [False, True], ids=["term", "variants"])
def test_gift_tricky_text_survives(tmp_path, artifacts, variants):
    quiz = tricky_quiz(variants=variants)
    (path,) = write([quiz], tmp_path, ExportOptions())
    (artifacts / "lms").mkdir(exist_ok=True)
    shutil.copy(path, artifacts / "lms" / path.name)  # to look at by hand
    text = path.read_text("utf-8")
    assert "王老师" in text
    assert "\\u" not in text
    read = read_gift(text)
    assert [r.name.rsplit("[", 1)[1] for r in read] == [
        f"{q.id}]" for q in sorted(quiz.questions, key=lambda q: q.topic != "t1")
    ]
    for r in read:
        q = next(q for q in quiz.questions if r.name.endswith(f"[{q.id}]"))
        _check(r, q, quiz)
        assert QUOTE in "\n".join(_paragraphs(r.general_feedback))
    assert _category_parts(read[0].category)[2:] == [TITLE, TOPIC]
    # every special character of the question texts is escaped in the file
    for line in text.splitlines():
        if line.startswith("::"):
            body = re.sub(r"\\.", "", line)
            assert body.count("::") == 2
            assert body.endswith(" {")
            assert not set(body[:-2].replace("::", "", 2)) & set(SPECIAL)


@pytest.mark.parametrize("ch", list(SPECIAL + "\\"), ids=list("~=#{}:") + ["backslash"])
def test_gift_escape_each_special_character(ch):
    escaped = escape(f"x{ch}y")
    assert escaped == f"x\\{ch}y"
    assert _restore(_protect(escaped)) == f"x{ch}y"


def test_gift_escape_keeps_one_line():
    assert escape("a\nb\r\nc") == "a\\nb\\nc"
    assert _restore(_protect(escape("a\n\nb"))) == "a\n\nb"


def test_gift_no_blank_line_inside_a_question():
    text = gift(tricky_quiz())
    blocks = re.split(r"\n\s*\n", text)
    questions = [b for b in blocks if any(ln.startswith("::") for ln in b.splitlines())]
    assert len(questions) == len(tricky_quiz().questions)
    assert all(b.rstrip().endswith("}") for b in questions)


def test_gift_same_quiz_same_text():
    bank = load_bank(EXAMPLE_BANK)
    (quiz,) = generate(bank, Choices(lang="zh", seed=9))
    assert gift(quiz) == gift(quiz)
    (again,) = generate(load_bank(EXAMPLE_BANK), Choices(lang="zh", seed=9))
    assert gift(again) == gift(quiz)


@pytest.mark.slow
def test_gift_shipped_bank_whole(tmp_path, shipped_bank):
    for lang in ("zh", "en"):
        (quiz,) = generate(shipped_bank, Choices(lang=lang, seed=0))
        (path,) = write([quiz], tmp_path / lang, ExportOptions())
        read = read_gift(path.read_text("utf-8"))
        assert len(read) == len(quiz.questions)
        in_file_order = [q for _, _, qs in by_topic(quiz) for q in qs]
        for r, q in zip(read, in_file_order, strict=True):
            _check(r, q, quiz)


def test_tricky_text_really_is_tricky():
    assert all(c in TRICKY for c in "<&" + SPECIAL)
    assert "]]>" in TRICKY


def test_gift_id_and_tags_escape_the_closing_bracket():
    quiz = tricky_quiz()
    odd = replace(quiz.questions[0], id="odd]id", tags=("a]b", "bad<tag", "ok"))
    (read,) = read_gift(gift(replace(quiz, questions=(odd,))))
    assert read.idnumber == "odd]id"
    assert read.tags == ["a]b", "ok"], "Moodle refuses '<' in tags: left out"


@pytest.mark.parametrize("source", ["tricky", "example"])
def test_gift_read_back_by_gift_pegjs(tmp_path, gift_pegjs, source):
    if source == "tricky":
        quizzes = [tricky_quiz(variants=True)]
    else:
        quizzes = generate(load_bank(EXAMPLE_BANK), Choices(lang="zh", seed=2))
        quizzes += generate(load_bank(EXAMPLE_BANK), Choices(lang="en", seed=2))
    for quiz in quizzes:
        read = gift_pegjs(gift(quiz))
        in_file_order = [q for _, _, qs in by_topic(quiz) for q in qs]
        assert len(read) == len(in_file_order)
        for r, q in zip(read, in_file_order, strict=True):
            _check(r, q, quiz, comments=False)


@pytest.mark.slow
def test_gift_shipped_bank_read_back_by_gift_pegjs(gift_pegjs, shipped_bank):
    for lang in ("zh", "en"):
        (quiz,) = generate(shipped_bank, Choices(lang=lang, seed=0))
        read = gift_pegjs(gift(quiz))
        in_file_order = [q for _, _, qs in by_topic(quiz) for q in qs]
        assert len(read) == len(in_file_order)
        for r, q in zip(read, in_file_order, strict=True):
            _check(r, q, quiz, comments=False)
