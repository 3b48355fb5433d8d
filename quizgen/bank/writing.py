"""Writing rules for a bank's learner texts: statements, stems and Chinese typography.

A statement is read after a speaker lead ('X says:', or 'X relays:' for a
reported view; in Chinese the same leads), in a "who said this?" stem and as a stance
option: it must be one self-contained view in the third person. A fact stem
(a fact's `question`) is read by a student who heard the talk but does not
have the quote in front of them: it must not point at a quote ("this view",
"the other side") and must name whose view it asks about.

Each rule returns Flaws (what is wrong, and a hint); the checker reports them
with the file and line. The rules are cheap patterns: they find the habits
that make a question unreadable, not every bad sentence.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from quizgen.rules import cloze_spans, zh_punctuation

__all__ = [
    "Flaw",
    "cloze_flaws",
    "distractor_flaws",
    "statement_flaws",
    "stem_flaws",
    "zh_typography_flaws",
]


@dataclass(frozen=True, kw_only=True)
class Flaw:
    """One broken writing rule: the message and a hint, in English and Chinese."""

    en: str
    zh: str
    hint_en: str
    hint_zh: str


def _rule(
    pattern: str, en: str, zh: str, hint_en: str, hint_zh: str, flags: int = 0
) -> tuple[re.Pattern[str], Flaw]:
    return re.compile(pattern, flags), Flaw(
        en=en, zh=zh, hint_en=hint_en, hint_zh=hint_zh
    )


_REPORT = (
    "is written as a report ('{m}'), not as the speaker's view",
    "写成了转述（'{m}'），而不是发言人的观点",
    "state the view itself; if the speaker relays someone else's view, mark the "
    "claim `reported` and say whose view it is (the lead becomes 'X relays').",
    "直接写出观点；若是转述他人的观点，请给论断加 `reported` 并写明是谁的观点"
    "（题干会以“X提到”引出）。",
)
_TIME = (
    "points at a time only the talk knows ('{m}')",
    "用了只有现场才明白的时间指代（'{m}'）",
    "name the time (in February 2024, at ICCV 2023).",
    "写出具体时间（如 2024年2月、2023年的ICCV会议）。",
)
_CONTINUES = (
    "continues something said before ('{m}'); after a speaker lead it does not read",
    "接着前文说（'{m}'），放在发言人之后读不通",
    "write the whole view as one sentence that stands alone.",
    "把观点写成一个能独立成立的完整句子。",
)
_AGREES = (
    "states agreement with someone ('{m}') instead of the view",
    "写的是同意或反对某人（'{m}'），而不是观点本身",
    "write the view the speaker holds; a conceded point is not a contrast.",
    "写出发言人自己持有的观点本身。",
)
_REPLY = (
    "reads as a reply or lacks its subject ('{m}')",
    "读起来像是回答或缺少主语（'{m}'）",
    "write a full sentence with its own subject that reads after 'X says:'.",
    "写成放在“X认为，”之后也通顺、有主语的完整句子。",
)
_FIRST_PERSON = (
    "speaks in the first person ('{m}')",
    "用了第一人称（'{m}'）",
    "write in the third person; quote the speaker's own words only inside quotation marks.",
    "改用第三人称；发言人的原话只放在“ ”里。",
)

_STATEMENT_RULES: dict[str, list[tuple[re.Pattern[str], Flaw]]] = {
    "zh": [
        _rule(r"据了解|据说|据报道|据悉|据称|听说", *_REPORT),
        _rule(
            r"今年|去年|明年|前年|昨天|明天|刚才|上个月|下个月|上周|下周|本周|这周",
            *_TIME,
        ),
        _rule(
            r"^(也|还|又|而且|并且|同时|另外|此外|但是?|不过|然而|所以|因此|因而|于是"
            r"|那么|至于|就像|正如|好比|(这|那)(个|些|种|一))|还包括|也包括",
            *_CONTINUES,
        ),
        _rule(
            r"(不|大部分|部分|也)?(同意|赞同|赞成)|^(完全|大部分|部分)?认同", *_AGREES
        ),
        _rule(
            r"^(是的|对[，,]|不是[，,]|没错|当然|认为|相信|不太?相信|不认为|质疑|觉得|表示|指出|强调"
            r"|主张|担心|希望|提出|补充|回应|承认|非常尊重|尊重)",
            *_REPLY,
        ),
        _rule(r"(?<!自)我(?!们)", *_FIRST_PERSON),
    ],
    "en": [
        _rule(
            r"\b(reportedly|it is said|apparently|allegedly|rumou?red)\b",
            *_REPORT,
            flags=re.IGNORECASE,
        ),
        _rule(
            r"\b(this|last|next) (year|month|week)\b|\b(yesterday|tomorrow)\b(?!'s)"
            r"|\bjust now\b|\bearlier today\b",
            *_TIME,
            flags=re.IGNORECASE,
        ),
        _rule(
            r"^(Also|And|But|So|Yet|However|Still|Then|Likewise|Similarly|As with"
            r"|This|That|These|Those|Such)\b|\balso include",
            *_CONTINUES,
        ),
        _rule(r"\b(agrees?|disagrees?|concedes?)\b", *_AGREES, flags=re.IGNORECASE),
        _rule(
            r"^(Yes|No)\b|^(Asks|Agrees|Believes|Thinks|Holds|Says|Respects|Wants"
            r"|Argues|Adds|Notes|Mostly|Doubts|Questions|Suggests|Stresses|Warns"
            r"|Hopes|Expects|Sees|Considers|Worries|Admits|Replies|Answers"
            r"|Responds|Takes)\b",
            *_REPLY,
        ),
        _rule(r"\b(I|me|my|mine)\b", *_FIRST_PERSON),
    ],
}

#: quoted words inside a text: a speaker's own words may say "I"
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’|「[^」]*」")


def _unquoted(text: str) -> str:
    return _QUOTED.sub(lambda m: "\u2026" * len(m.group()), text)


def _apply(
    rules: Iterable[tuple[re.Pattern[str], Flaw]], text: str
) -> list[tuple[Flaw, str]]:
    found = []
    for pattern, flaw in rules:
        m = pattern.search(text)
        if m:
            found.append((flaw, m.group().strip()))
    return found


def _fill(found: list[tuple[Flaw, str]]) -> list[Flaw]:
    return [
        Flaw(
            en=flaw.en.replace("{m}", m),
            zh=flaw.zh.replace("{m}", m),
            hint_en=flaw.hint_en,
            hint_zh=flaw.hint_zh,
        )
        for flaw, m in found
    ]


#: pointers a statement cannot carry: they name nothing the student can see
#: (a view, a report, a person given only by role), whatever the sentence says
_STATEMENT_POINTERS: dict[str, re.Pattern[str]] = {
    "zh": re.compile(
        r"对方|回应者|发言者|提问者|这一观点|这个观点|该观点|这种观点|这一说法|这种说法"
        r"|该说法|该报告|这份报告|该研究|这项研究"
        r"|(?:(?<=^)|(?<=[，,；;：:])|(?<=所以)|(?<=因此))"
        r"(这|该)[两三四五几]?(个|项|条)?(要素|因素|原则|几点|两点|三点)"
    ),
    "en": re.compile(
        r"\b(the speaker|the respondent|the other side|this view|on this view"
        r"|(the|this|that) (report|study|survey|approach))\b",
        re.IGNORECASE,
    ),
}
_STATEMENT_POINTS = (
    "points at something the statement never names ('{m}')",
    "指向陈述中没有写出的内容（'{m}'）",
    "name it: the person whose view it is, the report's title, the three elements "
    "themselves.",
    "写出所指的内容：是谁的观点、报告的名称、三要素本身。",
)


def statement_flaws(text: str, lang: str) -> list[Flaw]:
    """What keeps `text` (a statement in `lang`) from reading after a speaker lead."""
    bare = _unquoted(text).strip()
    pointer = (_STATEMENT_POINTERS[lang], Flaw(**_flaw_args(_STATEMENT_POINTS)))
    return _fill(_apply([*_STATEMENT_RULES[lang], pointer], bare))


_POINTS_AT_QUOTE = (
    "points at a quote the student does not have ('{m}')",
    "指向学生看不到的引文（'{m}'）",
    "name the speaker, the occasion or the thing itself, so that the stem stands "
    "alone for a student who heard the talk.",
    "写出发言人、场合或所指的事物，让听过对谈但手边没有原文的学生也能读懂。",
)
_WHOSE_VIEW = (
    "asks a view ('{m}') as if it were common knowledge",
    "把某人的观点（'{m}'）当作常识来问",
    "say whose view it is (a speaker's name, or 'the host', 'in the panel').",
    "写明是谁的观点（发言人姓名，或“主持人”“对谈中”）。",
)
_WHOSE_WORDS = (
    "names no speaker and no occasion, so it reads as a general-knowledge question",
    "既没有写发言人也没有写场合，读起来像一道常识题",
    "every answer comes from someone's words in the text: name the speaker "
    "('According to Li Hang, …'), the person relayed, or the occasion "
    "('the host', 'in the panel').",
    "答案都出自文本中某人的话：写明发言人（如“李航认为，…”“据张宏江介绍，…”）、"
    "被转述的人，或场合（“主持人”“对谈中”）。",
)
_DANGLING = (
    "opens on a modifier with no subject to attach to ('{m}')",
    "开头的修饰语或条件句缺少主语，句子不通（'{m}'）",
    "give the opening phrase its subject: 'When Li Hang likens …, whom does he "
    "name?', 'Granting that what Sora does is imitation, …'.",
    "补出主语或改成完整的问句（如“张宏江认为，在什么条件下人工智能才有可能…？”）。",
)

_STEM_POINTERS: dict[str, re.Pattern[str]] = {
    "zh": re.compile(
        r"对方|回应者|发言者|提问者|这位嘉宾|该嘉宾|这个例子|这一例子|这个比喻|这一比喻"
        r"|这一观点|这个观点|该观点|这种观点|这一看法|这个看法|这一判断|上述|前面提到"
        r"|文中|引文|这里|这段|此处|被认为|被视为"
        r"|(?<![…”\"」])(这|该|上面的?|前面的?)[一两二三四五六七八九十几]?[个种项条些点门份篇]?"
        r"(要素|因素|方面|原则|条件|理由|说法|报告|研究|论文|课程|几点|两点|三点)"
        r"|(这|该)[两三四五几]点"
    ),
    "en": re.compile(
        r"\b(the respondent|the response|the reply|the speaker|the other side"
        r"|this example|this view"
        r"|this point|this analogy|this passage|the passage|the quote|here"
        r"|is considered|are considered|is thought|are thought|is seen as"
        r"|is said|on this view|according to this"
        r"|(the|this|that) (report|study|survey|paper|article|ranking|course|list)"
        r"|(this|that|these) (approach|claim|idea|example|analogy|argument)"
        r"|(is|are|was|were) (disputed|contested|questioned|challenged|doubted)"
        r"(?! by))\b",
        re.IGNORECASE,
    ),
}
#: a participle or condition with nothing to attach to: "Likening X to Y, who is
#: ahead?" (the one likening is not "who"), "怎样人工智能就…" (怎样 without 才/让)
_STEM_DANGLING: dict[str, re.Pattern[str]] = {
    "zh": re.compile(r"(怎样|如何)(?![才让使能])[^，,。？?]{1,12}就"),
    "en": re.compile(
        r"^(Having \w+|Granting|Granted|Likening|Comparing|Calling|Describing"
        r"|Asked|Told|Seeing)\b[^,?]*,\s*((who|what|which) (is|are|was|were)\b"
        r"|how (is|are|was|were)\b[^?]*\b\w+ed\?$)"
    ),
}
_STEM_VIEW: dict[str, re.Pattern[str]] = {
    "zh": re.compile(
        r"认为|看来|观点|主张|看法|判断|应该|应当|建议|担心|相信|觉得|被说成|预测|预计"
    ),
    "en": re.compile(
        r"\b(views?|think|thinks|believes?|argues?|argued|argument|should|opinion"
        r"|suggests?|suggested|judge(ment)?|expected|predicts?|predicted|prediction"
        r"|forecasts?|described)\b",
        re.IGNORECASE,
    ),
}
_STEM_PRONOUN = re.compile(r"\b(he|she|his|her|him)\b", re.IGNORECASE)
_OCCASION: dict[str, re.Pattern[str]] = {
    "zh": re.compile(r"主持人|嘉宾|对谈|观众|提问"),
    "en": re.compile(r"\b(host|hosts|panel|panelists?|guests?|audience)\b", re.I),
}


def stem_flaws(text: str, lang: str, names: Iterable[str]) -> list[Flaw]:
    """What keeps `text` (a fact stem in `lang`) from standing alone.

    `names` are the people a stem may name (the bank's speakers, their
    aliases, and people whose views claims report).
    """
    bare = _unquoted(text)
    named = any(_names_in(n, text) for n in names if n) or bool(
        _OCCASION[lang].search(text)
    )
    found = _apply([(_STEM_POINTERS[lang], Flaw(**_flaw_args(_POINTS_AT_QUOTE)))], bare)
    if lang == "en" and not named:
        found += _apply([(_STEM_PRONOUN, Flaw(**_flaw_args(_POINTS_AT_QUOTE)))], bare)
    found += _apply([(_STEM_DANGLING[lang], Flaw(**_flaw_args(_DANGLING)))], bare)
    if not named:
        view = _apply([(_STEM_VIEW[lang], Flaw(**_flaw_args(_WHOSE_VIEW)))], bare)
        found += view or [(Flaw(**_flaw_args(_WHOSE_WORDS)), "")]
    return _fill(found)


def _names_in(name: str, text: str) -> bool:
    """Whether `text` names `name`: a Latin name as a whole word ('Li' is not
    in 'Likening'), a Chinese one anywhere."""
    if not name[:1].isascii():
        return name in text
    return re.search(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", text) is not None


def _flaw_args(parts: tuple[str, str, str, str]) -> dict[str, str]:
    en, zh, hint_en, hint_zh = parts
    return {"en": en, "zh": zh, "hint_en": hint_en, "hint_zh": hint_zh}


_LATIN_PAREN = re.compile(r"\([^()\n]*\)")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_FULL_MARKS = "，。、；：？！）”’》」"
_SPACE_AFTER_MARK = re.compile(rf"[{_FULL_MARKS}] +| +[{_FULL_MARKS}（“‘《「]")
_TIGHT_COMMA = re.compile(r"(?<![0-9]),|,(?![0-9])")


def zh_typography_flaws(text: str) -> list[Flaw]:
    """Half-width brackets and commas next to Latin words, and spaces beside
    full-width marks, in Chinese learner text: what zh_punctuation (marks next
    to Chinese characters) leaves. The generator sets these right
    (rules.zh_learner_text); the checker asks the bank to be written right too."""
    text = zh_punctuation(text)
    if not _CJK.search(text):
        return []
    found = []
    bare = text
    m = _LATIN_PAREN.search(bare)
    if m:
        found.append(m.group())
    m = _TIGHT_COMMA.search(bare)
    if m:
        found.append(bare[max(0, m.start() - 6) : m.end() + 6].strip())
    m = _SPACE_AFTER_MARK.search(bare)
    if m:
        found.append(m.group())
    return [
        Flaw(
            en=f"Chinese text keeps a half-width mark or a stray space ('{x}')",
            zh=f"中文文字中有半角标点或多余空格（'{x}'）",
            hint_en="use （ ） and ， in Chinese text, also around Latin words "
            "(（SaaS）, OpenAI、Google); no space after a full-width mark.",
            hint_zh="中文里用（ ）和，，拉丁字母词旁也一样（如（SaaS）、OpenAI、Google）；"
            "全角标点后不加空格。",
        )
        for x in found
    ]


_EN_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*", re.IGNORECASE)
_EN_SMALL = frozenset(
    re.findall(
        r"\w+",
        "a an the of to in on at for by and or but with from into as is are was "
        "were be been it its this that these those not no more most less than so "
        "such",
    )
)
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def _en_stem(word: str) -> str:
    word = word.lower()
    for end, to in (("ies", "y"), ("es", ""), ("s", "")):
        if len(word) > 4 and word.endswith(end):
            return word[: -len(end)] + to
    return word


def cloze_flaws(statement: str, term: str, lang: str) -> list[Flaw]:
    """What keeps `term` from being blanked fairly in `statement`: it must occur
    once, and the rest of the statement must not restate or hint it (a content
    word of it in English, two of its Chinese characters in a row in Chinese)."""
    spans = cloze_spans(statement, term)
    if not spans:
        return []
    found: list[Flaw] = []
    if len(spans) > 1:
        found.append(
            Flaw(
                en=f"the cloze term '{term}' occurs {len(spans)} times in "
                "the statement; the blank would leave it visible",
                zh=f"填空词 '{term}' 在陈述中出现了 {len(spans)} 次，"
                "挖空后答案仍然可见",
                hint_en="choose a term that occurs once, or reword the statement.",
                hint_zh="换一个只出现一次的词，或改写陈述。",
            )
        )
    start, end = spans[0]
    rest = f"{statement[:start]}\n{statement[end:]}"
    hint = ""
    if lang == "en":
        words = {_en_stem(w) for w in _EN_WORD.findall(term)} - _EN_SMALL
        words = {w for w in words if len(w) > 3}
        rest_words = {_en_stem(w) for w in _EN_WORD.findall(rest)}
        if words and words <= rest_words:
            hint = " ".join(sorted(words))
    else:
        bare = term.replace("的", "")
        for part in (bare, bare[1:], bare[:-1]):
            if len(part) - len(_CJK_RUN.sub("", part)) >= 2 and part in rest.replace(
                "的", ""
            ):
                hint = part
                break
    if hint and len(spans) == 1:
        found.append(
            Flaw(
                en=f"the rest of the statement hints the cloze term '{term}' ('{hint}')",
                zh=f"陈述的其余部分提示了填空词 '{term}'（'{hint}'）",
                hint_en="blank a term the rest of the statement does not restate, "
                "or reword it.",
                hint_zh="挖一个陈述其余部分没有重复的词，或改写陈述。",
            )
        )
    return found


_DIGITS = re.compile(r"\d+")
_HEDGE: dict[str, re.Pattern[str]] = {
    "zh": re.compile(r"可能|也许|或许|未必|不一定|不见得|大概"),
    "en": re.compile(r"\b(may|might|perhaps|not necessarily|probably)\b", re.I),
}
#: the key may be at most this many times as wide as the widest wrong option
#: (a third wider stands out once the key is a phrase, not a name or number)
KEY_WIDTH_RATIO = 1.3
#: keys up to this width (a name, a number, a short phrase) are not compared
KEY_WIDTH_FREE = 16
#: two wrong options this similar (difflib ratio) read as the same option
NEAR_EQUAL = 0.85
_COMMON_BIGRAMS = frozenset(
    re.findall(
        r"..",
        "什么哪些哪个哪种怎样如何多少为什么是否可以可能能够没有已经就是这个这些那个一个"
        "我们他们你们人们自己因为所以但是而且还是以及或者通过进行成为认为觉得需要应该",
    )
)


_FUNCTION_CHARS = frozenset("的了是在和与及等之也都很更最被把对")


def _content_units(text: str, lang: str) -> set[str]:
    if lang == "en":
        return {
            _en_stem(w)
            for w in _EN_WORD.findall(text)
            if len(w) > 3 and w.lower() not in _EN_SMALL
        }
    return {
        run[i : i + 2]
        for run in _CJK_RUN.findall(text)
        for i in range(len(run) - 1)
        if run[i : i + 2] not in _COMMON_BIGRAMS
        and not set(run[i : i + 2]) & _FUNCTION_CHARS
    }


def distractor_flaws(
    stem: str, key: str, wrong: list[str], lang: str, width: Callable[[str], int]
) -> list[Flaw]:
    """What lets a student pick the key without knowing the answer: it alone
    repeats a word of the stem, it alone is hedged, it is much longer than every
    wrong option, or two wrong options say nearly the same thing."""
    found: list[Flaw] = []
    shared = _content_units(key, lang) & _content_units(stem, lang)
    if shared and not any(
        _content_units(w, lang) & _content_units(stem, lang) for w in wrong
    ):
        found.append(
            Flaw(
                en=f"only the answer repeats a word of the question "
                f"('{sorted(shared)[0]}')",
                zh=f"只有答案重复了题干中的词（'{sorted(shared)[0]}'）",
                hint_en="reword the answer, or let a wrong option echo the question too.",
                hint_zh="改写答案，或让某个错误选项也呼应题干。",
            )
        )
    hedge = _HEDGE[lang].search(key)
    if hedge and not any(_HEDGE[lang].search(w) for w in wrong):
        found.append(
            Flaw(
                en=f"only the answer is hedged ('{hedge.group()}')",
                zh=f"只有答案带有保留语气（'{hedge.group()}'）",
                hint_en="hedge a wrong option too, or state the answer plainly.",
                hint_zh="让某个错误选项也带保留语气，或把答案说得直接些。",
            )
        )
    widest = max((width(w) for w in wrong), default=0)
    if wrong and width(key) > KEY_WIDTH_FREE and width(key) > KEY_WIDTH_RATIO * widest:
        found.append(
            Flaw(
                en=f"the answer is much longer than every wrong option "
                f"(width {width(key)}, the widest wrong option {widest})",
                zh=f"答案比所有错误选项都长得多（宽度 {width(key)}，最宽的错误选项 {widest}）",
                hint_en="shorten the answer or give the wrong options the same detail.",
                hint_zh="缩短答案，或让错误选项同样具体。",
            )
        )
    for i, a in enumerate(wrong):
        for b in wrong[i + 1 :]:
            if _DIGITS.sub("#", a) == _DIGITS.sub("#", b):
                continue  # different numbers: a fair choice
            if (
                difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio()
                >= NEAR_EQUAL
            ):
                found.append(
                    Flaw(
                        en=f"two wrong options are nearly the same ('{a}', '{b}')",
                        zh=f"两个错误选项几乎相同（'{a}'、'{b}'）",
                        hint_en="make each wrong option a different mistake.",
                        hint_zh="让每个错误选项代表不同的错误。",
                    )
                )
    return found
