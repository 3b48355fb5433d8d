"""Turn a Bank and the teacher's choices into quizzes.

`generate(bank, choices)` returns one Quiz per version. Selection depends on
the seed only; each version shuffles question order and option order with its
own random stream, so versions differ and each carries its own key. The
language changes only the words: a zh and an en build of the same choices
hold the same questions with the same options in the same places.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

import jinja2

from quizgen.bank import Attribution, Bank, Claim, Debate, SpeakerKind, Text
from quizgen.errors import ChoiceError
from quizgen.i18n import t
from quizgen.quiz import FORMS, Form, Kind, Question, Quiz, SidePosition, SourceRef
from quizgen.resources import data_dir
from quizgen.rules import options_comparable, zh_punctuation
from quizgen.source import compact

__all__ = [
    "KIND_SHORT_NAMES",
    "Choices",
    "available",
    "available_counts",
    "generate",
    "options_comparable",
    "parse_kinds",
    "quality_problems",
    "split_list",
]

LANGS = ("zh", "en")
BLANK = "______"


@dataclass(frozen=True, kw_only=True)
class Choices:
    """What the teacher asked for.

    `kinds` holds (kind, form) pairs; empty means every kind and form.
    `topics` and `difficulty` empty mean all. `count` None means every
    question the other choices allow.
    """

    lang: str = "zh"
    topics: tuple[str, ...] = ()
    kinds: tuple[tuple[Kind, Form], ...] = ()
    difficulty: tuple[int, ...] = ()
    count: int | None = None
    seed: int = 0
    versions: int = 1
    allow_fewer: bool = False
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()


_INPUT_METHOD_MARKS = str.maketrans({"\uff0c": ",", "\u3001": ",", "\uff1a": ":"})


def split_list(values: Iterable[str]) -> tuple[str, ...]:
    """The items of comma-separated command-line values, stripped, none empty.

    A Chinese input method's ， and 、 count as commas and ： as a colon.
    """
    return tuple(
        item.strip()
        for raw in values
        for item in raw.translate(_INPUT_METHOD_MARKS).split(",")
        if item.strip()
    )


#: the short names `quizgen info` heads its columns with
KIND_SHORT_NAMES: dict[str, tuple[Kind, Form]] = {
    "fact": (Kind.MULTIPLE_CHOICE, Form.FACT),
    "who": (Kind.MULTIPLE_CHOICE, Form.ATTRIBUTION),
    "stance": (Kind.MULTIPLE_CHOICE, Form.STANCE),
    "tf": (Kind.TRUE_FALSE, Form.STATEMENT),
    "disc": (Kind.DISCUSSION, Form.DEBATE),
}


def parse_kinds(spec: Iterable[str]) -> tuple[tuple[Kind, Form], ...]:
    """Read `multiple_choice`, `multiple_choice:stance`, `cloze`, `tf`, ... into (kind, form) pairs.

    Takes a kind, kind:form, or a short name of KIND_SHORT_NAMES; a Chinese
    input method's ， 、 and ： count as , and :. Raises ChoiceError naming
    every bad entry.
    """
    out: list[tuple[Kind, Form]] = []
    bad: list[str] = []
    for item in split_list(spec):
        if item in KIND_SHORT_NAMES:
            if KIND_SHORT_NAMES[item] not in out:
                out.append(KIND_SHORT_NAMES[item])
            continue
        kind_name, _, form_name = item.partition(":")
        if kind_name in KIND_SHORT_NAMES:
            bad.append(
                t(
                    f"'{kind_name}' is a kind and form already: write it alone",
                    f"'{kind_name}' 已含题型和形式：请单独写",
                )
            )
            continue
        try:
            kind = Kind(kind_name)
        except ValueError:
            bad.append(
                t(
                    f"unknown kind '{kind_name}'",
                    f"未知的题型 '{kind_name}'",
                )
            )
            continue
        forms = FORMS[kind]
        if form_name:
            form = next((f for f in forms if f == form_name), None)
            if form is None:
                bad.append(
                    t(
                        f"'{kind}' has no form '{form_name}' (its forms: {', '.join(forms)})",
                        f"'{kind}' 没有 '{form_name}' 这种形式（它的形式：{'、'.join(forms)}）",
                    )
                )
                continue
            forms = (form,)
        out.extend((kind, f) for f in forms if (kind, f) not in out)
    if bad:
        names = [*Kind, *KIND_SHORT_NAMES]
        raise ChoiceError(
            t(
                f"{'; '.join(bad)}. Kinds: {', '.join(names)}, or kind:form.",
                f"{'；'.join(bad)}。可选题型：{'、'.join(names)}，或 kind:form。",
            )
        )
    return tuple(out)


# --------------------------------------------------------------------------- quality rules


def _contains(prompt: str, answer: str) -> bool:
    needle = compact(answer).lower()
    return len(needle) > 1 and needle in compact(prompt).lower()


def quality_problems(quiz: Quiz) -> list[str]:
    """Every broken quality rule in a quiz, as 'question id: what'; [] when all hold."""
    problems = []
    four = [q for q in quiz.questions if q.kind == Kind.MULTIPLE_CHOICE]
    limit = math.ceil(len(four) / 4) + 1
    counts = defaultdict(int)
    for q in four:
        counts[q.answer] += 1
    for position, n in counts.items():
        if n > limit:
            problems.append(
                f"quiz: option {position} is right {n} times (limit {limit})"
            )
    for q in quiz.questions:
        if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
            if not isinstance(q.answer, int) or not 0 <= q.answer < len(q.options):
                problems.append(f"{q.id}: answer {q.answer!r} is not an option index")
                continue
            if len({compact(o) for o in q.options}) != len(q.options):
                problems.append(f"{q.id}: duplicate options")
        if q.kind == Kind.MULTIPLE_CHOICE:
            if len(q.options) < 4:
                problems.append(f"{q.id}: {len(q.options)} options, fewer than 4")
            if not options_comparable(q.options):
                problems.append(f"{q.id}: option lengths differ too much")
            if _contains(q.prompt, q.options[q.answer]):  # type: ignore[index]
                problems.append(f"{q.id}: the prompt contains its answer")
        if q.kind == Kind.CLOZE and (not q.cloze or _contains(q.prompt, str(q.answer))):
            problems.append(f"{q.id}: the cloze prompt shows its answer")
        if q.kind == Kind.CLOZE and BLANK not in q.prompt:
            problems.append(f"{q.id}: the cloze prompt has no blank")
        if q.kind != Kind.DISCUSSION and (
            q.source.quote not in q.explanation
            or str(q.source.paragraph) not in q.explanation
        ):
            problems.append(f"{q.id}: the explanation lacks the quote or its paragraph")
    return problems


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True, kw_only=True)
class _Candidate:
    """A question that could be asked: enough to render it in any language."""

    id: str
    kind: Kind
    form: Form
    group: str  # claim or debate id: questions of one group are spread out
    topic: str
    difficulty: int
    claim: Claim | None = None
    debate: Debate | None = None
    fact: int = 0
    wrong_claims: tuple[Claim, ...] = ()
    wrong_speakers: tuple[str, ...] = ()
    fallback: tuple[int, ...] = ()  # wrong options known to be comparable


def _attribution_ok(bank: Bank, claim: Claim) -> bool:
    return (
        claim.attribution != Attribution.UNCERTAIN
        and claim.reported is None
        and not claim.shared_with
        and bank.speaker(claim.speaker).kind != SpeakerKind.AUDIENCE
    )


def _speaker_in(bank: Bank, claim: Claim, text: Text) -> bool:
    sp = bank.speaker(claim.speaker)
    names = (sp.name.zh, sp.name.en, *sp.aliases)
    return any(n and n.lower() in (text.zh + text.en).lower() for n in names)


def _cloze_leaks(bank: Bank, claim: Claim) -> bool:
    """True if the lead of a cloze prompt (the speaker's name) would show the term."""
    assert claim.cloze is not None
    speaker = bank.speaker(claim.speaker).name
    return any(_contains(speaker.get(lang), claim.cloze.get(lang)) for lang in LANGS)


def _opponents(bank: Bank, claim: Claim) -> list[Claim]:
    """Claims by the other side of the opposed two-sided debates this claim is in.

    Only debates the curator marked `opposed` (each side's claims contradict the
    other side's) count, and only with two sides: otherwise a "wrong" option
    could be a view the speaker also holds.
    """
    out: dict[str, Claim] = {}
    for debate in bank.debates:
        sides = debate.sides
        if not debate.opposed or len(sides) != 2:
            continue
        if not any(claim.id in s.claims and s.speaker == claim.speaker for s in sides):
            continue
        for side in sides:
            if side.speaker == claim.speaker:
                continue
            for cid in side.claims:
                other = bank.claim(cid)
                if (
                    other.topic == claim.topic
                    and other.reported is None
                    and claim.speaker not in other.shared_with
                    and other.speaker not in claim.shared_with
                ):
                    out.setdefault(cid, other)
    return list(out.values())


def _pick_comparable(
    right: Text, pool: list[Text], n: int, rng: random.Random
) -> list[int] | None:
    """Indices of n texts from pool that, with `right`, are comparable in both languages."""
    order = list(range(len(pool)))
    rng.shuffle(order)
    chosen: list[int] = []
    for i in order:
        trial = [right, *(pool[j] for j in chosen), pool[i]]
        if all(
            options_comparable(x.get(lang) for x in trial) for lang in LANGS
        ) and all(
            compact(pool[i].get(lang)) != compact(x.get(lang))
            for x in trial[:-1]
            for lang in LANGS
        ):
            chosen.append(i)
            if len(chosen) == n:
                return chosen
    return None


def _candidates(bank: Bank) -> list[_Candidate]:
    """Every question the bank can give, in bank order."""
    out: list[_Candidate] = []
    panel = [s.id for s in bank.speakers if s.kind != SpeakerKind.AUDIENCE]
    for claim in bank.claims:
        base = {
            "group": claim.id,
            "topic": claim.topic,
            "difficulty": claim.difficulty,
            "claim": claim,
        }
        for i, fact in enumerate(claim.facts):
            if all(
                options_comparable(
                    [fact.answer.get(lang), *(w.get(lang) for w in fact.wrong)]
                )
                for lang in LANGS
            ):
                suffix = "" if i == 0 else str(i + 1)
                out.append(
                    _Candidate(
                        id=f"{claim.id}.fact{suffix}",
                        kind=Kind.MULTIPLE_CHOICE,
                        form=Form.FACT,
                        fact=i,
                        **base,
                    )
                )
        if _attribution_ok(bank, claim) and not _speaker_in(
            bank, claim, claim.statement
        ):
            wrong = tuple(s for s in panel if s != claim.speaker)
            if len(wrong) >= 3:
                out.append(
                    _Candidate(
                        id=f"{claim.id}.attribution",
                        kind=Kind.MULTIPLE_CHOICE,
                        form=Form.ATTRIBUTION,
                        wrong_speakers=wrong,
                        **base,
                    )
                )
        if claim.reported is None and claim.attribution != Attribution.UNCERTAIN:
            opponents = _opponents(bank, claim)
            pool = [o.statement for o in opponents]
            fallback = _pick_comparable(claim.statement, pool, 3, random.Random(0))
            if fallback is not None:
                out.append(
                    _Candidate(
                        id=f"{claim.id}.stance",
                        kind=Kind.MULTIPLE_CHOICE,
                        form=Form.STANCE,
                        wrong_claims=tuple(opponents),
                        fallback=tuple(fallback),
                        **base,
                    )
                )
        if claim.false_statement is not None:
            out.append(
                _Candidate(
                    id=f"{claim.id}.tf",
                    kind=Kind.TRUE_FALSE,
                    form=Form.STATEMENT,
                    **base,
                )
            )
        if claim.cloze is not None and not _cloze_leaks(bank, claim):
            out.append(
                _Candidate(
                    id=f"{claim.id}.cloze", kind=Kind.CLOZE, form=Form.TERM, **base
                )
            )
    for debate in bank.debates:
        level = max(
            (bank.claim(c).difficulty for s in debate.sides for c in s.claims),
            default=2,
        )
        out.append(
            _Candidate(
                id=f"{debate.id}.discussion",
                kind=Kind.DISCUSSION,
                form=Form.DEBATE,
                group=debate.id,
                topic=debate.topic,
                difficulty=level,
                debate=debate,
            )
        )
    return out


_CANDIDATE_CACHE: dict[int, tuple[Bank, list[_Candidate]]] = {}


def _all_candidates(bank: Bank) -> list[_Candidate]:
    hit = _CANDIDATE_CACHE.get(id(bank))
    if hit is None or hit[0] is not bank:
        if len(_CANDIDATE_CACHE) > 8:
            _CANDIDATE_CACHE.clear()
        hit = (bank, _candidates(bank))
        _CANDIDATE_CACHE[id(bank)] = hit
    return hit[1]


def _check_choices(bank: Bank, choices: Choices) -> None:
    problems = []
    if choices.lang not in LANGS:
        problems.append(
            t(
                f"language '{choices.lang}' is not zh or en",
                f"语言 '{choices.lang}' 不是 zh 或 en",
            )
        )
    known = {tp.id for tp in bank.topics}
    for topic in choices.topics:
        if topic not in known:
            problems.append(
                t(
                    f"unknown topic '{topic}' (topics: {', '.join(sorted(known))})",
                    f"未知的主题 '{topic}'（可选：{'、'.join(sorted(known))}）",
                )
            )
    for level in choices.difficulty:
        if level not in (1, 2, 3):
            problems.append(
                t(
                    f"difficulty {level} is not 1, 2 or 3",
                    f"难度 {level} 不是 1、2 或 3",
                )
            )
    if choices.count is not None and choices.count < 1:
        problems.append(t("the count must be at least 1", "题目数量至少为 1"))
    if not 1 <= choices.versions <= 26:
        problems.append(
            t("versions must be between 1 and 26", "版本数必须在 1 到 26 之间")
        )
    if problems:
        raise ChoiceError("\n".join(problems))


def available(bank: Bank, choices: Choices) -> list[str]:
    """Ids of every question the choices allow (before `count`), in bank order."""
    _check_choices(bank, choices)
    kinds = set(choices.kinds)
    topics = set(choices.topics)
    levels = set(choices.difficulty)
    excluded = set(choices.exclude)
    return [
        c.id
        for c in _all_candidates(bank)
        if (not kinds or (c.kind, c.form) in kinds)
        and (not topics or c.topic in topics)
        and (not levels or c.difficulty in levels)
        and c.id not in excluded
    ]


def available_counts(
    bank: Bank, choices: Choices
) -> dict[str, dict[tuple[Kind, Form], int]]:
    """How many questions each topic can give, per (kind, form), under `choices`."""
    allowed = set(available(bank, choices))
    out: dict[str, dict[tuple[Kind, Form], int]] = {}
    for c in _all_candidates(bank):
        if c.id in allowed:
            row = out.setdefault(c.topic, {})
            row[(c.kind, c.form)] = row.get((c.kind, c.form), 0) + 1
    return out


def _select(bank: Bank, choices: Choices) -> list[_Candidate]:
    by_id = {c.id: c for c in _all_candidates(bank)}
    allowed = available(bank, choices)
    for qid in choices.include:
        if qid not in by_id:
            raise ChoiceError(
                t(f"no question '{qid}' in this bank", f"题库中没有题目 '{qid}'")
            )
    wanted = len(allowed) if choices.count is None else choices.count
    if wanted > len(allowed) and not choices.allow_fewer:
        raise ChoiceError(
            t(
                f"only {len(allowed)} question{' matches' if len(allowed) == 1 else 's match'} "
                f"these choices, but {wanted} {'was' if wanted == 1 else 'were'} asked for. "
                "Hint: widen the topics, kinds or difficulty, or allow fewer questions "
                "(--allow-fewer).",
                f"符合条件的题目只有 {len(allowed)} 道，但要求 {wanted} 道。"
                "提示：放宽主题、题型或难度，或允许题目少于所需数量(--allow-fewer)。",
            )
        )
    rng = random.Random(f"select:{choices.seed}")
    chosen = [by_id[q] for q in choices.include if q in by_id]
    taken = {c.id for c in chosen}
    groups: dict[str, list[_Candidate]] = defaultdict(list)
    for qid in allowed:
        if qid not in taken:
            groups[by_id[qid].group].append(by_id[qid])
    order = list(groups)
    rng.shuffle(order)
    for members in groups.values():
        rng.shuffle(members)
    # round-robin over groups: one question per claim before a second from any
    while len(chosen) < wanted and order:
        next_round = []
        for g in order:
            if len(chosen) >= wanted:
                break
            chosen.append(groups[g].pop())
            if groups[g]:
                next_round.append(g)
        order = next_round
    position = {qid: i for i, qid in enumerate(allowed)}
    return sorted(chosen, key=lambda c: position.get(c.id, -1))


# --------------------------------------------------------------------------- rendering


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates") / "questions")),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text; every exporter escapes for its own format
        keep_trailing_newline=False,
    )


