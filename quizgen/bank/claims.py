"""Checking claims, their facts, and debates against the source and each other."""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from quizgen.answers import normalize_answer
from quizgen.bank.checker import LANGS, _Checker, _List, _Map, _not_found, _unknown
from quizgen.bank.model import (
    Attribution,
    Claim,
    Debate,
    Erratum,
    Fact,
    Reported,
    Side,
    Speaker,
    Text,
    Variants,
)
from quizgen.bank.writing import (
    Flaw,
    cloze_flaws,
    distractor_flaws,
    statement_flaws,
    stem_flaws,
)
from quizgen.rules import MAX_LENGTH_RATIO, cloze_spans, options_comparable, width
from quizgen.source import Source, compact


def _claim(
    c: _Checker,
    i: int,
    line: int,
    value: Any,
    source: Source | None,
    speaker_ids: set[str],
    topic_ids: set[str],
    speakers: list[Speaker],
) -> Claim | None:
    where = f"claims[{i}]"
    m = c.mapping(
        value,
        where,
        line,
        "",
        required=("id", "speaker", "topic", "quote", "attribution", "statement"),
        optional=(
            "attribution_note",
            "reported",
            "shared_with",
            "contradicts",
            "facts",
            "false_statement",
            "cloze",
            "cloze_accept",
            "erratum",
            "difficulty",
            "tags",
        ),
    )
    if m is None:
        return None
    cid = c.ident(m, "id", where, "")
    item = cid
    n_before = len(c.problems)
    speaker = c.string(m, "speaker", where, item)
    if speaker and speaker not in speaker_ids:
        _unknown(
            c,
            c.line_of(m, "speaker"),
            item,
            f"{where}.speaker",
            "speaker",
            speaker,
            speaker_ids,
        )
    topic = c.string(m, "topic", where, item)
    if topic and topic not in topic_ids:
        _unknown(
            c, c.line_of(m, "topic"), item, f"{where}.topic", "topic", topic, topic_ids
        )
    quote = c.string(m, "quote", where, item)
    attribution = Attribution(
        c.choice(
            m, "attribution", where, item, tuple(Attribution), Attribution.EXPLICIT
        )
    )
    note = c.string(m, "attribution_note", where, item, required=False)
    if attribution != Attribution.EXPLICIT and not note:
        c.add(
            line,
            item,
            f"{where}: attribution '{attribution}' needs an attribution_note",
            f"{where}：归属为 '{attribution}' 时需要 attribution_note",
            "say why this speaker said it (or why it cannot be told).",
            "说明为什么认定是这位发言人（或为何无法判断）。",
        )
    paragraph = 0
    if source is not None and quote:
        found = source.locate(quote)
        if not found:
            _not_found(c, c.line_of(m, "quote"), item, where, source, quote)
        elif len(found) > 1:
            c.add(
                c.line_of(m, "quote"),
                item,
                f"{where}.quote: occurs in several paragraphs ({', '.join(map(str, found))})",
                f"{where}.quote：出现在多个段落中（{'、'.join(map(str, found))}）",
                "quote more words so that it points to one place.",
                "多引几个字，使其只指向一处。",
            )
        else:
            paragraph = found[0]
            # matched whatever the spacing, width, quote marks and case: the
            # claim keeps the text's own words, as every question shows them
            quote = source.exact(quote, paragraph)
            para = source.paragraph(paragraph)
            if speaker in speaker_ids:
                _check_speaker(
                    c,
                    c.line_of(m, "speaker"),
                    item,
                    where,
                    para,
                    speaker,
                    attribution,
                    speakers,
                )
    reported = None
    if m.get("reported") is not None:
        rm = c.mapping(
            m["reported"],
            f"{where}.reported",
            c.line_of(m, "reported"),
            item,
            required=("who",),
            optional=("note",),
        )
        if rm is not None:
            who = c.text(rm, "who", f"{where}.reported", item)
            if who:
                reported = Reported(
                    who=who,
                    note=c.string(
                        rm, "note", f"{where}.reported", item, required=False
                    ),
                )
    shared = c.words(m, "shared_with", where, item)
    for s in shared:
        if s not in speaker_ids:
            _unknown(
                c,
                c.line_of(m, "shared_with"),
                item,
                f"{where}.shared_with",
                "speaker",
                s,
                speaker_ids,
            )
        elif s == speaker:
            c.add(
                c.line_of(m, "shared_with"),
                item,
                f"{where}.shared_with: lists the claim's own speaker",
                f"{where}.shared_with：列出了论断本人",
            )
    contradicts = c.words(m, "contradicts", where, item)
    statement = c.text(m, "statement", where, item)
    for key in ("statement", "false_statement"):
        c.flaws(m, key, where, item, statement_flaws)
    for key in ("statement", "false_statement", "cloze"):
        c.typography(m, key, where, item)
    # a relayed view's stems may name the person relayed; any other claim's
    # stems name a speaker or the occasion
    relayed = {reported.who.zh, reported.who.en} if reported else set()
    facts = []
    for j, fline, fvalue in c.items(m, "facts", where, item):
        fact = _fact(c, f"{where}.facts[{j}]", fline, fvalue, item, relayed)
        if fact is not None:
            facts.append(fact)
    if attribution == Attribution.UNCERTAIN and speaker in speaker_ids:
        own = next((sp for sp in speakers if sp.id == speaker), None)
        names = (own.name.zh, own.name.en, *own.aliases) if own else ()
        for j, fact in enumerate(facts):
            for lang in LANGS:
                named = next(
                    (n for n in names if n and n in fact.question.get(lang)), ""
                )
                if named:
                    c.add(
                        c.line_of(m, "facts"),
                        item,
                        f"{where}.facts[{j}].question.{lang}: names '{named}', but "
                        "the attribution is uncertain",
                        f"{where}.facts[{j}].question.{lang}：写出了 '{named}'，"
                        "但发言人无法确定",
                        "ask without naming the speaker: 'in the panel', 'a panelist'.",
                        "不写发言人来提问（如“对谈中有人”）。",
                    )
    false_statement = c.text(m, "false_statement", where, item)
    if false_statement and statement:
        for lang in LANGS:
            if compact(false_statement.get(lang)) == compact(statement.get(lang)):
                c.add(
                    c.line_of(m, "false_statement"),
                    item,
                    f"{where}.false_statement.{lang}: is the same as the statement",
                    f"{where}.false_statement.{lang}：与 statement 相同",
                    "change one number, direction or name to make it false.",
                    "改动一个数字、方向或名字使其为假。",
                )
    cloze = c.text(m, "cloze", where, item)
    if cloze and statement:
        for lang in LANGS:
            if cloze.get(lang) and not cloze_spans(
                statement.get(lang), cloze.get(lang)
            ):
                c.add(
                    c.line_of(m, "cloze"),
                    item,
                    f"{where}.cloze.{lang}: '{cloze.get(lang)}' does not occur in statement.{lang}",
                    f"{where}.cloze.{lang}：'{cloze.get(lang)}' 没有出现在 statement.{lang} 中",
                    "the cloze term must be a word of the statement.",
                    "填空词必须是陈述中的原词。",
                )
            for flaw in cloze_flaws(statement.get(lang), cloze.get(lang), lang):
                c.add(
                    c.line_of(m, "cloze"),
                    item,
                    f"{where}.cloze.{lang}: {flaw.en}",
                    f"{where}.cloze.{lang}：{flaw.zh}",
                    flaw.hint_en,
                    flaw.hint_zh,
                )
            if (
                "::" in cloze.get(lang)
                or "：：" in cloze.get(lang)
                or "{{" in cloze.get(lang)
                or "}}" in cloze.get(lang)
            ):
                c.add(
                    c.line_of(m, "cloze"),
                    item,
                    f"{where}.cloze.{lang}: must be a plain term, without '::', '：：', '{{{{' or '}}}}'",
                    f"{where}.cloze.{lang}：应为纯文字，不能含 '::'、'：：'、'{{{{' 或 '}}}}'",
                )
    accept = _cloze_accept(c, m, where, item, cloze)
    erratum = None
    if m.get("erratum") is not None:
        em = c.mapping(
            m["erratum"],
            f"{where}.erratum",
            c.line_of(m, "erratum"),
            item,
            required=("text", "correction"),
            optional=("note",),
        )
        if em is not None:
            etext = c.string(em, "text", f"{where}.erratum", item)
            corr = c.string(em, "correction", f"{where}.erratum", item)
            if etext and quote and compact(etext) not in compact(quote):
                c.add(
                    c.line_of(em, "text"),
                    item,
                    f"{where}.erratum.text: '{etext}' does not occur in the quote",
                    f"{where}.erratum.text：'{etext}' 没有出现在引文中",
                )
            erratum = Erratum(
                text=etext,
                correction=corr,
                note=c.string(em, "note", f"{where}.erratum", item, required=False),
            )
    difficulty = m.get("difficulty", 1)
    if isinstance(difficulty, bool) or difficulty not in (1, 2, 3):
        c.add(
            c.line_of(m, "difficulty"),
            item,
            f"{where}.difficulty: must be 1, 2 or 3, got {difficulty!r}",
            f"{where}.difficulty：必须是 1、2 或 3，实际是 {difficulty!r}",
        )
        difficulty = 1
    tags = c.words(m, "tags", where, item)
    for tag in tags:
        if not tag or re.search(r"\s", tag):
            c.add(
                c.line_of(m, "tags"),
                item,
                f"{where}.tags: '{tag}' contains a space",
                f"{where}.tags：'{tag}' 含有空格",
                "join words with '-' or '_'.",
                "用 '-' 或 '_' 连接。",
            )
    if len(c.problems) > n_before or not (cid and statement):
        return None
    return Claim(
        id=cid,
        speaker=speaker,
        topic=topic,
        quote=quote,
        paragraph=paragraph,
        attribution=attribution,
        attribution_note=note,
        reported=reported,
        shared_with=shared,
        contradicts=contradicts,
        statement=statement,
        facts=tuple(facts),
        false_statement=false_statement,
        cloze=cloze,
        cloze_accept=accept,
        erratum=erratum,
        difficulty=int(difficulty),
        tags=tags,
        line=line,
    )


