"""Why a kind of question gives none: what a bank lacks for it, and what
would enable it, in the user's language (`quizgen info`, `quizgen check`, the
web builder)."""

from __future__ import annotations

from quizgen.bank import Attribution, Bank, SpeakerKind
from quizgen.generate.candidates import _all_candidates
from quizgen.i18n import t
from quizgen.quiz import Form, Kind

__all__ = ["zero_reasons"]


def zero_reasons(bank: Bank) -> dict[tuple[Kind, Form], str]:
    """For each (kind, form) the bank gives no question of: why, and what
    would enable it (one sentence with a hint). Kinds it gives are left out."""
    given = {(c.kind, c.form) for c in _all_candidates(bank)}
    out: dict[tuple[Kind, Form], str] = {}
    for pair, why in (
        ((Kind.MULTIPLE_CHOICE, Form.FACT), _fact),
        ((Kind.MULTIPLE_CHOICE, Form.ATTRIBUTION), _attribution),
        ((Kind.MULTIPLE_CHOICE, Form.STANCE), _stance),
        ((Kind.TRUE_FALSE, Form.STATEMENT), _true_false),
        ((Kind.CLOZE, Form.TERM), _cloze),
        ((Kind.DISCUSSION, Form.DEBATE), _discussion),
    ):
        if pair in given:
            continue
        if not bank.claims and pair[0] != Kind.DISCUSSION:
            out[pair] = t(
                "the bank has no claims yet. Hint: add claims (docs/bank-format.md).",
                "题库还没有论断。提示：添加论断（见 docs/bank-format.md）。",
            )
        else:
            out[pair] = why(bank)
    return out


def _fact(bank: Bank) -> str:
    if any(c.facts for c in bank.claims):
        return t(
            "every claim's facts have a right answer and wrong options of too "
            "different lengths. Hint: make the options of each fact similar in length.",
            "每条论断的 facts 中，正确答案与错误选项长短相差太大。"
            "提示：让每道事实题的选项长短相近。",
        )
    return t(
        "no claim has facts. Hint: give a claim facts: a question, its answer "
        "and at least three wrong options.",
        "没有论断写了 facts。提示：为论断写 facts：一个问题、答案和至少三个错误选项。",
    )


def _attribution(bank: Bank) -> str:
    voices = [s for s in bank.speakers if s.kind != SpeakerKind.AUDIENCE]
    if len(voices) < 2:
        return t(
            f"the text has {len(voices)} speaker, and 'who said this?' needs at "
            "least two. Hint: it suits a text of several voices (a panel, an "
            "interview, a dialogue); an article or lecture by one person gives "
            "fact, true/false and cloze questions instead.",
            f"原文只有 {len(voices)} 位发言人，“谁说的”至少需要两位。"
            "提示：这种题适合多人发言的文本（对谈、访谈、对话）；"
            "一人的文章或讲座可出事实题、判断题和填空题。",
        )
    return t(
        "every claim is uncertain, relayed (reported), shared with another "
        "speaker, or names a speaker in its statement. Hint: a claim with "
        "attribution explicit or inferred, said in the speaker's own name, whose "
        "statement names no speaker, gives one.",
        "每条论断要么发言人不确定、要么是转述（reported）、要么与他人共有"
        "（shared_with）、要么陈述中写出了发言人的名字。提示：归属为 explicit 或 "
        "inferred、是本人观点、陈述中不写发言人名字的论断就能出这种题。",
    )


def _stance(bank: Bank) -> str:
    with_false = [
        c
        for c in bank.claims
        if c.false_statement is not None
        and c.reported is None
        and c.attribution != Attribution.UNCERTAIN
    ]
    opposed = {
        cid for c in bank.claims for cid in (c.id, *c.contradicts) if c.contradicts
    }
    if not any(c.id in opposed for c in with_false):
        return t(
            "it needs a claim with a false_statement that a claim of another "
            "speaker contradicts (named in `contradicts`). Hint: when speakers "
            "disagree, list the opposing claim's id in the claim's contradicts.",
            "需要一条写了 false_statement 的论断，且有其他发言人的论断与之相反"
            "（写在 contradicts 中）。提示：发言人意见相左时，在论断的 "
            "contradicts 中列出相反论断的 id。",
        )
    return t(
        "beside a contradicting claim, each such claim needs a third panelist's "
        "view on its topic or a second contradicting claim, of a width comparable "
        "to its statement. Hint: record more contradicting claims in "
        "`contradicts` (a two-person dialogue has no third speaker).",
        "除了一条相反的论断，每条这样的论断还需要第三位发言人在同一主题上的观点，"
        "或第二条相反的论断，且长短与陈述相近。提示：在 contradicts 中记录更多"
        "相反的论断（两人对话没有第三位发言人）。",
    )


def _true_false(bank: Bank) -> str:
    return t(
        "no claim has a false_statement. Hint: give a claim a false_statement: "
        "its statement with one number, direction or name changed.",
        "没有论断写了 false_statement。提示：为论断写 false_statement：把陈述中的"
        "一个数字、方向或名字改掉。",
    )


def _cloze(bank: Bank) -> str:
    if any(c.cloze is not None for c in bank.claims):
        return t(
            "every cloze term is part of its speaker's name, which the question "
            "shows. Hint: blank another word of the statement.",
            "每个填空词都是发言人名字的一部分，而题目会显示发言人。"
            "提示：挖掉陈述中的另一个词。",
        )
    return t(
        "no claim has a cloze term. Hint: give a claim cloze: a word of its "
        "statement to blank.",
        "没有论断写了 cloze。提示：为论断写 cloze：陈述中要挖空的一个词。",
    )


def _discussion(bank: Bank) -> str:
    return t(
        "the bank has no debates. Hint: add a debate: a question and two sides, "
        "each a speaker with claims.",
        "题库没有辩题（debates）。提示：添加辩题：一个问题和两方，每方一位发言人及其论断。",
    )