def _render(lang: str, name: str, **values: object) -> str:
    return _env().get_template(f"{lang}/{name}.j2").render(**values).strip()


@dataclass(frozen=True, kw_only=True)
class _Layout:
    """One version's random decisions, shared by every language."""

    order: tuple[int, ...]
    positions: dict[str, int]  # question id -> index of the right option
    wrong_order: dict[str, tuple[int, ...]]  # question id -> order of the wrong options
    truth: dict[str, bool]  # true/false: show the true statement?


def _truths(chosen: list[_Candidate], seed: int) -> dict[str, bool]:
    """True/false questions: whether each shows its true or its false statement.

    A coin per question (seed and id), the same in every version and whatever
    else is in the quiz, so removing or swapping a question never flips another.
    """
    return {
        c.id: random.Random(f"truth:{seed}:{c.id}").random() < 0.5
        for c in chosen
        if c.kind == Kind.TRUE_FALSE
    }


def _layout(
    chosen: list[_Candidate],
    seed: int,
    version: int,
    wrong_choice: dict[str, list[int]],
    truth: dict[str, bool],
) -> _Layout:
    rng = random.Random(f"version:{seed}:{version}")
    order = list(range(len(chosen)))
    rng.shuffle(order)
    mc = [chosen[i].id for i in order if chosen[i].kind == Kind.MULTIPLE_CHOICE]
    slots = [i % 4 for i in range(len(mc))]
    rng.shuffle(slots)
    positions = dict(zip(mc, slots, strict=True))
    tf_positions = {qid: (0 if shown else 1) for qid, shown in truth.items()}
    wrong_order = {}
    for c in chosen:
        if c.id in wrong_choice:
            idx = list(range(len(wrong_choice[c.id])))
            rng.shuffle(idx)
            wrong_order[c.id] = tuple(idx)
    return _Layout(
        order=tuple(order),
        positions={**positions, **tf_positions},
        wrong_order=wrong_order,
        truth=truth,
    )