def _cloze_accept(
    c: _Checker, m: _Map, where: str, item: str, cloze: Text | None
) -> Variants:
    """The cloze's accepted variants: {zh: [...], en: [...]}, each language optional.

    A variant must differ from the term and from the others under the one
    normalisation rule (quizgen.answers), or it accepts nothing new.
    """
    if m.get("cloze_accept") is None:
        return Variants()
    am = c.mapping(
        m["cloze_accept"],
        f"{where}.cloze_accept",
        c.line_of(m, "cloze_accept"),
        item,
        required=(),
        optional=LANGS,
    )
    if am is None:
        return Variants()
    if cloze is None:
        c.add(
            c.line_of(m, "cloze_accept"),
            item,
            f"{where}.cloze_accept: there is no cloze to accept variants for",
            f"{where}.cloze_accept：没有 cloze，无从接受变体",
            "add a cloze term, or remove cloze_accept.",
            "请添加 cloze 填空词，或删除 cloze_accept。",
        )
        return Variants()
    out: dict[str, tuple[str, ...]] = {}
    for lang in LANGS:
        variants = c.words(am, lang, f"{where}.cloze_accept", item)
        seen = {normalize_answer(cloze.get(lang)): cloze.get(lang)}
        for v in variants:
            key = normalize_answer(v)
            if not key:
                c.add(
                    c.line_of(am, lang),
                    item,
                    f"{where}.cloze_accept.{lang}: '{v}' is empty once normalised",
                    f"{where}.cloze_accept.{lang}：'{v}' 规范化后为空",
                )
            elif key in seen:
                c.add(
                    c.line_of(am, lang),
                    item,
                    f"{where}.cloze_accept.{lang}: '{v}' is the same answer as "
                    f"'{seen[key]}' (case, width, spaces and end punctuation are "
                    "already ignored)",
                    f"{where}.cloze_accept.{lang}：'{v}' 与 '{seen[key]}' 是同一个答案"
                    "（大小写、全半角、空格和首尾标点本来就不计）",
                    "remove it; list only answers the rule does not already accept.",
                    "请删除它；只列出规则尚未接受的答案。",
                )
            else:
                seen[key] = v
        out[lang] = variants
    return Variants(zh=out["zh"], en=out["en"])


