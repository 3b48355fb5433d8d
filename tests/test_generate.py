from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace

import pytest

from quizgen.bank import Attribution, Claim, Reported, Text, load_bank
from quizgen.errors import ChoiceError
from quizgen.generate import (
    Choices,
    available,
    drawable,
    generate,
    options_comparable,
    parse_kinds,
    quality_problems,
)
from quizgen.quiz import Form, Kind, quiz_to_json
from quizgen.rules import zh_punctuation

from conftest import EXAMPLE_BANK, SHIPPED_BANK

BANKS = {"example": EXAMPLE_BANK, "shipped": SHIPPED_BANK}


@pytest.fixture(scope="module", params=list(BANKS))
def bank(request):
    return load_bank(BANKS[request.param])


def test_same_inputs_give_identical_output(bank):
    choices = Choices(lang="zh", seed=7, versions=2)
    first = [quiz_to_json(q) for q in generate(bank, choices)]
    again = [quiz_to_json(q) for q in generate(load_bank(bank.path), choices)]
    assert first == again


def test_ids_stable_across_seeds_and_versions(bank):
    a = generate(bank, Choices(seed=1, versions=3, siblings=True))
    b = generate(bank, Choices(seed=2, siblings=True))
    ids = {q.id for q in a[0].questions}
    assert all({q.id for q in quiz.questions} == ids for quiz in a)
    assert {q.id for q in b[0].questions} == ids  # count None: every question


def test_versions_differ_in_order_and_keep_their_own_key(bank):
    a, b = generate(bank, Choices(seed=3, versions=2))
    assert [q.id for q in a.questions] != [q.id for q in b.questions]
    by_id = {q.id: q for q in a.questions}
    for q in b.questions:
        p = by_id[q.id]
        assert set(q.options) == set(p.options)
        assert q.right_option == p.right_option
    assert any(
        q.options != by_id[q.id].options
        for q in b.questions
        if q.kind == Kind.MULTIPLE_CHOICE
    )


