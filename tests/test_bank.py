from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizgen.bank import Attribution, SpeakerKind, load_bank, parse_bank
from quizgen.errors import BankError

from conftest import EXAMPLE_BANK, ROOT

EXAMPLE = EXAMPLE_BANK.read_text(encoding="utf-8")


def write_bank(tmp_path: Path, text: str) -> Path:
    shutil.copy(ROOT / "docs" / "example-source.txt", tmp_path / "example-source.txt")
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line of the nth occurrence of `needle` in `text`."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    return text.count("\n", 0, at) + 1


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(BankError) as info:
        load_bank(write_bank(tmp_path, text))
    return [str(p) for p in info.value.problems]


def test_example_bank_loads(example_bank):
    assert example_bank.id == "example-translation"
    assert [s.id for s in example_bank.speakers] == ["host", "wang", "liu", "zhao"]
    assert example_bank.speaker("host").kind == SpeakerKind.HOST
    claim = example_bank.claim("wang-replace")
    assert claim.paragraph == 3
    assert claim.attribution == Attribution.EXPLICIT
    assert claim.facts[0].answer.en == "ten years"
    assert len(claim.facts[0].wrong) == 3
    assert example_bank.debate("will-machines-replace").sides[1].speaker == "liu"
    assert example_bank.coverage() == (12, 12)


def test_dataclasses_are_frozen(example_bank):
    with pytest.raises(AttributeError):
        example_bank.claims[0].quote = "x"  # type: ignore[misc]