#: how an unlabelled paragraph opens when it may be a new speaker's turn whose
#: label the transcript lost: adding to, agreeing with or going back to what
#: someone said
_NEW_TURN = re.compile(
    r"^(但|不过|另外|关于[^，,。]{0,12}[，,])?"
    r"(我想补充|我再补充|补充一点|我们刚才也|我也同意|我同意|我不同意|我想回应|回到刚才)"
)


def _check_speaker(
    c: _Checker,
    line: int,
    item: str,
    where: str,
    para: Any,
    speaker: str,
    attribution: Attribution,
    speakers: list[Speaker],
) -> None:
    if not speaker:
        return
    if para.boilerplate:
        c.add(
            line,
            item,
            f"{where}.quote: paragraph {para.number} is boilerplate, not part of the text",
            f"{where}.quote：第 {para.number} 段是网页附加内容，不属于正文",
        )
        return
    if para.label is not None and para.label != speaker:
        c.add(
            line,
            item,
            f"{where}.speaker: '{speaker}', but paragraph {para.number} is labelled '{para.label_text}' ({para.label})",
            f"{where}.speaker：'{speaker}'，但第 {para.number} 段标注的发言人是 '{para.label_text}'（{para.label}）",
            "correct the speaker, or quote another paragraph.",
            "改正发言人，或引用别的段落。",
        )
    elif (
        para.label is None
        and attribution == Attribution.EXPLICIT
        and _NEW_TURN.search(para.text)
    ):
        c.add(
            line,
            item,
            f"{where}.attribution: 'explicit', but unlabelled paragraph {para.number} "
            f"opens as another speaker might ('{_NEW_TURN.search(para.text).group()}'); "
            "the transcript may have lost a label",
            f"{where}.attribution：'explicit'，但无标注的第 {para.number} 段的开头像是换了"
            f"发言人（'{_NEW_TURN.search(para.text).group()}'），原文可能漏了标注",
            "judge it: 'inferred' with an attribution_note saying why it is this "
            "speaker, or 'uncertain' (then it gives no 'who said this?' question).",
            "请判断：用 'inferred' 并在 attribution_note 中说明理由，或用 'uncertain'"
            "（则不出“谁说的”题）。",
        )
    elif (
        para.label is None
        and attribution == Attribution.EXPLICIT
        and para.turn != speaker
    ):
        last = para.turn or "nobody"
        c.add(
            line,
            item,
            f"{where}.attribution: 'explicit', but paragraph {para.number} is unlabelled and the last labelled speaker is '{last}'",
            f"{where}.attribution：'explicit'，但第 {para.number} 段无标注，上一个标注的发言人是 '{last}'",
            "use 'inferred' with an attribution_note saying why, or 'uncertain'.",
            "请改用 'inferred' 并在 attribution_note 中说明理由，或用 'uncertain'。",
        )


