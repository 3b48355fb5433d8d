#!/usr/bin/env python3
"""Run Canvas's own QTI converter on quizgen's QTI 1.2 output and check what
Canvas would read.

    .venv/bin/python scripts/canvas_qti_check.py /path/to/QTIMigrationTool

Canvas imports a QTI 1.2 package by running Instructure's QTIMigrationTool
(`migrate.py`) and reading its QTI 2.1 output with canvas-lms's qti_exporter
plugin. The converter is on no package registry, so the test suite cannot run
it; a person with a checkout runs this script. For a tricky quiz and the
shipped bank in Chinese and English it converts the package, reads every item
by the plugin's rules (type, points, the blank, every accepted answer, the
general comments with the quote) and scores each converted item in pyslet, a
QTI 2.1 engine. It prints the counts and exits 1 on the first difference.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
import tempfile
import warnings
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from lms_quiz import pyslet_score, tricky_quiz  # noqa: E402

from quizgen.bank import load_bank  # noqa: E402
from quizgen.export import ExportOptions  # noqa: E402
from quizgen.export.lms_common import BLANK  # noqa: E402
from quizgen.export.qti12 import CANVAS_TYPE, RESPONSE, choice_id, item_id, write  # noqa: E402
from quizgen.generate import Choices, generate  # noqa: E402
from quizgen.quiz import Kind  # noqa: E402


def _migrate(converter: Path, package: Path, out: Path) -> Path:
    """Run Instructure's QTIMigrationTool on a package, as Canvas does; return its output."""
    source = out / "in"
    source.mkdir(parents=True)
    with zipfile.ZipFile(package) as zf:
        zf.extractall(source)
    converted = out / "qti_2_1"
    result = subprocess.run(
        [
            sys.executable,
            str(converter / "migrate.py"),
            "--ucvars",
            "--nogui",
            "--overwrite",
            f"--cpout={converted}",
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"the converter failed:\n{result.stdout}{result.stderr}")
    return converted


def _canvas_reads(item: etree._Element) -> dict[str, object]:
    """A converted item as canvas-lms's qti_exporter plugin reads it.

    assessment_item_converter.rb: `instructureField` question_type and
    points_possible; the question text from `itemBody > div` (class html:
    its text is the HTML); get_feedback: the modalFeedback matching
    /general_|_all/ as neutral comments. extended_text_interaction.rb: each
    string baseValue of a stringMatch in responseProcessing is an answer.
    """
    ns = {"q": "http://www.imsglobal.org/xsd/imsqti_v2p1"}
    fields = {
        f.get("name"): f.get("value")
        for f in item.iterfind("q:instructureMetadata/q:instructureField", ns)
    }
    text = "".join(
        d.text or ""
        for d in item.iterfind("q:itemBody/q:div", ns)
        if d.get("class") == "html"
    )
    feedback = "".join(
        "".join(f.itertext())
        for f in item.iterfind("q:modalFeedback", ns)
        if re.search(r"general_|_all", f.get("identifier", ""), re.I)
    )
    answers = [
        b.text
        for b in item.iterfind(".//q:responseCondition//q:stringMatch/q:baseValue", ns)
        if b.get("baseType") == "string"
    ]
    return {
        "type": fields.get("question_type"),
        "points": float(fields.get("points_possible", "0")),
        "text": text,
        "feedback": feedback,
        "answers": answers,
    }


def _score(xml: bytes, response: str | None) -> float:
    """The converted item's SCORE for `response`, in pyslet."""
    return pyslet_score(xml, response, response_id=RESPONSE)[0]


def check(converter: Path, source: str, tmp_path: Path) -> None:
    """Convert one quiz and assert what Canvas reads of every item."""
    shipped_bank = load_bank(ROOT / "question_banks" / "ai_panel_2024.yaml")
    if source == "tricky":
        quiz = tricky_quiz(variants=True)
    else:
        (quiz,) = generate(shipped_bank, Choices(lang=source, seed=0, siblings=True))
    (path,) = write([quiz], tmp_path, ExportOptions())
    converted = _migrate(converter, path, tmp_path / "converted")
    counts = {"blank": 0, "feedback": 0, "points": 0, "answers": 0}
    for q in quiz.questions:
        xml = (converted / "assessmentItems" / f"{item_id(q)}.xml").read_bytes()
        read = _canvas_reads(etree.fromstring(xml))
        assert read["type"] == CANVAS_TYPE[q.kind], q.id
        assert read["points"] == 1.0, q.id
        counts["points"] += 1
        shown = html.unescape(re.sub(r"<[^>]+>", "\n", str(read["text"])))
        assert q.prompt.splitlines()[0] in shown, q.id
        if q.kind == Kind.CLOZE:
            assert BLANK in shown, q.id
            counts["blank"] += 1
            assert read["answers"] == list(q.typed_answers), q.id
            counts["answers"] += 1
        said = html.unescape(str(read["feedback"]))
        assert q.source.quote in said or all(s.quote in said for s in q.sides), q.id
        counts["feedback"] += 1
        # the converted item, scored by a QTI 2.1 engine
        if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
            for i in range(len(q.options)):
                right = 100.0 if i == q.answer else 0.0
                assert _score(xml, choice_id(i)) == right, (q.id, i)
        elif q.kind == Kind.CLOZE:
            for accepted in q.typed_answers:
                assert _score(xml, accepted) == 100.0, (q.id, accepted)
            assert _score(xml, "x" + str(q.answer)) == 0.0
        else:
            assert _score(xml, "an essay") == 0.0, "essays are graded by hand"
    clozes = sum(q.kind == Kind.CLOZE for q in quiz.questions)
    assert counts["blank"] == counts["answers"] == clozes
    assert counts["feedback"] == counts["points"] == len(quiz.questions)
    print(f"{source}: Canvas's converter on {len(quiz.questions)} questions: {counts}")


def main() -> None:
    if len(sys.argv) != 2 or not (Path(sys.argv[1]) / "migrate.py").is_file():
        raise SystemExit(__doc__)
    converter = Path(sys.argv[1])
    warnings.simplefilter("ignore", DeprecationWarning)
    for source in ("tricky", "zh", "en"):
        with tempfile.TemporaryDirectory() as tmp:
            check(converter, source, Path(tmp))


if __name__ == "__main__":
    main()