def test_zh_and_en_line_up(bank):
    zh = generate(bank, Choices(lang="zh", seed=5))[0]
    en = generate(bank, Choices(lang="en", seed=5))[0]
    assert [q.id for q in zh.questions] == [q.id for q in en.questions]
    assert [q.answer for q in zh.questions if q.kind != Kind.CLOZE] == [
        q.answer for q in en.questions if q.kind != Kind.CLOZE
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_quality_rules_hold_for_seeds_0_to_99(bank, lang):
    for seed in range(100):
        count = min(20, drawable(bank, Choices(seed=seed)))
        for quiz in generate(
            bank, Choices(lang=lang, seed=seed, count=count, versions=2)
        ):
            assert quality_problems(quiz) == [], (seed, quiz.version)
            _check_rules(bank, quiz)


def _check_rules(bank, quiz):
    mc = [q for q in quiz.questions if q.kind == Kind.MULTIPLE_CHOICE]
    letters = Counter(q.answer for q in mc)
    assert max(letters.values(), default=0) <= math.ceil(len(mc) / 4) + 1
    for q in quiz.questions:
        if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
            assert len(set(q.options)) == len(q.options)
        if q.kind == Kind.MULTIPLE_CHOICE:
            assert len(q.options) >= 4
            assert options_comparable(q.options)
            assert q.right_option not in q.prompt
        assert q.source.quote in q.explanation or q.kind == Kind.DISCUSSION
        if q.kind != Kind.DISCUSSION:
            assert str(q.source.paragraph) in q.explanation
            assert q.source.speaker_name in q.explanation
            claim = bank.claim(q.claims[0])
            if claim.reported is not None:
                # a relayed view is never presented as the relayer's own
                assert q.form not in (Form.ATTRIBUTION, Form.STANCE)
                who = claim.reported.who.get(quiz.lang)
                assert (
                    zh_punctuation(who) if quiz.lang == "zh" else who
                ) in q.explanation
            if q.form == Form.ATTRIBUTION:
                assert claim.attribution != Attribution.UNCERTAIN
                assert not claim.shared_with


def test_attribution_options_are_speakers(example_bank):
    quiz = generate(
        example_bank,
        Choices(lang="en", kinds=parse_kinds(["multiple_choice:attribution"])),
    )[0]
    assert quiz.questions
    names = {s.name.en for s in example_bank.speakers}
    for q in quiz.questions:
        assert set(q.options) <= names
        assert q.right_option == example_bank.speaker(q.speaker).name.en


def test_true_false_shows_true_or_false_statement(example_bank):
    quiz = generate(
        example_bank, Choices(lang="en", kinds=parse_kinds(["true_false"]))
    )[0]
    for q in quiz.questions:
        claim = example_bank.claim(q.claims[0])
        shown = claim.statement.en if q.answer == 0 else claim.false_statement.en
        assert q.prompt.endswith(shown)
        assert q.options == ("True", "False")


def test_true_false_mixes_true_and_false(shipped_bank):
    for seed in range(5):
        quiz = generate(
            shipped_bank, Choices(kinds=parse_kinds(["true_false"]), seed=seed)
        )[0]
        share = sum(q.answer == 0 for q in quiz.questions) / len(quiz.questions)
        assert 0.35 < share < 0.65, (seed, share)


def test_true_false_stable_when_others_change(shipped_bank):
    full = generate(shipped_bank, Choices(kinds=parse_kinds(["true_false"]), seed=3))[0]
    ids = [q.id for q in full.questions]
    part = generate(
        shipped_bank,
        Choices(kinds=parse_kinds(["true_false"]), seed=3, exclude=tuple(ids[::2])),
    )[0]
    answers = {q.id: q.answer for q in full.questions}
    changed = sum(q.answer != answers[q.id] for q in part.questions)
    # only as many as the balance of the smaller paper needs
    assert changed <= len(part.questions) // 5


def test_cloze_blanks_the_term(example_bank):
    quiz = generate(example_bank, Choices(lang="zh", kinds=parse_kinds(["cloze"])))[0]
    for q in quiz.questions:
        assert q.answer not in q.prompt
        assert "______" in q.prompt
        assert q.anki_cloze.count("{{c1::") == 1
        statement = example_bank.claim(q.claims[0]).statement.zh
        assert "".join(q.cloze) == zh_punctuation(statement)


def test_discussion_has_sides_guiding_and_notes(example_bank):
    quiz = generate(
        example_bank, Choices(lang="en", kinds=parse_kinds(["discussion"]))
    )[0]
    (q,) = quiz.questions
    assert q.prompt == "Will machine translation replace human translators?"
    assert [s.speaker for s in q.sides] == ["wang", "liu"]
    assert q.sides[0].quote in (EXAMPLE_BANK.parent / "example-source.txt").read_text(
        encoding="utf-8"
    )
    assert 2 <= len(q.guiding) <= 3
    assert "Wang argues" in q.teacher_notes


def test_filters(example_bank):
    only = generate(example_bank, Choices(topics=("learning",)))[0]
    assert {q.topic for q in only.questions} == {"learning"}
    hard = generate(example_bank, Choices(difficulty=(2,), allow_fewer=True))[0]
    assert {q.difficulty for q in hard.questions} == {2}
    facts = generate(
        example_bank, Choices(kinds=parse_kinds(["multiple_choice:fact"]))
    )[0]
    assert {(q.kind, q.form) for q in facts.questions} == {
        (Kind.MULTIPLE_CHOICE, Form.FACT)
    }


def test_count_spreads_over_claims(example_bank):
    quiz = generate(example_bank, Choices(count=6, seed=4))[0]
    groups = Counter(q.id.split(".")[0] for q in quiz.questions)
    assert len(quiz.questions) == 6
    assert max(groups.values()) == 1  # 7 claims and debates: one question each first


def test_too_many_questions_is_refused_with_the_numbers(example_bank):
    n = drawable(example_bank, Choices(topics=("learning",)))
    assert n == 4  # four claims
    with pytest.raises(ChoiceError) as info:
        generate(example_bank, Choices(topics=("learning",), count=50))
    assert f"only {n} questions match these choices, but 50 were asked for" in str(
        info.value
    )
    assert "one question per claim" in str(info.value)
    n = len(available(example_bank, Choices(topics=("learning",))))
    with pytest.raises(ChoiceError) as info:
        generate(example_bank, Choices(topics=("learning",), count=50, siblings=True))
    assert f"only {n} questions match these choices, but 50 were asked for" in str(
        info.value
    )
    fewer = generate(
        example_bank,
        Choices(topics=("learning",), count=50, allow_fewer=True, siblings=True),
    )[0]
    assert len(fewer.questions) == n


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        (Choices(topics=("nope",)), "unknown topic 'nope'"),
        (Choices(lang="fr"), "language 'fr' is not zh or en"),
        (Choices(difficulty=(4,)), "difficulty 4 is not 1, 2 or 3"),
        (Choices(versions=0), "versions must be between 1 and 26"),
    ],
    ids=["topic", "lang", "difficulty", "versions"],
)
def test_bad_choices(example_bank, choices, message):
    with pytest.raises(ChoiceError, match=message):
        generate(example_bank, choices)