def _stem_flaws(text: str, lang: str, *, names: set[str]) -> list[Flaw]:
    return stem_flaws(text, lang, names)


def _fact(
    c: _Checker, where: str, line: int, value: Any, item: str, relayed: set[str]
) -> Fact | None:
    m = c.mapping(value, where, line, item, required=("question", "answer", "wrong"))
    if m is None:
        return None
    question = c.text(m, "question", where, item)
    answer = c.text(m, "answer", where, item)
    wrong_items = c.text_list(m, "wrong", where, item)
    c.flaws(m, "question", where, item, partial(_stem_flaws, names=c.names | relayed))
    for key in ("question", "answer", "wrong"):
        c.typography(m, key, where, item)
    wrong = [w for _, w in wrong_items]
    if "wrong" in m and isinstance(m["wrong"], _List) and len(m["wrong"]) < 3:
        c.add(
            c.line_of(m, "wrong"),
            item,
            f"{where}.wrong: {len(m['wrong'])} wrong options; at least 3 are needed",
            f"{where}.wrong：只有 {len(m['wrong'])} 个错误选项；至少需要 3 个",
        )
    if answer:
        for lang in LANGS:
            seen: dict[str, int] = {compact(answer.get(lang)): 0}
            for wline, w in wrong_items:
                key = compact(w.get(lang))
                if key == compact(answer.get(lang)):
                    c.add(
                        wline,
                        item,
                        f"{where}.wrong: the answer '{answer.get(lang)}' is also listed as a wrong option",
                        f"{where}.wrong：答案 '{answer.get(lang)}' 同时被列为错误选项",
                        "remove it or write another wrong option.",
                        "删除它或另写一个错误选项。",
                    )
                elif key in seen:
                    c.add(
                        wline,
                        item,
                        f"{where}.wrong: duplicate option '{w.get(lang)}' ({lang})",
                        f"{where}.wrong：选项 '{w.get(lang)}' 重复（{lang}）",
                    )
                seen[key] = wline
            if (
                question
                and answer.get(lang)
                and len(compact(answer.get(lang))) > 1
                and compact(answer.get(lang)).lower()
                in compact(question.get(lang)).lower()
            ):
                c.add(
                    c.line_of(m, "question"),
                    item,
                    f"{where}.question.{lang}: contains its own answer '{answer.get(lang)}'",
                    f"{where}.question.{lang}：题干中含有答案 '{answer.get(lang)}'",
                )
    if question and answer and len(wrong) == len(wrong_items):
        for lang in LANGS:
            for flaw in distractor_flaws(
                question.get(lang),
                answer.get(lang),
                [w.get(lang) for w in wrong],
                lang,
                width,
            ):
                c.add(
                    c.line_of(m, "answer"),
                    item,
                    f"{where}.{lang}: {flaw.en}",
                    f"{where}.{lang}：{flaw.zh}",
                    flaw.hint_en,
                    flaw.hint_zh,
                )
    if answer and len(wrong) == len(wrong_items):
        for lang in LANGS:
            options = [answer.get(lang), *(w.get(lang) for w in wrong)]
            if not options_comparable(options):
                widths = [width(o) for o in options]
                c.add(
                    c.line_of(m, "wrong"),
                    item,
                    f"{where}: the {lang} options differ too much in length "
                    f"(widths {min(widths)} to {max(widths)}; at most {MAX_LENGTH_RATIO}x)",
                    f"{where}：{lang} 选项长度相差过大（宽度 {min(widths)} 到 {max(widths)}；"
                    f"最多 {MAX_LENGTH_RATIO} 倍）",
                    "a learner should not spot the answer by its length.",
                    "不要让学生凭长度猜出答案。",
                )
    if not (question and answer) or len(wrong) != len(wrong_items):
        return None
    return Fact(question=question, answer=answer, wrong=tuple(wrong))


