"""Building questions: a candidate rendered in one language with one layout."""

from __future__ import annotations

from functools import cache

import jinja2

from quizgen.answers import normalize_answer, unique_answers
from quizgen.bank import Attribution, Bank, Claim
from quizgen.bank.genre import genre_words, quote_marks
from quizgen.generate.candidates import _Candidate
from quizgen.generate.layout import _Layout
from quizgen.generate.quality import BLANK
from quizgen.quiz import Form, Kind, Question, SidePosition, SourceRef
from quizgen.resources import data_dir
from quizgen.rules import cloze_spans, number_and_unit, number_of, zh_learner_text


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates") / "questions")),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text; every exporter escapes for its own format
        keep_trailing_newline=False,
    )


def _render(bank: Bank, lang: str, name: str, **values: object) -> str:
    """Template `name` in `lang`, given the words of the bank's genre (occasion,
    verb, record) and the quote marks of its source's language (qo, qc)."""
    qo, qc = quote_marks(bank.source_info.language)
    words = genre_words(bank.source_info.genre, lang)
    return (
        _env()
        .get_template(f"{lang}/{name}.j2")
        .render(**words, qo=qo, qc=qc, **values)
        .strip()
    )


def _names(lang: str, names: list[str]) -> str:
    """The names as a choice: "A or B", "A, B or C"; Chinese joins them with the
    enumeration comma and "or" written in Chinese."""
    if lang == "zh":
        return "、".join(names[:-1]) + "还是" + names[-1]
    return ", ".join(names[:-1]) + " or " + names[-1]


def _source_ref(bank: Bank, claim: Claim, lang: str) -> SourceRef:
    return SourceRef(
        file=bank.source_info.file,
        paragraph=claim.paragraph,
        quote=claim.quote,
        speaker=claim.speaker,
        speaker_name=bank.speaker(claim.speaker).name.get(lang),
    )


def _punct(lang: str, text: str) -> str:
    """Full-width punctuation in Chinese learner text (never in quotes)."""
    return zh_learner_text(text) if lang == "zh" else text


def _inner_quotes(lang: str, text: str) -> str:
    """Text set inside “ ”: its own “ ” become ‘ ’."""
    return text.replace("\u201c", "\u2018").replace("\u201d", "\u2019")


def _explanation(bank: Bank, claim: Claim, lang: str) -> str:
    return _render(
        bank,
        lang,
        "explanation",
        statement=_punct(lang, claim.statement.get(lang)),
        reported=_punct(lang, claim.reported.who.get(lang)) if claim.reported else "",
        speaker=bank.speaker(claim.speaker).name.get(lang),
        paragraph=claim.paragraph,
        quote=claim.quote,
        attribution=str(claim.attribution),
        erratum=claim.erratum,
    )


def _tags(bank: Bank, c: _Candidate, speaker: str | None) -> tuple[str, ...]:
    tags = [
        f"topic::{c.topic}",
        f"kind::{c.kind}",
        f"form::{c.form}",
        f"difficulty::{c.difficulty}",
    ]
    if speaker:
        tags.append(f"speaker::{speaker}")
    if c.claim is not None:
        tags.extend(c.claim.tags)
    return tuple(tags)


def _arrange(
    right: str, wrongs: list[str], position: int
) -> tuple[tuple[str, ...], int]:
    options = list(wrongs)
    options.insert(position, right)
    return tuple(options), position


