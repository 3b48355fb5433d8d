"""A quiz whose every text holds what breaks LMS files, for the exporter tests.

Built straight from the dataclasses: markup (`<`, `&`, `]]>`), GIFT syntax
(`~ = # { } :`), a backslash, a Moodle wildcard `*`, a category slash, and
Chinese, in prompts, options, the cloze term, feedback and teacher notes.
With `variants=True` the cloze question also accepts variants of its term,
themselves full of special characters.
"""

from __future__ import annotations

from dataclasses import replace

from quizgen.export.lms_common import BLANK
from quizgen.quiz import Form, Kind, Question, Quiz, SidePosition, SourceRef

#: every character that a careless exporter lets break its file
TRICKY = "a<b && c ]]> d ~ = # { } : \\ * 「中文」"

TITLE = f"Bank {TRICKY} / title"
TOPIC = f"Topic {TRICKY} / one"
QUOTE = f"原文里的话 {TRICKY}"
#: accepted variants of the cloze term: markup, GIFT syntax, a wildcard, Chinese
VARIANTS = ("变体 a<b & {x} = y ~ # : \\ *", "ＧＰＴ－４ ]]>")


def _source(paragraph: int) -> SourceRef:
    return SourceRef(
        file="source.txt",
        paragraph=paragraph,
        quote=QUOTE,
        speaker="wang",
        speaker_name="王老师",
    )


def _explanation(paragraph: int) -> str:
    return f"Statement {TRICKY}.\nSource, paragraph {paragraph}, 王老师: 「{QUOTE}」"


def _common(qid: str, kind: Kind, form: Form, paragraph: int, topic: str) -> dict:
    return {
        "id": qid,
        "kind": kind,
        "form": form,
        "explanation": _explanation(paragraph),
        "topic": topic,
        "topic_name": TOPIC if topic == "t1" else "第二个主题",
        "speaker": "wang",
        "speaker_name": "王老师",
        "claims": ("c1",),
        "source": _source(paragraph),
        "tags": ("topic::t1", "kind::x"),
    }


def tricky_quiz(*, version: int = 1, versions: int = 1, variants: bool = False) -> Quiz:
    """Four questions, one of each kind, every text full of special characters."""
    term = f"术语 {TRICKY}"
    questions = (
        Question(
            prompt=f"Which is right? {TRICKY}\nSecond line 第二行",
            options=(
                f"wrong one {TRICKY}",
                f"right {TRICKY} 正确",
                "wrong two ]]>",
                "wrong three <b>not bold</b>",
            ),
            answer=1,
            **_common("c1.fact", Kind.MULTIPLE_CHOICE, Form.FACT, 3, "t1"),
        ),
        Question(
            prompt=f"True or false? {TRICKY}",
            options=("True", "False"),
            answer=1,
            **_common("c1.tf", Kind.TRUE_FALSE, Form.STATEMENT, 4, "t1"),
        ),
        Question(
            prompt=f"Fill in: before {TRICKY} {BLANK} after 之后",
            answer=term,
            cloze=(f"before {TRICKY} ", term, " after 之后"),
            **_common("c1.cloze", Kind.CLOZE, Form.TERM, 5, "t2"),
        ),
        Question(
            prompt=f"Discuss {TRICKY}?",
            sides=(
                SidePosition(
                    speaker="wang",
                    speaker_name="王老师",
                    position=f"Yes {TRICKY}",
                    quote=QUOTE,
                    paragraph=6,
                    claims=("c1",),
                ),
                SidePosition(
                    speaker="liu",
                    speaker_name="刘老师",
                    position="No ]]> <",
                    quote="刘老师的原话 & <>",
                    paragraph=7,
                    claims=("c2",),
                ),
            ),
            guiding=(f"Guide {TRICKY}", "第二个引导问题"),
            teacher_notes=f"Notes {TRICKY}\nline two 第二行",
            **{
                **_common("d1.discussion", Kind.DISCUSSION, Form.DEBATE, 6, "t1"),
                "explanation": f"Notes {TRICKY}\nline two 第二行",
                "speaker": None,
                "speaker_name": None,
            },
        ),
    )
    if variants:
        questions = tuple(
            replace(q, accepted=VARIANTS) if q.kind == Kind.CLOZE else q
            for q in questions
        )
    return Quiz(
        bank="tricky-bank",
        title=TITLE,
        source_title="来源",
        source_origin="origin",
        lang="en",
        seed=0,
        version=version,
        versions=versions,
        questions=questions,
        modified=1_700_000_000,
    )


def pyslet_score(
    item_xml: bytes, response: str | None, *, response_id: str = "RESPONSE"
) -> tuple[float, str | None]:
    """Load a QTI 2.1 item in pyslet, answer it, run its response processing:
    (SCORE, FEEDBACK)."""
    import warnings

    import pyslet.qtiv2.variables as variables
    import pyslet.qtiv2.xml as qtixml

    doc = qtixml.QTIDocument()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc.read(src=item_xml)
    item = doc.root
    state = variables.ItemSessionState(item)
    state.select_clone()
    state.begin_session()
    # begin_attempt() also renders HTML, which pyslet lacks for some
    # interactions: start the attempt as it does, without rendering
    state["numAttempts"].set_value(1)
    for rd in item.ResponseDeclaration:
        state[rd.identifier] = variables.Value.copy_value(
            state[rd.identifier + ".DEFAULT"]
        )
    if response is not None:
        state[response_id].set_value(response)
    state.end_attempt()
    feedback = state["FEEDBACK"].value if "FEEDBACK" in state else None
    return state["SCORE"].value, feedback