def _wrong_choices(
    bank: Bank, chosen: list[_Candidate], seed: int
) -> dict[str, list[int]]:
    """For each multiple-choice question, which wrong options it uses (fixed across versions).

    Each question draws from its own stream (seed and id), so adding or
    removing other claims never changes a question's options.
    """
    out: dict[str, list[int]] = {}
    for c in chosen:
        rng = random.Random(f"options:{seed}:{c.id}")
        if c.form == Form.FACT:
            fact = c.claim.facts[c.fact]  # type: ignore[union-attr]
            picked = _pick_comparable(fact.answer, list(fact.wrong), 3, rng)
            out[c.id] = picked if picked is not None else [0, 1, 2]
        elif c.form == Form.ATTRIBUTION:
            out[c.id] = sorted(rng.sample(range(len(c.wrong_speakers)), 3))
        elif c.form == Form.STANCE:
            pool = [w.statement for w in c.wrong_claims]
            picked = _pick_comparable(c.claim.statement, pool, 3, rng)  # type: ignore[union-attr]
            out[c.id] = picked if picked is not None else list(c.fallback)
    return out


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
    return zh_punctuation(text) if lang == "zh" else text


def _inner_quotes(lang: str, text: str) -> str:
    """Text set inside “ ”: its own “ ” become ‘ ’ (Chinese)."""
    if lang != "zh":
        return text
    return text.replace("\u201c", "\u2018").replace("\u201d", "\u2019")