def _question(
    bank: Bank,
    c: _Candidate,
    lang: str,
    layout: _Layout,
    wrong_choice: dict[str, list[int]],
) -> Question:
    topic_name = bank.topic(c.topic).name.get(lang)
    if c.kind == Kind.DISCUSSION:
        return _discussion(bank, c, lang, topic_name)
    claim = c.claim
    assert claim is not None
    speaker = bank.speaker(claim.speaker)
    name = speaker.name.get(lang)
    reported = _punct(lang, claim.reported.who.get(lang)) if claim.reported else ""
    named = name if claim.attribution != Attribution.UNCERTAIN else ""
    common = {
        "id": c.id,
        "kind": c.kind,
        "form": c.form,
        "explanation": _explanation(bank, claim, lang),
        "topic": c.topic,
        "topic_name": topic_name,
        "speaker": claim.speaker,
        "speaker_name": name,
        "claims": (claim.id,),
        "source": _source_ref(bank, claim, lang),
        "difficulty": c.difficulty,
        "tags": _tags(bank, c, claim.speaker),
    }
    position = layout.positions.get(c.id, 0)
    if c.form == Form.FACT:
        fact = claim.facts[c.fact]
        picked = [_punct(lang, fact.wrong[i].get(lang)) for i in wrong_choice[c.id]]
        wrongs = [picked[i] for i in layout.wrong_order[c.id]]
        options, answer = _arrange(
            _punct(lang, fact.answer.get(lang)), wrongs, position
        )
        return Question(
            prompt=_punct(lang, fact.question.get(lang)),
            options=options,
            answer=answer,
            **common,
        )
    if c.form == Form.ATTRIBUTION:
        picked = [
            bank.speaker(c.wrong_speakers[i]).name.get(lang) for i in wrong_choice[c.id]
        ]
        wrongs = [picked[i] for i in layout.wrong_order[c.id]]
        options, answer = _arrange(name, wrongs, position)
        prompt = _render(
            bank,
            lang,
            "attribution",
            statement=_inner_quotes(lang, _punct(lang, claim.statement.get(lang))),
            # every speaker is an option: the prompt names them, in option order
            names=_names(lang, list(options)) if len(options) < 4 else "",
        )
        return Question(prompt=prompt, options=options, answer=answer, **common)
    if c.form == Form.STANCE:
        assert claim.false_statement is not None
        picked_claims = [c.wrong_claims[i] for i in wrong_choice[c.id] if i >= 0]
        texts = [
            claim.false_statement if i < 0 else c.wrong_claims[i].statement
            for i in wrong_choice[c.id]
        ]
        wrongs = [_punct(lang, texts[i].get(lang)) for i in layout.wrong_order[c.id]]
        options, answer = _arrange(
            _punct(lang, claim.statement.get(lang)), wrongs, position
        )
        prompt = _render(bank, lang, "stance", topic=topic_name, speaker=name)
        return Question(
            prompt=prompt,
            options=options,
            answer=answer,
            **{**common, "claims": (claim.id, *(w.id for w in picked_claims))},
        )
    if c.kind == Kind.TRUE_FALSE:
        assert claim.false_statement is not None
        shown = claim.statement if layout.truth[c.id] else claim.false_statement
        prompt = _render(
            bank,
            lang,
            "true_false",
            speaker=named,
            reported=reported,
            statement=_punct(lang, shown.get(lang)),
        )
        labels = tuple(_render(bank, lang, "labels").splitlines())
        return Question(
            prompt=prompt,
            options=labels,
            answer=0 if layout.truth[c.id] else 1,
            **common,
        )
    assert claim.cloze is not None
    raw, raw_term = claim.statement.get(lang), claim.cloze.get(lang)
    statement, term = _punct(lang, raw), _punct(lang, raw_term)
    spans = cloze_spans(statement, term)
    if spans:
        start, end = spans[0]
        before, after = statement[:start], statement[end:]
    else:
        # the term cuts through a pair of marks: punctuate around it, not across it
        start, end = cloze_spans(raw, raw_term)[0]
        before, after = _punct(lang, raw[:start]), _punct(lang, raw[end:])
    variants = [_punct(lang, v) for v in claim.cloze_variants(lang)]
    if (split := number_and_unit(term)) is not None:
        # a number with its unit: the blank asks for the number and the unit
        # stays after it; the number typed with its unit is right too (and
        # listed, so every format marks it), and a variant that does not fit
        # before the unit ("一分钟" for 60秒) goes
        whole = term
        term, unit = split
        after = unit + after
        fitting = [v for v in variants if number_of(v, unit) is not None]
        numbers = [number_of(v, unit) or v for v in fitting]
        variants = [
            v
            for v in unique_answers([*numbers, whole, *fitting])
            if normalize_answer(v) != normalize_answer(term)
        ]
    blanked = f"{before}{BLANK}{after}"
    prompt = _render(
        bank, lang, "cloze", speaker=named, reported=reported, blanked=blanked
    )
    accepted = tuple(variants)
    return Question(
        prompt=prompt,
        answer=term,
        cloze=(before, term, after),
        accepted=accepted,
        **common,
    )


def _discussion(bank: Bank, c: _Candidate, lang: str, topic_name: str) -> Question:
    debate = c.debate
    assert debate is not None
    sides = []
    for side in debate.sides:
        first = bank.claim(side.claims[0])
        sides.append(
            SidePosition(
                speaker=side.speaker,
                speaker_name=bank.speaker(side.speaker).name.get(lang),
                position=_punct(lang, side.position.get(lang)),
                quote=first.quote,
                paragraph=first.paragraph,
                claims=side.claims,
            )
        )
    guiding = tuple(_punct(lang, g.get(lang)) for g in debate.guiding) or tuple(
        _render(
            bank,
            lang,
            "guiding",
            first=sides[0].speaker_name,
            second=sides[1].speaker_name,
        ).splitlines()
    )
    first_claim = bank.claim(debate.sides[0].claims[0])
    return Question(
        id=c.id,
        kind=c.kind,
        form=c.form,
        prompt=_punct(lang, debate.question.get(lang)),
        answer=None,
        explanation=_punct(lang, debate.teacher_notes.get(lang)),
        topic=c.topic,
        topic_name=topic_name,
        speaker=None,
        speaker_name=None,
        claims=tuple(cid for s in debate.sides for cid in s.claims),
        source=_source_ref(bank, first_claim, lang),
        difficulty=c.difficulty,
        tags=_tags(bank, c, None),
        sides=tuple(sides),
        guiding=guiding,
        teacher_notes=_punct(lang, debate.teacher_notes.get(lang)),
    )