@pytest.mark.parametrize(
    ("spec", "message"),
    [(["mc"], "unknown kind 'mc'"), (["cloze:fact"], "'cloze' has no form 'fact'")],
    ids=["kind", "form"],
)
def test_bad_kinds(spec, message):
    with pytest.raises(ChoiceError, match=message):
        parse_kinds(spec)


def test_bad_kinds_are_all_named_at_once():
    with pytest.raises(ChoiceError) as info:
        parse_kinds(["multiple_choice:facts,foo", "cloze:x"])
    message = str(info.value)
    for part in (
        "'multiple_choice' has no form 'facts'",
        "unknown kind 'foo'",
        "'cloze' has no form 'x'",
    ):
        assert part in message
    assert "tf" in message  # the names to choose from


def test_parse_kinds_takes_the_short_names_info_shows():
    from quizgen.generate import KIND_SHORT_NAMES

    assert parse_kinds(["tf,who", "disc"]) == (
        (Kind.TRUE_FALSE, Form.STATEMENT),
        (Kind.MULTIPLE_CHOICE, Form.ATTRIBUTION),
        (Kind.DISCUSSION, Form.DEBATE),
    )
    for name, pair in KIND_SHORT_NAMES.items():
        assert parse_kinds([name]) == (pair,)
        assert parse_kinds([f"{pair[0]}:{pair[1]}"]) == (pair,)


def test_parse_kinds_forms():
    assert parse_kinds(["multiple_choice:stance,cloze"]) == (
        (Kind.MULTIPLE_CHOICE, Form.STANCE),
        (Kind.CLOZE, Form.TERM),
    )


def test_options_comparable():
    assert options_comparable(["张宏江", "薛澜", "李航", "周忠和"])
    assert options_comparable(["a" * 10, "b" * 25])
    assert not options_comparable(["a" * 10, "b" * 26])


def test_chinese_text_has_full_width_punctuation_and_quotes_stay_verbatim(shipped_bank):
    import re

    half = re.compile(r"[\u4e00-\u9fff][,:?;!]|[,:?;!][\u4e00-\u9fff]")
    quiz = generate(shipped_bank, Choices(lang="zh", seed=1))[0]
    for q in quiz.questions:
        texts = [q.prompt, *q.options, *(s.position for s in q.sides), *q.guiding]
        assert not any(half.search(t) for t in texts), q.id
        if q.kind != Kind.DISCUSSION:
            assert q.source.quote == shipped_bank.claim(q.claims[0]).quote
        assert q.source.quote in q.explanation or q.kind == Kind.DISCUSSION


def test_zh_punctuation_rule():
    assert zh_punctuation("判断正误:他认为,对吗?") == "判断正误：他认为，对吗？"
    assert zh_punctuation("GPT-4, Claude: ok?") == "GPT-4, Claude: ok?"


def test_cloze_term_cutting_through_a_pair_of_marks_still_blanks(tmp_path):
    """Punctuation turns ( ) and " " pairs full-width; a term that cuts through a
    pair must still be found in the statement and blanked."""
    import shutil

    from quizgen.bank import load_bank

    shutil.copy(EXAMPLE_BANK.parent / "example-source.txt", tmp_path)
    text = EXAMPLE_BANK.read_text(encoding="utf-8")
    for old, new in (
        (
            "      zh: 对谈前一年,他们的系统已经能翻译90%的技术文档。\n",
            "      zh: '对谈前一年,他们的系统(内部代号\"译星\")已经能翻译90%的技术文档,对吧'\n",
        ),
        (
            "    cloze: {zh: 90%, en: 90%}\n",
            "    cloze: {zh: '系统(内部代号', en: 90%}\n",
        ),
    ):
        assert text.count(old) == 1
        text = text.replace(old, new)
    (tmp_path / "bank.yaml").write_text(text, encoding="utf-8")
    (quiz,) = generate(
        load_bank(tmp_path / "bank.yaml"), Choices(lang="zh", siblings=True)
    )
    q = next(q for q in quiz.questions if q.id == "wang-ninety.cloze")
    before, term, after = q.cloze
    assert term == "系统(内部代号"
    assert "对谈前一年，他们的______" in q.prompt
    assert "\uff0c对吧" in after  # marks around the term are still made full-width
    assert before + term + after not in q.prompt