def _debate(
    c: _Checker,
    i: int,
    line: int,
    value: Any,
    speaker_ids: set[str],
    topic_ids: set[str],
    claims: dict[str, Claim],
    claim_ids: set[str],
) -> Debate | None:
    where = f"debates[{i}]"
    m = c.mapping(
        value,
        where,
        line,
        "",
        required=("id", "topic", "question", "sides", "teacher_notes"),
        optional=("guiding", "opposed"),
    )
    if m is None:
        return None
    did = c.ident(m, "id", where, "")
    n_before = len(c.problems)
    topic = c.string(m, "topic", where, did)
    if topic and topic not in topic_ids:
        _unknown(
            c, c.line_of(m, "topic"), did, f"{where}.topic", "topic", topic, topic_ids
        )
    question = c.text(m, "question", where, did)
    sides = []
    for j, sline, svalue in c.items(m, "sides", where, did):
        swhere = f"{where}.sides[{j}]"
        sm = c.mapping(
            svalue, swhere, sline, did, required=("speaker", "claims", "position")
        )
        if sm is None:
            continue
        sp = c.string(sm, "speaker", swhere, did)
        if sp and sp not in speaker_ids:
            _unknown(
                c,
                c.line_of(sm, "speaker"),
                did,
                f"{swhere}.speaker",
                "speaker",
                sp,
                speaker_ids,
            )
        ids = c.words(sm, "claims", swhere, did)
        if "claims" in sm and not ids:
            c.add(
                c.line_of(sm, "claims"),
                did,
                f"{swhere}.claims: is empty",
                f"{swhere}.claims：为空",
                "give each side at least one claim.",
                "每一方至少给出一条论断。",
            )
        for cid in ids:
            if cid not in claim_ids:
                _unknown(
                    c,
                    c.line_of(sm, "claims"),
                    did,
                    f"{swhere}.claims",
                    "claim",
                    cid,
                    claim_ids,
                )
            elif cid not in claims:
                pass  # the claim itself is invalid and already reported
            elif sp and claims[cid].speaker != sp:
                c.add(
                    c.line_of(sm, "claims"),
                    did,
                    f"{swhere}.claims: '{cid}' is by '{claims[cid].speaker}', not by this side's speaker '{sp}'",
                    f"{swhere}.claims：'{cid}' 的发言人是 '{claims[cid].speaker}'，不是这一方的 '{sp}'",
                )
        position = c.text(sm, "position", swhere, did)
        c.typography(sm, "position", swhere, did)
        if sp and ids and position:
            sides.append(Side(speaker=sp, claims=ids, position=position))
    if isinstance(m.get("sides"), _List) and len(m["sides"]) < 2:
        c.add(
            c.line_of(m, "sides"),
            did,
            f"{where}.sides: a debate needs at least two sides, found {len(m['sides'])}",
            f"{where}.sides：辩题至少需要两方，实际只有 {len(m['sides'])} 方",
        )
    guiding = [g for _, g in c.text_list(m, "guiding", where, did)]
    if "guiding" in m and not 2 <= len(guiding) <= 3:
        c.add(
            c.line_of(m, "guiding"),
            did,
            f"{where}.guiding: {len(guiding)} sub-questions; give two or three",
            f"{where}.guiding：有 {len(guiding)} 个引导问题；应为两到三个",
        )
    notes = c.text(m, "teacher_notes", where, did)
    for key in ("question", "guiding", "teacher_notes"):
        c.typography(m, key, where, did)
    opposed = m.get("opposed", False)
    if not isinstance(opposed, bool):
        c.add(
            c.line_of(m, "opposed"),
            did,
            f"{where}.opposed: must be true or false, got {opposed!r}",
            f"{where}.opposed：必须是 true 或 false，实际是 {opposed!r}",
        )
        opposed = False
    if len(c.problems) > n_before or not (did and question and notes):
        return None
    return Debate(
        id=did,
        topic=topic,
        question=question,
        sides=tuple(sides),
        guiding=tuple(guiding),
        teacher_notes=notes,
        opposed=opposed,
        line=line,
    )