# Each case: (id, old text, new text, needle whose line is reported, expected message)
CASES = [
    (
        "yaml-syntax",
        "  - id: wang-ninety\n",
        "  - id: wang-ninety\n    quote: [unclosed\n",
        None,
        "YAML syntax error",
    ),
    (
        "unknown-key",
        "    speaker: liu\n    topic: future\n    quote: 文学",
        "    speaker: liu\n    topc: future\n    quote: 文学",
        "    topc: future",
        "[liu-literature] claims[2]: unknown key 'topc' Hint: did you mean 'topic'?",
    ),
    (
        "missing-field",
        "    speaker: liu\n    topic: future\n    quote: 文学",
        "    speaker: liu\n    quote: 文学",
        "  - id: liu-literature",
        "[liu-literature] claims[2]: missing 'topic'",
    ),
    (
        "missing-language",
        "      en: Machines almost always get the puns in poetry wrong.\n",
        "",
        ("    statement:\n      zh: 诗歌", 0),
        "[liu-puns] claims[3].statement: missing 'en'",
    ),
    (
        "duplicate-id",
        "  - id: wang-ninety",
        "  - id: wang-replace",
        ("  - id: wang-replace", 1),
        "[wang-replace] duplicate claim id 'wang-replace' (first on line {first})",
    ),
    (
        "unknown-speaker",
        "  - id: liu-window\n    speaker: liu",
        "  - id: liu-window\n    speaker: lui",
        "    speaker: lui",
        "[liu-window] claims[5].speaker: unknown speaker 'lui' Hint: did you mean 'liu'?",
    ),
    (
        "unknown-topic",
        "  - id: liu-window\n    speaker: liu\n    topic: learning",
        "  - id: liu-window\n    speaker: liu\n    topic: learn",
        "    topic: learn\n",
        "[liu-window] claims[5].topic: unknown topic 'learn' Hint: did you mean 'learning'?",
    ),
    (
        "unknown-claim",
        "claims: [liu-literature, liu-puns]",
        "claims: [liu-literature, liu-pun]",
        "claims: [liu-literature, liu-pun]",
        "[will-machines-replace] debates[0].sides[1].claims: unknown claim 'liu-pun' Hint: did you mean 'liu-puns'?",
    ),
    (
        "quote-not-found",
        "quote: 去年我们的系统已经能翻译90%的技术文档。",
        "quote: 去年我们的系统已经能翻译80%的技术文档。",
        "quote: 去年我们的系统已经能翻译80%",
        "[wang-ninety] claims[1].quote: not found in the source Hint: the nearest passage is in paragraph 3: '去年我们的系统已经能翻译90%的技术文档。'; it differs at '8' (the text: '9')",
    ),
    (
        "quote-of-another-speaker",
        "  - id: liu-window\n    speaker: liu",
        "  - id: liu-window\n    speaker: wang",
        "  - id: liu-window\n    speaker: wang",
        "[liu-window] claims[5].speaker: 'wang', but paragraph 8 is labelled '刘老师' (liu)",
        # the line is that of `speaker:`, one below the id
    ),
    (
        "explicit-not-last-speaker",
        "  - id: liu-puns\n    speaker: liu",
        "  - id: liu-puns\n    speaker: wang",
        "  - id: liu-puns\n    speaker: wang",
        "[liu-puns] claims[3].attribution: 'explicit', but paragraph 5 is unlabelled and the last labelled speaker is 'liu'",
    ),
    (
        "wrong-equals-answer",
        "          - {zh: 五十年, en: fifty years}",
        "          - {zh: 十年, en: ten years}",
        "          - {zh: 十年, en: ten years}",
        "[wang-replace] claims[0].facts[0].wrong: the answer '十年' is also listed as a wrong option",
    ),
    (
        "duplicate-options",
        "          - {zh: 五十年, en: fifty years}",
        "          - {zh: 五年, en: five years}",
        ("          - {zh: 五年, en: five years}", 1),
        "[wang-replace] claims[0].facts[0].wrong: duplicate option '五年' (zh)",
    ),
    (
        "debate-one-side",
        "      - speaker: liu\n        claims: [liu-literature, liu-puns]\n        position:\n          zh: 文学翻译需要创造力,机器还做不到。\n          en: Literary translation needs a creativity machines lack.\n",
        "",
        "    sides:",
        "[will-machines-replace] debates[0].sides: a debate needs at least two sides, found 1",
    ),
    (
        "cloze-not-in-statement",
        "    cloze: {zh: 90%, en: 90%}",
        "    cloze: {zh: 80%, en: 90%}",
        "    cloze: {zh: 80%",
        "[wang-ninety] claims[1].cloze.zh: '80%' does not occur in statement.zh",
    ),
    (
        "options-too-different-in-length",
        "          - {zh: 五十年, en: fifty years}",
        "          - {zh: 五十年, en: fifty years or more as nobody can tell}",
        "        wrong:",
        "[wang-replace] claims[0].facts[0]: the en options differ too much in length (widths 9 to 38; at most 2.5x)",
    ),
    (
        "guiding-count",
        "    teacher_notes:\n      zh: 王老师",
        "    guiding:\n      - {zh: 为什么?, en: Why?}\n    teacher_notes:\n      zh: 王老师",
        "    guiding:",
        "[will-machines-replace] debates[0].guiding: 1 sub-questions; give two or three",
    ),
    (
        "inferred-without-note",
        "  - id: liu-window\n    speaker: liu\n    topic: learning\n    quote: 外语是理解另一种文化的窗口,这一点机器替代不了。\n    attribution: explicit",
        "  - id: liu-window\n    speaker: liu\n    topic: learning\n    quote: 外语是理解另一种文化的窗口,这一点机器替代不了。\n    attribution: inferred",
        "  - id: liu-window",
        "[liu-window] claims[5]: attribution 'inferred' needs an attribution_note",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_each_error_class_is_reported_with_its_line(
    tmp_path, old, new, needle, message
):
    assert old in EXAMPLE, "the case no longer matches the example bank"
    text = EXAMPLE.replace(old, new, 1)
    found = problems(tmp_path, text)
    if needle is None:  # syntax error: the line is the parser's
        assert any(message in p for p in found), found
        assert re.match(r"bank\.yaml:\d+: YAML syntax error", found[0].split("/")[-1])
        return
    needle, nth = needle if isinstance(needle, tuple) else (needle, 0)
    line = line_of(text, needle, nth)
    if "speaker: wang" in needle or "speaker: lui" in needle:
        line = line_of(text, needle) + needle.count("\n")
    first = line_of(text, "  - id: wang-replace")
    expected = f"bank.yaml:{line}: " + message.replace("{first}", str(first))
    assert any(p.split("/")[-1].startswith(expected) for p in found), (expected, found)


def test_every_problem_is_listed_at_once(tmp_path):
    text = EXAMPLE.replace(
        "    topic: learning\n    quote: 要学", "    topc: learning\n    quote: 要学"
    )
    text = text.replace(
        "quote: 去年我们的系统已经能翻译90%", "quote: 前年我们的系统已经能翻译90%"
    )
    text = text.replace("claims: [liu-literature, liu-puns]", "claims: [nope]")
    found = problems(tmp_path, text)
    assert len(found) >= 4, found
    lines = [int(p.split(":")[1]) for p in found]
    assert lines == sorted(lines)


def test_unknown_top_level_key(tmp_path):
    found = problems(tmp_path, EXAMPLE.replace("glossary:", "glosary:"))
    assert any(
        "bank: unknown key 'glosary' Hint: did you mean 'glossary'?" in p for p in found
    )


def test_messages_in_chinese(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZGEN_LANG", "zh")
    found = problems(
        tmp_path,
        EXAMPLE.replace(
            "    speaker: liu\n    topic: future\n    quote: 文学",
            "    speaker: liu\n    topc: future\n    quote: 文学",
        ),
    )
    assert any("未知的键 'topc' 提示：是不是想写 'topic'？" in p for p in found), found


def test_python_objects_are_refused(tmp_path):
    text = EXAMPLE.replace(
        "id: example-translation", "id: !!python/object/apply:os.system ['echo hi']"
    )
    found = problems(tmp_path, text)
    assert (
        "YAML syntax error" in found[0]
        or "could not determine a constructor" in found[0]
    )


def test_aliases_are_refused(tmp_path):
    text = EXAMPLE.replace(
        "title: {zh: 机器翻译对谈(示例)", "title: &t {zh: 机器翻译对谈(示例)"
    ).replace(
        "  title: {zh: 机器翻译的未来, en: The future of machine translation}",
        "  title: *t",
    )
    found = problems(tmp_path, text)
    assert any("anchors, aliases and merge keys" in p for p in found), found


def test_billion_laughs_is_refused_quickly(tmp_path):
    lol = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lol.append(f"{cur}: &{cur} [{', '.join('*' + prev for _ in range(9))}]")
    found = problems(tmp_path, "\n".join(lol) + "\n")
    assert any("anchors, aliases" in p for p in found)


def test_deep_nesting_is_refused(tmp_path):
    found = problems(tmp_path, "x: " + "[" * 5000 + "]" * 5000 + "\n")
    assert any("nested too deeply" in p for p in found), found


def test_huge_file_is_refused(tmp_path):
    path = write_bank(tmp_path, EXAMPLE)
    with pytest.raises(BankError) as info:
        load_bank(path, max_bytes=100)
    assert "the file is too large" in str(info.value)


def test_not_utf8_is_reported(tmp_path):
    path = write_bank(tmp_path, "")
    path.write_bytes("id: 中文\n".encode("gbk"))
    with pytest.raises(BankError) as info:
        load_bank(path)
    assert "bank.yaml:1: the file is not UTF-8 text" in str(info.value)


def test_missing_source_file(tmp_path):
    found = problems(
        tmp_path, EXAMPLE.replace("file: example-source.txt", "file: nowhere.txt")
    )
    assert any("source.file: cannot read 'nowhere.txt'" in p for p in found)


def test_upload_with_source_text(example_bank):
    text = (ROOT / "docs" / "example-source.txt").read_text(encoding="utf-8")
    bank = parse_bank(EXAMPLE.encode(), file="upload.yaml", source_text=text)
    assert bank.claims == example_bank.claims


# -- property test: random edits never give anything but a Bank or a clean BankError


def _mutations():
    lines = EXAMPLE.splitlines(keepends=True)
    odd = st.sampled_from(
        [
            "",
            "\u200b",
            "：",
            "::",
            "{{c1::x}}",
            "<script>",
            "\x00",
            "💥",
            "~",
            "- ",
            ": ",
            "[",
            "&a",
            "*a",
            "!!binary",
            "'",
            '"',
            "\t",
            "\ufeff",
        ]
    )
    delete = st.integers(0, len(lines) - 1).map(lambda i: ("delete", i, ""))
    cut = st.tuples(st.integers(0, len(lines) - 1), st.integers(0, 40)).map(
        lambda t: ("cut", t[0], str(t[1]))
    )
    insert = st.tuples(st.integers(0, len(lines) - 1), odd).map(
        lambda t: ("insert", t[0], t[1])
    )
    swap = st.tuples(
        st.integers(0, len(lines) - 1),
        st.sampled_from(["42", "true", "null", "[]", "{}", "[a, b]", "{zh: x}"]),
    ).map(lambda t: ("swap", t[0], t[1]))
    return st.lists(st.one_of(delete, cut, insert, swap), min_size=1, max_size=6)


def _apply(edits) -> str:
    lines = EXAMPLE.splitlines(keepends=True)
    for op, i, arg in edits:
        i = min(i, len(lines) - 1)
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "cut":
            lines[i] = lines[i][: int(arg)] + "\n"
        elif op == "insert":
            pos = len(lines[i]) // 2
            lines[i] = lines[i][:pos] + arg + lines[i][pos:]
        elif op == "swap" and ": " in lines[i]:
            key = lines[i].split(": ", 1)[0]
            lines[i] = f"{key}: {arg}\n"
    return "".join(lines)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(_mutations())
def test_random_edits_give_a_bank_or_a_clean_error(tmp_path, edits):
    text = _apply(edits)
    source = (ROOT / "docs" / "example-source.txt").read_text(encoding="utf-8")
    try:
        parse_bank(
            text.encode("utf-8", "surrogatepass"),
            file="bank.yaml",
            base=tmp_path,
            source_text=source,
        )
    except BankError as exc:
        assert exc.problems  # noqa: PT017 - either outcome is valid here
        for p in exc.problems:
            assert re.match(r"bank\.yaml:\d+: ", str(p)), str(p)


def test_yaml_safe_load_agrees_with_the_loader():
    # the line-keeping loader reads the same values as PyYAML's safe_load
    plain = yaml.safe_load(EXAMPLE)
    bank = parse_bank(EXAMPLE, base=ROOT / "docs")
    assert plain["claims"][0]["quote"] == bank.claims[0].quote
    assert len(plain["claims"]) == len(bank.claims)


@pytest.mark.parametrize(
    ("old", "new", "shown"),
    [
        ("翻译90%的技术文档。", "翻译90%的技术文档(SaaS)。", "(SaaS)"),
        ("翻译90%的技术文档。", "翻译90%的OpenAI,Google文档。", "OpenAI,Google"),
        ("翻译90%的技术文档。", "翻译90%的技术文档， 对吧。", "， "),
    ],
    ids=["brackets", "comma", "space"],
)
def test_chinese_typography_next_to_latin_words_is_flagged(tmp_path, old, new, shown):
    statement = "      zh: 对谈前一年,他们的系统已经能翻译90%的技术文档。\n"
    assert EXAMPLE.count(statement) == 1
    text = EXAMPLE.replace(statement, statement.replace(old, new))
    (problem,) = problems(tmp_path, text)
    line = line_of(text, new)
    assert problem.startswith(f"{tmp_path / 'bank.yaml'}:{line}: [wang-ninety]")
    assert "statement.zh: Chinese text keeps a half-width mark" in problem
    assert shown in problem
    assert "Hint: use （ ） and ，" in problem


@pytest.mark.parametrize(
    ("lang", "new", "what"),
    [
        (
            "zh",
            "据了解,他们的系统能翻译90%的技术文档。",
            "written as a report ('据了解')",
        ),
        (
            "zh",
            "今年他们的系统能翻译90%的技术文档。",
            "a time only the talk knows ('今年')",
        ),
        ("zh", "也能翻译90%的技术文档。", "continues something said before ('也')"),
        ("zh", "还包括90%的技术文档。", "continues something said before ('还')"),
        (
            "zh",
            "同意刘老师,系统能翻译90%的技术文档。",
            "agreement with someone ('同意')",
        ),
        ("zh", "我们的系统能翻译90%的技术文档,我试过。", "first person ('我')"),
        (
            "zh",
            "完全认同刘老师,系统能翻译90%的技术文档。",
            "agreement with someone ('完全认同')",
        ),
        ("zh", "是的,系统能翻译90%的技术文档。", "reply or lacks its subject ('是的')"),
        (
            "en",
            "Reportedly, their system translates 90% of documents.",
            "('Reportedly')",
        ),
        ("en", "Last year their system translated 90% of documents.", "('Last year')"),
        ("en", "Also, their system translates 90% of documents.", "('Also')"),
        ("en", "Agrees that the system translates 90% of documents.", "('Agrees')"),
        ("en", "I think the system translates 90% of documents.", "first person ('I')"),
        (
            "zh",
            "从经验看这一观点有道理:系统能翻译90%的技术文档。",
            "points at something the statement never names ('这一观点')",
        ),
        (
            "zh",
            "所以这三要素也可以说是系统、文档和90%的组合。",
            "never names ('这三要素')",
        ),
        (
            "en",
            "In the report, their system translates 90% of documents.",
            "never names ('the report')",
        ),
        (
            "en",
            "For 25 years the speaker has seen 90% of documents translated.",
            "never names ('the speaker')",
        ),
    ],
)
def test_statements_that_do_not_read_after_a_speaker_lead_are_refused(
    tmp_path, lang, new, what
):
    old = {
        "zh": "      zh: 对谈前一年,他们的系统已经能翻译90%的技术文档。\n",
        "en": "      en: A year before the panel, their system could already "
        "translate 90% of technical documents.\n",
    }[lang]
    assert EXAMPLE.count(old) == 1
    text = EXAMPLE.replace(old, f"      {lang}: {new}\n").replace(
        "    cloze: {zh: 90%, en: 90%}\n", ""
    )
    found = problems(tmp_path, text)
    assert all(
        p.startswith(
            f"{tmp_path / 'bank.yaml'}:{line_of(text, new)}: [wang-ninety] "
            f"claims[1].statement.{lang}: "
        )
        and "Hint: " in p
        for p in found
    ), found
    assert any(what in p for p in found), found


def test_statements_may_quote_a_speaker_in_the_first_person(tmp_path):
    old = "      zh: 对谈前一年,他们的系统已经能翻译90%的技术文档。\n"
    new = "      zh: 王老师说过“我们的系统能翻译90%的技术文档”。\n"
    load_bank(write_bank(tmp_path, EXAMPLE.replace(old, new)))


@pytest.mark.parametrize(
    ("lang", "stem", "what"),
    [
        (
            "zh",
            "对方认为机器翻译多少年内会取代笔译?",
            "points at a quote the student does not have ('对方')",
        ),
        ("zh", "按照这一观点,机器多少年内会取代笔译?", "('这一观点')"),
        ("zh", "哪些工作被认为多少年内会被机器取代?", "('被认为')"),
        ("zh", "机器翻译应该在多少年内取代笔译?", "asks a view ('应该')"),
        (
            "en",
            "On this view, within how many years will machines translate?",
            "('On this view')",
        ),
        (
            "en",
            "Within how many years does the speaker expect machines to win?",
            "('the speaker')",
        ),
        (
            "en",
            "Within how many years should machines replace translators?",
            "asks a view ('should')",
        ),
        ("en", "Within how many years does he expect machines to win?", "('he')"),
        (
            "en",
            "Within how many years is a machine takeover predicted?",
            "('predicted')",
        ),
        ("zh", "机器被说成多少年内会取代笔译?", "asks a view ('被说成')"),
        (
            "en",
            "Within how many years does the response expect Prof. Wang's machines "
            "to win?",
            "('the response')",
        ),
        (
            "en",
            "Within how many years will Wangara machines replace most translation?",
            "names no speaker and no occasion",
        ),
        ("zh", "王老师说,这三要素中的机器多少年内取代笔译?", "('这三要素')"),
        ("zh", "王老师说,按这一说法机器多少年内取代笔译?", "('这一说法')"),
        (
            "en",
            "Among the report's forecasts, within how many years will Prof. Wang's "
            "machines win?",
            "('the report')",
        ),
        (
            "en",
            "Which forecast of Prof. Liu is disputed?",
            "('is disputed')",
        ),
        (
            "zh",
            "机器翻译多少年内会取代大部分笔译工作?",
            "names no speaker and no occasion",
        ),
        (
            "en",
            "Within how many years will machines replace most written translation?",
            "names no speaker and no occasion",
        ),
        (
            "zh",
            "王老师说,怎样机器翻译就能取代大部分笔译工作?",
            "opens on a modifier with no subject to attach to ('怎样机器翻译就')",
        ),
        (
            "en",
            "Likening machine translation to a race, who is ahead in Prof. Wang's "
            "forecast?",
            "opens on a modifier with no subject to attach to",
        ),
    ],
)
def test_fact_stems_that_lean_on_the_quote_are_refused(tmp_path, lang, stem, what):
    old = {
        "zh": '"王老师认为机器翻译多少年内会取代大部分笔译工作?"',
        "en": "\"Within how many years, in Prof. Wang's view, will machines replace "
        'most written translation?"',
    }[lang]
    assert EXAMPLE.count(old) == 1
    text = EXAMPLE.replace(old, f'"{stem}"')
    found = problems(tmp_path, text)
    assert found, stem
    assert all(
        p.startswith(
            f"{tmp_path / 'bank.yaml'}:{line_of(text, stem)}: [wang-replace] "
            f"claims[0].facts[0].question.{lang}: "
        )
        and "Hint: " in p
        for p in found
    ), found
    assert any(what in p for p in found), found


def test_fact_stems_that_name_the_speaker_or_occasion_pass(tmp_path):
    old = '"王老师认为机器翻译多少年内会取代大部分笔译工作?"'
    for stem in (
        "主持人开场时认为机器翻译多少年内会取代笔译?",
        "在对谈中,机器多少年内会取代笔译?",
        "王老师说,怎样才能让机器翻译取代笔译?",
        "针对“这三要素”,王老师认为机器多少年内会取代笔译?",
    ):
        load_bank(write_bank(tmp_path, EXAMPLE.replace(old, f'"{stem}"')))


def test_only_a_relayed_views_stems_may_name_just_the_person_relayed(tmp_path):
    """A stem naming Yann LeCun stands for the claim that relays him; the same
    name in another claim's stem does not say whose words the answer is."""
    relayed = EXAMPLE.replace(
        "    quote: 去年我们的系统已经能翻译90%的技术文档。\n    attribution: explicit\n",
        "    quote: 去年我们的系统已经能翻译90%的技术文档。\n    attribution: explicit\n"
        "    reported: {who: {zh: 杨立昆, en: Yann LeCun}}\n",
    )
    assert relayed != EXAMPLE
    old = '"王老师认为机器翻译多少年内会取代大部分笔译工作?"'
    text = relayed.replace(old, '"杨立昆认为机器翻译多少年内会取代大部分笔译工作?"')
    found = problems(tmp_path, text)
    assert any(
        "[wang-replace] claims[0].facts[0].question.zh: asks a view ('认为')" in p
        for p in found
    ), found
    own = EXAMPLE.replace(
        "    attribution: explicit\n    contradicts: [liu-literature, liu-puns]\n",
        "    attribution: explicit\n    reported: {who: {zh: 杨立昆, en: Yann LeCun}}\n"
        "    contradicts: [liu-literature, liu-puns]\n",
    ).replace(old, '"杨立昆认为机器翻译多少年内会取代大部分笔译工作?"')
    assert "杨立昆认为机器翻译" in own
    assert "reported: {who: {zh: 杨立昆" in own
    load_bank(write_bank(tmp_path, own))  # the relaying claim may name him alone


def _with_cloze(zh_statement: str, cloze: str, accept: str = "") -> str:
    old_statement = "      zh: 对谈前一年,他们的系统已经能翻译90%的技术文档。\n"
    old_cloze = "    cloze: {zh: 90%, en: 90%}\n"
    assert EXAMPLE.count(old_statement) == 1
    assert EXAMPLE.count(old_cloze) == 1
    return EXAMPLE.replace(old_statement, f"      zh: {zh_statement}\n").replace(
        old_cloze, f"    cloze: {cloze}\n{accept}"
    )


def test_cloze_variants_are_read_per_language(tmp_path):
    text = _with_cloze(
        "他们的系统能翻译大量资金投入的技术文档。",
        "{zh: 大量资金, en: 90%}",
        "    cloze_accept: {zh: [大量的资金, 很多资金]}\n",
    )
    claim = load_bank(write_bank(tmp_path, text)).claim("wang-ninety")
    assert claim.cloze_variants("zh") == ("大量的资金", "很多资金")
    assert claim.cloze_variants("en") == ()


@pytest.mark.parametrize(
    ("statement", "cloze", "accept", "what"),
    [
        (
            "他们的系统能翻译大量资金投入的文档。",
            "{zh: 大量资金, en: 90%}",
            "    cloze_accept: {zh: ['大量资金。']}\n",
            "'大量资金。' is the same answer as '大量资金'",
        ),
        (
            "他们的系统能翻译90%的文档,90%的句子。",
            "{zh: 90%, en: 90%}",
            "",
            "the cloze term '90%' occurs 2 times",
        ),
        (
            "他们的系统能翻译想象力,靠的是想象。",
            "{zh: 想象力, en: 90%}",
            "",
            "hints the cloze term '想象力' ('想象')",
        ),
        (
            "他们的系统能翻译90%的文档。",
            "{zh: 90%, en: '90'}",
            "    cloze_accept: {en: ['90']}\n",
            "'90' is the same answer as '90'",
        ),
    ],
    ids=["variant-is-the-term", "term-twice", "term-hinted", "variant-repeats"],
)
def test_cloze_terms_and_variants_that_cannot_mark_fairly_are_refused(
    tmp_path, statement, cloze, accept, what
):
    text = _with_cloze(statement, cloze, accept)
    found = problems(tmp_path, text)
    assert any(what in p and "[wang-ninety]" in p for p in found), found


def test_an_english_cloze_term_counts_only_as_a_whole_word(tmp_path):
    old = (
        "      en: A year before the panel, their system could already "
        "translate 90% of technical documents.\n"
    )
    new = "      en: Often their system could translate ten of every hundred pages.\n"
    text = EXAMPLE.replace(old, new).replace(
        "    cloze: {zh: 90%, en: 90%}\n", "    cloze: {zh: 90%, en: ten}\n"
    )
    load_bank(write_bank(tmp_path, text))  # "ten" is not counted in "often"
    text = text.replace("translate ten of", "translate all of")
    (problem,) = problems(tmp_path, text)
    assert "cloze.en: 'ten' does not occur in statement.en" in problem


_FACT = """        answer: {zh: 十年, en: ten years}
        wrong:
          - {zh: 五年, en: five years}
          - {zh: 二十年, en: twenty years}
          - {zh: 五十年, en: fifty years}
"""


@pytest.mark.parametrize(
    ("answer", "wrong", "what"),
    [
        (
            "{zh: 十年, en: a translation decade}",
            ["half a decade", "two decades", "five decades"],
            "only the answer repeats a word of the question ('translation')",
        ),
        (
            "{zh: 十年, en: ten years at the very least, maybe a little longer}",
            ["five years", "twenty years", "fifty years"],
            "the answer is much longer than every wrong option",
        ),
        (
            "{zh: 十年, en: a little over ten years}",
            ["five or six years", "twenty-five years", "about fifty years"],
            "the answer is much longer than every wrong option (width 23",
        ),
        (
            "{zh: 十年, en: ten years}",
            ["only for open models", "only for closed models", "fifty years"],
            "two wrong options are nearly the same",
        ),
        (
            "{zh: 十年, en: it may be ten years}",
            ["five years", "twenty years", "fifty years"],
            "only the answer is hedged ('may')",
        ),
    ],
    ids=[
        "key-echoes-stem",
        "key-longest",
        "key-a-third-longer",
        "mirror-distractors",
        "only-key-hedged",
    ],
)
def test_distractor_habits_that_give_the_key_away_are_flagged(
    tmp_path, answer, wrong, what
):
    assert EXAMPLE.count(_FACT) == 1
    options = "".join(
        f"          - {{zh: {zh}, en: {en}}}\n"
        for zh, en in zip(["五年", "二十年", "五十年"], wrong, strict=True)
    )
    text = EXAMPLE.replace(
        _FACT, f"        answer: {answer}\n        wrong:\n{options}"
    )
    found = problems(tmp_path, text)
    assert any(what in p and "facts[0].en" in p and "Hint: " in p for p in found), found


def test_numbers_that_differ_are_not_near_equal_options(tmp_path):
    text = EXAMPLE.replace(
        _FACT,
        _FACT.replace("five years", "30 years").replace("twenty years", "40 years"),
    )
    load_bank(write_bank(tmp_path, text))


@pytest.mark.parametrize(
    ("ids", "what"),
    [
        ("[liu-literatur]", "unknown claim 'liu-literatur'"),
        ("[wang-ninety]", "'wang-ninety' is by the same speaker 'wang'"),
        ("[wang-replace]", "names the claim itself"),
    ],
)
def test_contradicts_names_other_speakers_claims(tmp_path, ids, what):
    old = "    contradicts: [liu-literature, liu-puns]\n"
    assert EXAMPLE.count(old) == 1
    (problem,) = problems(tmp_path, EXAMPLE.replace(old, f"    contradicts: {ids}\n"))
    assert "[wang-replace] claims[0].contradicts: " in problem
    assert what in problem


def test_contradicts_refuses_a_view_the_speaker_shares_or_concedes(tmp_path):
    # liu-puns is recorded as a view Wang shares: it cannot also be his opposite
    old = "    quote: 诗歌翻译里的双关,机器几乎总是译错。\n    attribution: explicit\n"
    assert EXAMPLE.count(old) == 1
    text = EXAMPLE.replace(old, old + "    shared_with: [wang]\n")
    (problem,) = problems(tmp_path, text)
    assert "[wang-replace] claims[0].contradicts: 'liu-puns' is shared with" in problem


_CONTINUED = "  我举个例子,诗歌翻译里的双关,机器几乎总是译错。\n"


@pytest.mark.parametrize(
    "opening",
    ["我想补充一点,", "我们刚才也讨论到,", "关于翻译,我想补充一点,", "但我也同意,"],
)
def test_an_unlabelled_paragraph_that_may_be_a_new_turn_is_not_explicit(
    tmp_path, opening
):
    source = (ROOT / "docs" / "example-source.txt").read_text(encoding="utf-8")
    assert source.count(_CONTINUED) == 1
    path = write_bank(tmp_path, EXAMPLE)
    (tmp_path / "example-source.txt").write_text(
        source.replace(_CONTINUED, _CONTINUED.replace("我举个例子,", opening)),
        encoding="utf-8",
    )
    with pytest.raises(BankError) as info:
        load_bank(path)
    (problem,) = [str(p) for p in info.value.problems]
    assert "[liu-puns] claims[3].attribution: 'explicit', but unlabelled paragraph" in (
        problem
    )
    assert "opens as another speaker might" in problem
    assert "'uncertain'" in problem
    judged = re.sub(
        r"(    quote: 诗歌翻译里的双关,机器几乎总是译错。\n)    attribution: explicit\n"
        r"    attribution_note: .*\n",
        r"\1    attribution: uncertain\n"
        r"    attribution_note: it may be another speaker adding a point\n",
        EXAMPLE,
    )
    assert judged != EXAMPLE
    path.write_text(judged, encoding="utf-8")
    bank = load_bank(path)
    assert bank.claim("liu-puns").attribution == Attribution.UNCERTAIN


def test_an_uncertain_claims_fact_stem_may_not_name_the_speaker(tmp_path):
    text = EXAMPLE.replace(
        "    quote: 我认为机器翻译十年内会取代大部分笔译工作。\n    attribution: explicit\n",
        "    quote: 我认为机器翻译十年内会取代大部分笔译工作。\n    attribution: uncertain\n"
        "    attribution_note: for the test\n",
    )
    found = problems(tmp_path, text)
    assert any(
        "facts[0].question.zh: names '王老师', but the attribution is uncertain" in p
        for p in found
    ), found


def test_a_quote_is_found_whatever_its_marks_width_and_case_and_keeps_the_texts_words(
    tmp_path,
):
    """A pasted quote with a full-width comma where the text has an ASCII one
    is found; the claim holds the text's own words, as questions show them."""
    typed = "文学翻译需要创造力，机器至少二十年内做不到。"
    text = EXAMPLE.replace(
        "quote: 文学翻译需要创造力,机器至少二十年内做不到。", f"quote: {typed}"
    )
    assert typed in text
    bank = load_bank(write_bank(tmp_path, text))
    claim = next(c for c in bank.claims if c.id == "liu-literature")
    assert claim.quote == "文学翻译需要创造力,机器至少二十年内做不到。"
    assert claim.paragraph == 4


def test_a_quote_across_two_paragraphs_says_so(tmp_path):
    text = EXAMPLE.replace(
        "quote: 诗歌翻译里的双关,机器几乎总是译错。",
        "quote: 机器至少二十年内做不到。我举个例子,诗歌翻译",
    )
    (problem,) = problems(tmp_path, text)
    assert problem.endswith(
        "[liu-puns] claims[3].quote: runs across paragraphs 4 and 5 "
        "Hint: a quote lies inside one paragraph: quote the part in one of them."
    )


def test_check_reads_banks_the_same_with_libyaml_and_pure_python(tmp_path, monkeypatch):
    """PyYAML's own scanner refused `{zh: 什么?, en: what?}`, which libyaml
    reads: the same bank was valid on one machine and not another. Every
    bundled bank, the example and such texts give the same result either way."""
    from click.testing import CliRunner

    from quizgen.bank import yaml_tree
    from quizgen.cli import main
    from quizgen.resources import bundled_banks

    from conftest import require

    require("libyaml" in yaml_tree.TREE_LOADERS, "PyYAML was built without libyaml")
    tricky = EXAMPLE.replace(
        "name: {zh: 外语学习, en: Learning languages}",
        "name: {zh: 还要学外语吗?, en: Learn languages? Yes}",
    )
    assert tricky != EXAMPLE
    broken = EXAMPLE.replace("en: ten years}", "en: ten years")
    banks = [*bundled_banks(), EXAMPLE_BANK]
    for name, text in (("tricky", tricky), ("broken", broken)):
        (tmp_path / name).mkdir()
        banks.append(write_bank(tmp_path / name, text))
    outputs = {}
    for build, loader in yaml_tree.TREE_LOADERS.items():
        monkeypatch.setattr(yaml_tree, "_Loader", loader)
        runs = [CliRunner().invoke(main, ["check", str(p)]) for p in banks]
        # the two parsers word a syntax error their own way; where it is is the same
        outputs[build] = [
            (
                r.exit_code,
                re.sub(
                    r"YAML syntax error: .*? Hint", "YAML syntax error Hint", r.output
                ),
            )
            for r in runs
        ]
    assert outputs["python"] == outputs["libyaml"]
    assert "broken/bank.yaml:43: YAML syntax error" in outputs["python"][-1][1]
    codes = [code for code, _ in outputs["python"]]
    assert codes == [0] * (len(banks) - 1) + [1]
    assert "Learn languages? Yes" in load_bank(banks[-2]).topics[1].name.en