def test_options_do_not_depend_on_other_claims(tmp_path):
    import shutil

    from quizgen.bank import load_bank

    shutil.copy(EXAMPLE_BANK.parent / "example-source.txt", tmp_path)
    text = EXAMPLE_BANK.read_text(encoding="utf-8")
    window = "      en: A foreign language is a window on another culture that machines cannot replace.\n"
    fact = (
        "    facts:\n"
        "      - question: {zh: 刘老师说外语是什么的窗口?, en: What is a language a window on for Prof. Liu?}\n"
        "        answer: {zh: 另一种文化, en: another culture}\n"
        "        wrong:\n"
        "          - {zh: 技术文档, en: technical texts}\n"
        "          - {zh: 诗歌双关, en: poetic puns}\n"
        "          - {zh: 机器翻译, en: machine output}\n"
        "          - {zh: 背单词法, en: word lists}\n"
    )
    assert window in text
    (tmp_path / "full.yaml").write_text(
        text.replace(window, window + fact), encoding="utf-8"
    )
    learn = text[text.index("  - id: wang-learn") : text.index("  - id: liu-window")]
    (tmp_path / "fewer.yaml").write_text(
        text.replace(window, window + fact).replace(learn, ""), encoding="utf-8"
    )
    full_bank, fewer_bank = (
        load_bank(tmp_path / "full.yaml"),
        load_bank(tmp_path / "fewer.yaml"),
    )
    for seed in range(20):
        drill = Choices(seed=seed, siblings=True)
        full = {q.id: q for q in generate(full_bank, drill)[0].questions}
        fewer = {q.id: q for q in generate(fewer_bank, drill)[0].questions}
        assert set(fewer["liu-window.fact"].options) == set(
            full["liu-window.fact"].options
        ), seed


def test_a_flawed_question_stops_the_build(example_bank):
    from dataclasses import replace

    from quizgen.bank import Fact

    # a bank made in Python skips the checker: a wrong option equal to the answer
    claim = example_bank.claim("wang-replace")
    fact = claim.facts[0]
    bad = replace(claim, facts=(replace(fact, wrong=(fact.answer, *fact.wrong[1:])),))
    assert isinstance(bad.facts[0], Fact)
    bank = replace(
        example_bank,
        claims=tuple(bad if c is claim else c for c in example_bank.claims),
    )
    with pytest.raises(ChoiceError, match="wang-replace.fact: duplicate options"):
        generate(bank, Choices(lang="en", kinds=parse_kinds(["multiple_choice:fact"])))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_attribution_never_offers_a_speaker_the_statement_names(shipped_bank, lang):
    """A statement "Of the three points Li Hang raised…" with Li Hang as an option gives one
    option away: a speaker the statement names is never an option, and where too
    few speakers are left for a full set of options there is no question."""
    who = parse_kinds(["who"])
    (quiz,) = generate(shipped_bank, Choices(lang=lang, kinds=who, siblings=True))
    names = {s.name.get(lang) for s in shipped_bank.speakers}
    claims = {c.id: c for c in shipped_bank.claims}
    for q in quiz.questions:
        statement = claims[q.id.rsplit(".", 1)[0]].statement.get(lang)
        named = {n for n in names if n and n in statement} - {q.right_option}
        assert not named & set(q.options), (q.id, q.options)
        assert len(q.options) == 4
    ids = {q.id for q in quiz.questions}
    # the panel has four speakers besides the audience: naming one leaves two
    for claim in ("b_agi_dispute_emotion", "c_big_small_mostly_agree"):
        assert claims[claim].attribution != Attribution.UNCERTAIN
        assert f"{claim}.attribution" not in ids
    assert len(ids) > 100