def _explanation(bank: Bank, claim: Claim, lang: str) -> str:
    return _render(
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
            lang,
            "attribution",
            statement=_inner_quotes(lang, _punct(lang, claim.statement.get(lang))),
        )
        return Question(prompt=prompt, options=options, answer=answer, **common)
    if c.form == Form.STANCE:
        picked_claims = [c.wrong_claims[i] for i in wrong_choice[c.id]]
        wrongs = [
            _punct(lang, picked_claims[i].statement.get(lang))
            for i in layout.wrong_order[c.id]
        ]
        options, answer = _arrange(
            _punct(lang, claim.statement.get(lang)), wrongs, position
        )
        prompt = _render(lang, "stance", topic=topic_name, speaker=name)
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
            lang,
            "true_false",
            speaker=named,
            reported=reported,
            statement=_punct(lang, shown.get(lang)),
        )
        labels = tuple(_render(lang, "labels").splitlines())
        return Question(
            prompt=prompt,
            options=labels,
            answer=0 if layout.truth[c.id] else 1,
            **common,
        )
    assert claim.cloze is not None
    raw, raw_term = claim.statement.get(lang), claim.cloze.get(lang)
    statement, term = _punct(lang, raw), _punct(lang, raw_term)
    if term not in statement:
        # the term cuts through a pair of marks: punctuate around it, not across it
        statement = term.join(_punct(lang, part) for part in raw.split(raw_term))
    before, _, after = statement.partition(term)
    blanked = statement.replace(term, BLANK)
    prompt = _render(lang, "cloze", speaker=named, reported=reported, blanked=blanked)
    return Question(prompt=prompt, answer=term, cloze=(before, term, after), **common)


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
            lang, "guiding", first=sides[0].speaker_name, second=sides[1].speaker_name
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