def test_zh_attribution_stems_nest_quotes_single_inside_double(shipped_bank):
    who = parse_kinds(["who"])
    (quiz,) = generate(shipped_bank, Choices(lang="zh", kinds=who, siblings=True))
    stems = [q.prompt for q in quiz.questions if q.form == Form.ATTRIBUTION]
    assert len(stems) > 100
    nested = 0
    for stem in stems:
        inside = stem[stem.index("\u201c") + 1 : stem.rindex("\u201d")]
        assert "\u201c" not in inside, stem
        assert "\u201d" not in inside, stem
        nested += "\u2018" in inside
    assert nested > 0  # the bank has statements that quote a phrase


def _tracking_student_score(quizzes) -> float:
    """The share a student gets right who, on each question, picks the letter
    revealed least often so far (the letter an exact balance must give next)."""
    right = total = 0
    for quiz in quizzes:
        seen = Counter()
        for q in quiz.questions:
            if q.kind != Kind.MULTIPLE_CHOICE:
                continue
            guess = min(range(4), key=lambda x: (seen[x], x))
            right += guess == q.answer
            total += 1
            seen[q.answer] += 1
    return right / total


def test_answer_positions_give_nothing_away(shipped_bank):
    mc = parse_kinds(["multiple_choice"])
    quizzes = [
        quiz
        for seed in range(60)
        for quiz in generate(
            shipped_bank, Choices(kinds=mc, count=16, seed=seed, versions=2)
        )
    ]
    # chance is a quarter; an exact cycle lets this student score about 0.45
    assert _tracking_student_score(quizzes) < 0.32
    lasts = Counter(quiz.questions[-1].answer for quiz in quizzes)
    assert len(lasts) == 4
    for quiz in quizzes:
        letters = [q.answer for q in quiz.questions]
        assert max(Counter(letters).values()) <= 5
        assert all(
            not (a == b == c)
            for a, b, c in zip(letters, letters[1:], letters[2:], strict=False)
        )


def test_a_run_of_one_letter_is_a_quality_problem(example_bank):
    from dataclasses import replace

    quiz = generate(
        example_bank, Choices(kinds=parse_kinds(["multiple_choice:fact"]), count=1)
    )[0]
    q = quiz.questions[0]
    runs = replace(quiz, questions=(q, replace(q, id="b"), replace(q, id="c")))
    assert any("3 times in a row" in p for p in quality_problems(runs))


@pytest.mark.parametrize("count", [6, 11, 20])
def test_true_false_near_half_and_half_per_paper(shipped_bank, count):
    tf = parse_kinds(["true_false"])
    for seed in range(100):
        for quiz in generate(
            shipped_bank, Choices(kinds=tf, count=count, seed=seed, versions=2)
        ):
            shown_true = sum(q.answer == 0 for q in quiz.questions)
            assert abs(2 * shown_true - count) <= max(2, count // 5), (seed, count)


def _gives_away(q) -> list[str]:
    """Texts that tell q's answer when another question shows them."""
    if q.form in (Form.FACT, Form.STANCE):
        return [q.right_option]
    if q.kind == Kind.CLOZE:
        return list(q.accepted_answers)
    return []


def _shows(q) -> str:
    return "\n".join([q.prompt, *q.options])


def _squash(text: str) -> str:
    from quizgen.source import compact

    return compact(text).lower()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_question_per_claim_and_none_gives_another_away(shipped_bank, lang):
    for topic in [t.id for t in shipped_bank.topics]:
        for seed in range(5):
            (quiz,) = generate(
                shipped_bank, Choices(lang=lang, topics=(topic,), seed=seed)
            )
            groups = Counter(q.id.rsplit(".", 1)[0] for q in quiz.questions)
            assert max(groups.values()) == 1, (topic, seed)
            for q in quiz.questions:
                for other in quiz.questions:
                    if other is q:
                        continue
                    for key in _gives_away(other):
                        assert len(_squash(key)) <= 1 or _squash(key) not in _squash(
                            _shows(q)
                        ), (topic, seed, q.id, other.id, key)
                    if other.kind == Kind.TRUE_FALSE:
                        claim = shipped_bank.claim(other.claims[0])
                        true = claim.statement.get(lang)
                        shown = zh_punctuation(true) if lang == "zh" else true
                        assert _squash(shown) not in _squash(_shows(q))


def test_siblings_give_every_form_of_a_claim_for_a_drill(shipped_bank):
    drill = generate(shipped_bank, Choices(siblings=True))[0]
    assert len(drill.questions) == len(available(shipped_bank, Choices()))
    groups = Counter(q.id.rsplit(".", 1)[0] for q in drill.questions)
    assert max(groups.values()) >= 4
    quiz = generate(shipped_bank, Choices())[0]
    assert len(quiz.questions) == drawable(shipped_bank, Choices())
    assert len(quiz.questions) <= len(shipped_bank.claims) + len(shipped_bank.debates)


def test_chinese_learner_text_has_full_width_marks_next_to_latin_words(shipped_bank):
    from quizgen.bank.writing import zh_typography_flaws

    (quiz,) = generate(shipped_bank, Choices(lang="zh", siblings=True))
    texts = []
    for q in quiz.questions:
        texts += [q.prompt, *q.options, *q.guiding, q.teacher_notes]
        texts += [s.position for s in q.sides]
        texts.append(q.explanation.replace(q.source.quote, ""))
    flawed = [t for t in texts if zh_typography_flaws(t)]
    assert flawed == []


def test_generator_sets_chinese_marks_next_to_latin_words(example_bank):
    from dataclasses import replace

    from quizgen.bank import Text

    # a bank made in Python skips the checker: half-width marks by Latin words
    claim = example_bank.claim("wang-replace")
    zh = "机器翻译(MT)十年内会取代OpenAI,Google的大部分笔译工作。"
    odd = replace(claim, statement=Text(zh=zh, en=claim.statement.en))
    bank = replace(
        example_bank,
        claims=tuple(odd if c is claim else c for c in example_bank.claims),
    )
    (quiz,) = generate(bank, Choices(lang="zh", siblings=True))
    cloze = next(q for q in quiz.questions if q.id == "wang-replace.cloze")
    assert "机器翻译（MT）______年内会取代OpenAI，Google的" in cloze.prompt


def test_zh_learner_text_rule():
    from quizgen.rules import zh_learner_text

    assert zh_learner_text("软件即服务(SaaS)模式") == "软件即服务（SaaS）模式"
    assert zh_learner_text("包括OpenAI,Google和Meta") == "包括OpenAI，Google和Meta"
    assert zh_learner_text("见(P31-P36); 另见") == "见（P31-P36）；另见"
    assert zh_learner_text("共1,000人， 对") == "共1,000人，对"
    assert zh_learner_text("GPT-4, Claude: ok?") == "GPT-4, Claude: ok?"


def test_english_stance_stems_do_not_put_a_topic_name_mid_sentence(shipped_bank):
    stance = parse_kinds(["stance"])
    (quiz,) = generate(shipped_bank, Choices(lang="en", kinds=stance, siblings=True))
    assert quiz.questions
    for q in quiz.questions:
        assert q.prompt.startswith(f"{q.topic_name}: which statement matches"), q.prompt


def test_a_reported_view_gets_the_relaying_lead(shipped_bank):
    reported = {c.id for c in shipped_bank.claims if c.reported is not None}
    for lang, lead in (("zh", "提到，"), ("en", " relays: ")):
        (quiz,) = generate(shipped_bank, Choices(lang=lang, siblings=True))
        relayed = [
            q
            for q in quiz.questions
            if q.claims[0] in reported and q.kind in (Kind.TRUE_FALSE, Kind.CLOZE)
        ]
        assert relayed
        for q in relayed:
            assert f"{q.speaker_name}{lead}" in q.prompt, q.prompt
            assert "认为" not in q.prompt.split(lead)[0]


def test_review_sample_draws_every_form_in_both_languages(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    out = tmp_path / "review.md"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "sample_questions.py"), "-n", "30"]
        + ["--seed", "5", "-o", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "30 questions, 12 (language, form) pairs" in done.stdout
    text = out.read_text(encoding="utf-8")
    assert text.count("\n## ") == 30
    assert "seed 5" in text
    assert "(zh, cloze:term)" in text
    assert "(en, multiple_choice:stance)" in text
    rows = (tmp_path / "review.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 31


@pytest.mark.parametrize(
    ("lang", "qid", "shown", "right", "not_listed"),
    [
        ("zh", "a_sora_duration.cloze", "______秒", ["60", "六十", "60秒"], "一分钟"),
        (
            "en",
            "d_jobs_not_five_years.cloze",
            "______ years",
            ["five", "5", "5 years"],
            "the next five years",
        ),
        ("zh", "c_industry_google_90_ms_3.cloze", "______%", ["3", "三", "3%"], None),
        ("en", "c_industry_three_layers.cloze", "______ layers", ["three", "3"], None),
    ],
)
def test_a_number_with_its_unit_blanks_the_number_alone(
    shipped_bank, lang, qid, shown, right, not_listed
):
    """ "60秒" as a blank has answers the list cannot hold (60秒钟, 六十秒钟...):
    the blank asks for the number and the unit stays in the sentence."""
    from quizgen.answers import accepts

    cloze = parse_kinds(["cloze"])
    (quiz,) = generate(
        shipped_bank, Choices(lang=lang, kinds=cloze, siblings=True, open_blanks=True)
    )
    q = next(q for q in quiz.questions if q.id == qid)
    assert shown in q.prompt
    assert q.cloze[2].startswith(shown.removeprefix("______"))
    for typed in right:
        assert accepts(typed, q.accepted_answers), typed
    if not_listed:
        assert not_listed not in q.accepted_answers  # it does not fit the blank


def test_cloze_carries_the_banks_variants_and_blanks_one_whole_word(shipped_bank):
    from quizgen.answers import accepts

    cloze = parse_kinds(["cloze"])
    for lang, qid, typed in (
        ("zh", "d_industry_investment.cloze", "巨额资金"),
        ("en", "c_china_ai_index.cloze", "Stanford"),
    ):
        (quiz,) = generate(shipped_bank, Choices(lang=lang, kinds=cloze, siblings=True))
        q = next((q for q in quiz.questions if q.id == qid), None)
        assert q is not None, qid
        assert typed in q.accepted
        assert accepts(typed, q.accepted_answers)
        assert q.prompt.count("______") == 1
    # wordings the one rule accepts without a listed variant
    for lang, qid, typed in (
        ("zh", "d_industry_investment.cloze", "大量的资金"),
        ("en", "a_transformer_ac_dc.cloze", "battery"),
        ("en", "d_jobs_not_five_years.cloze", "5"),
        ("zh", "c_industry_three_layers.cloze", "3"),
    ):
        (quiz,) = generate(shipped_bank, Choices(lang=lang, kinds=cloze, siblings=True))
        q = next((q for q in quiz.questions if q.id == qid), None)
        assert q is not None, qid
        assert typed not in q.accepted
        assert accepts(typed, q.accepted_answers)
        assert typed in q.typed_answers
        assert q.prompt.count("______") == 1
    (quiz,) = generate(shipped_bank, Choices(lang="en", kinds=cloze, siblings=True))
    altman = next(q for q in quiz.questions if q.id == "d_scaling_altman_10y.cloze")
    assert "often" in altman.prompt  # "ten" is blanked as a word, not inside "often"
    assert "______ years ahead" in altman.prompt


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_stance_wrong_options_are_recorded_contradictions_and_a_distortion(bank, lang):
    stance = parse_kinds(["stance"])
    seen = 0
    for seed in range(20):
        (quiz,) = generate(
            bank, Choices(lang=lang, kinds=stance, seed=seed, siblings=True)
        )
        for q in quiz.questions:
            seen += 1
            claim = bank.claim(q.claims[0])
            wrong = [o for i, o in enumerate(q.options) if i != q.answer]
            fs = claim.false_statement.get(lang)
            others = [bank.claim(cid) for cid in q.claims[1:]]
            if len(others) == 3:
                # three real views of others, of at least two speakers: no
                # made-up option beside the key to pair it with
                assert (zh_punctuation(fs) if lang == "zh" else fs) not in wrong
                assert len({o.speaker for o in others}) >= 2
            else:
                # a distorted version of the speaker's own view, so the key is
                # not the only option of its kind
                assert (zh_punctuation(fs) if lang == "zh" else fs) in wrong
                assert len(others) == 2
            against = [
                o
                for o in others
                if o.id in claim.contradicts or claim.id in o.contradicts
            ]
            assert against, q.id  # at least one view that contradicts the key
            name = bank.speaker(claim.speaker).name.get(lang)
            for other in others:
                assert name not in other.statement.get(lang)  # no giveaway
                assert other.speaker != claim.speaker
                assert other.reported is None
                assert other.attribution != Attribution.UNCERTAIN
                assert claim.speaker not in other.shared_with
                if other not in against:
                    # a third speaker's view on the topic
                    assert other.topic == claim.topic
                    assert other.speaker not in {o.speaker for o in against}
    assert seen


def _with_third_speaker(bank, **extra):
    """The example bank with a view of a third panelist on the topic of
    wang-replace (Zhao is silent in the example text; the view is made up)."""
    zhao = Claim(
        id="zhao-readers",
        speaker="zhao",
        topic="future",
        quote="诗歌翻译里的双关,机器几乎总是译错。",
        paragraph=9,
        statement=Text(
            zh="机器翻译会让更多读者愿意去读外国文学。",
            en="Machine translation will lead more readers to foreign literature.",
        ),
        **{"attribution": Attribution.EXPLICIT, **extra},
    )
    return replace(bank, claims=(*bank.claims, zhao))


def _stance_wrongs(bank, qid):
    stance = parse_kinds(["stance"])
    out = []
    for seed in range(10):
        (quiz,) = generate(
            bank, Choices(lang="en", kinds=stance, seed=seed, siblings=True)
        )
        q = next(q for q in quiz.questions if q.id == qid)
        out.append(set(q.claims[1:]))
    return out


def test_stance_prefers_three_real_views_to_a_distortion_of_the_key(
    example_bank,
):
    bank = _with_third_speaker(example_bank)
    for wrongs in _stance_wrongs(bank, "wang-replace.stance"):
        # Liu's two contradicting views and Zhao's view: three real views of
        # two speakers, so the speaker's own view distorted is not needed
        assert wrongs == {"liu-literature", "liu-puns", "zhao-readers"}
    # without a third speaker: two contradicting views of one speaker would
    # agree with each other, so the false statement joins them
    for wrongs in _stance_wrongs(example_bank, "wang-replace.stance"):
        assert wrongs == {"liu-literature", "liu-puns"}


@pytest.mark.parametrize(
    "extra",
    [
        {"shared_with": ("wang",)},  # Wang makes the same point or agrees
        {"attribution": Attribution.UNCERTAIN},  # not surely Zhao's
        {"reported": Reported(who=Text(zh="某人", en="someone"))},  # not his own
    ],
)
def test_a_view_the_speaker_shares_is_never_a_third_speaker_option(example_bank, extra):
    bank = _with_third_speaker(example_bank, **extra)
    for wrongs in _stance_wrongs(bank, "wang-replace.stance"):
        assert wrongs == {"liu-literature", "liu-puns"}


def test_a_conceded_view_is_never_a_not_his_view_option(example_bank):
    # recorded as contradicting, but the bank says Wang shares liu-puns: only
    # the other contradicting view and a third speaker's view remain
    puns = replace(example_bank.claim("liu-puns"), shared_with=("wang",))
    claims = tuple(puns if c.id == "liu-puns" else c for c in example_bank.claims)
    bank = _with_third_speaker(replace(example_bank, claims=claims))
    for wrongs in _stance_wrongs(bank, "wang-replace.stance"):
        assert wrongs == {"liu-literature", "zhao-readers"}


def test_uncertain_and_reported_claims_give_no_attribution_or_stance_question(
    example_bank, shipped_bank
):
    uncertain = replace(
        example_bank.claim("wang-replace"), attribution=Attribution.UNCERTAIN
    )
    claims = tuple(
        uncertain if c.id == "wang-replace" else c for c in example_bank.claims
    )
    before = available(example_bank, Choices())
    ids = available(replace(example_bank, claims=claims), Choices())
    assert {"wang-replace.attribution", "wang-replace.stance"} <= set(before)
    assert "wang-replace.attribution" not in ids
    assert "wang-replace.stance" not in ids
    assert "wang-replace.tf" in ids
    shipped = set(available(shipped_bank, Choices()))
    judged = [c for c in shipped_bank.claims if c.attribution == Attribution.UNCERTAIN]
    assert judged
    for claim in judged + [c for c in shipped_bank.claims if c.reported]:
        assert f"{claim.id}.attribution" not in shipped
        assert f"{claim.id}.stance" not in shipped