def generate(bank: Bank, choices: Choices) -> tuple[Quiz, ...]:
    """Build one Quiz per version from `bank` as `choices` ask.

    Same bank and choices give the same quizzes. Raises ChoiceError when the
    choices cannot be met (unless `allow_fewer`), naming what is short, or when
    a question would break a quality rule (quality_problems), naming it.
    """
    chosen = _select(bank, choices)
    wrong_choice = _wrong_choices(bank, chosen, choices.seed)
    truth = _truths(chosen, choices.seed)
    quizzes = []
    for version in range(1, choices.versions + 1):
        layout = _layout(chosen, choices.seed, version, wrong_choice, truth)
        questions = tuple(
            _question(bank, chosen[i], choices.lang, layout, wrong_choice)
            for i in layout.order
        )
        quizzes.append(
            Quiz(
                bank=bank.id,
                title=bank.title.get(choices.lang),
                source_title=bank.source_info.title.get(choices.lang),
                source_origin=_punct(
                    choices.lang, bank.source_info.origin.get(choices.lang)
                ),
                lang=choices.lang,
                seed=choices.seed,
                version=version,
                versions=choices.versions,
                questions=questions,
                modified=bank.modified,
            )
        )
        problems = quality_problems(quizzes[-1])
        if problems:
            raise ChoiceError(
                t(
                    f"{bank.path}: this bank gives a flawed question: "
                    f"{'; '.join(problems[:5])}. Hint: fix the claim in the bank, "
                    "or leave its question out.",
                    f"{bank.path}：此题库生成了有缺陷的题目：{'；'.join(problems[:5])}。"
                    "提示：修改题库中的该论断，或不选这道题。",
                )
            )
    return tuple(quizzes)


def with_lang(choices: Choices, lang: str) -> Choices:
    """The same choices in another language (for bilingual exports)."""
    return replace(choices, lang=lang)
