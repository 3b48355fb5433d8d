"""Candidates: every question a bank can give, enough to render it in any language."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from quizgen.bank import Attribution, Bank, Claim, Debate, SpeakerKind, Text
from quizgen.generate.blanks import closed_blank
from quizgen.generate.choices import LANGS
from quizgen.generate.quality import _contains
from quizgen.quiz import Form, Kind
from quizgen.rules import options_comparable
from quizgen.source import compact

#: a "who said this?" question's wrong options, when the text has enough
#: speakers; with two or three it offers every speaker (two or three options)
ATTRIBUTION_WRONG = 3


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
    #: stance: the contradicting claims, then the third speakers' claims
    wrong_claims: tuple[Claim, ...] = ()
    #: stance: how many of wrong_claims contradict the claim (the rest are
    #: views of a third speaker on the same topic)
    opponents: int = 0
    wrong_speakers: tuple[str, ...] = ()
    fallback: tuple[int, ...] = ()  # wrong options known to be comparable
    #: cloze: the blank has more than one right wording (quizgen.generate.blanks)
    open_blank: bool = False
    #: per language (zh, en): everything the question shows (prompt and every
    #: option it may draw), compacted and lower-cased
    shown: tuple[str, str] = ("", "")
    #: per language: texts that give the answer away when another question shows them
    keys: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())

    def leaks_to(self, other: _Candidate) -> bool:
        """True if this question shows a text that gives away `other`'s answer."""
        return any(
            key in self.shown[i] for i in range(len(LANGS)) for key in other.keys[i]
        )


def _attribution_ok(bank: Bank, claim: Claim) -> bool:
    return (
        claim.attribution != Attribution.UNCERTAIN
        and claim.reported is None
        and not claim.shared_with
        and bank.speaker(claim.speaker).kind != SpeakerKind.AUDIENCE
    )


def _speaker_in(bank: Bank, claim: Claim, text: Text) -> bool:
    return _names_speaker(bank, claim.speaker, text)


def _names_speaker(bank: Bank, speaker: str, text: Text) -> bool:
    sp = bank.speaker(speaker)
    names = (sp.name.zh, sp.name.en, *sp.aliases)
    return any(n and n.lower() in (text.zh + text.en).lower() for n in names)


def _cloze_leaks(bank: Bank, claim: Claim) -> bool:
    """True if the lead of a cloze prompt (the speaker's name) would show the term."""
    assert claim.cloze is not None
    speaker = bank.speaker(claim.speaker).name
    return any(_contains(speaker.get(lang), claim.cloze.get(lang)) for lang in LANGS)


def _contradictions(bank: Bank) -> dict[str, list[str]]:
    """Claim id -> ids of the claims recorded as contradicting it, either way round."""
    out: dict[str, list[str]] = {}
    for claim in bank.claims:
        for other in claim.contradicts:
            out.setdefault(claim.id, []).append(other)
            out.setdefault(other, []).append(claim.id)
    return out


def _contradicting(
    bank: Bank, claim: Claim, contradictions: dict[str, list[str]]
) -> list[Claim]:
    """Claims of other speakers that the bank records as saying the opposite of
    `claim` (its `contradicts`, or theirs naming it): the only views safe to
    offer as "not this speaker's view". A view that names the speaker (“李航
    提出的三点…”) is left out: it gives itself away as someone else's."""
    out: dict[str, Claim] = {}
    for cid in contradictions.get(claim.id, ()):
        other = bank.claim(cid)
        if (
            other.speaker != claim.speaker
            and other.reported is None
            and claim.speaker not in other.shared_with
            and other.speaker not in claim.shared_with
            and not _speaker_in(bank, claim, other.statement)
        ):
            out.setdefault(other.id, other)
    return list(out.values())


def _third_views(
    bank: Bank,
    claim: Claim,
    opponents: list[Claim],
    contradictions: dict[str, list[str]],
) -> list[Claim]:
    """Views on the claim's topic that a panelist other than the claim's
    speaker gave and the speaker did not hold: not reported, not uncertain,
    not shared with the claim's speaker (`shared_with` records who makes the
    same point or agrees with it), not a contradiction of the claim (those are
    the other kind), and by a speaker who is not an opponent of this claim."""
    against = {o.speaker for o in opponents}
    recorded = set(contradictions.get(claim.id, ()))
    return [
        other
        for other in bank.claims
        if other.topic == claim.topic
        and other.speaker != claim.speaker
        and other.speaker not in against
        and bank.speaker(other.speaker).kind == SpeakerKind.PANELIST
        and other.reported is None
        and other.attribution != Attribution.UNCERTAIN
        and claim.speaker not in other.shared_with
        and other.speaker not in claim.shared_with
        and other.id not in recorded
        and not _speaker_in(bank, claim, other.statement)
    ]


def _stance_real_views(
    claim: Claim, wrong: list[Claim], opponents: int, rng: random.Random
) -> list[int] | None:
    """Indices into `wrong` for three wrong options that are all other
    panelists' real views (at least one contradicting view, at least two
    speakers, comparable in width), or None. Preferred to the speaker's own
    view distorted: a false statement differs from the key in one detail, so
    the two stand out as a pair, one of which must be the answer."""
    if opponents == 0:
        return None
    order = list(range(len(wrong)))
    rng.shuffle(order)
    for first in (i for i in order if i < opponents):
        rest = [i for i in order if i != first]
        for _ in range(4):  # a few draws: comparability depends on the mix
            picked = _pick_comparable(
                claim.statement,
                [wrong[i].statement for i in rest],
                2,
                rng,
                fixed=(wrong[first].statement,),
            )
            if picked is None:
                break
            chosen = [first, *(rest[i] for i in picked)]
            if len({wrong[i].speaker for i in chosen}) >= 2:
                return chosen
    return None


def _stance_options(
    claim: Claim, wrong: list[Claim], opponents: int, rng: random.Random
) -> list[int] | None:
    """Indices into `wrong` for a stance question's two wrong options beside
    the false statement: one contradicting view (index < opponents) and, where
    one is comparable, a third speaker's view; else a second contradicting
    view. None if no comparable choice exists."""
    assert claim.false_statement is not None
    texts = [w.statement for w in wrong]
    order = list(range(opponents))
    rng.shuffle(order)
    fallback: list[int] | None = None
    for first in order:
        fixed = (claim.false_statement, texts[first])
        thirds = [
            i
            for i in range(opponents, len(wrong))
            if wrong[i].speaker != wrong[first].speaker
        ]
        picked = _pick_comparable(
            claim.statement, [texts[i] for i in thirds], 1, rng, fixed=fixed
        )
        if picked is not None:
            return [first, thirds[picked[0]]]
        if fallback is None:
            others = [i for i in range(opponents) if i != first]
            picked = _pick_comparable(
                claim.statement, [texts[i] for i in others], 1, rng, fixed=fixed
            )
            if picked is not None:
                fallback = [first, others[picked[0]]]
    return fallback


def _pick_comparable(
    right: Text,
    pool: list[Text],
    n: int,
    rng: random.Random,
    fixed: tuple[Text, ...] = (),
) -> list[int] | None:
    """Indices of n texts from pool that, with `right` (and the `fixed` options),
    are comparable in both languages."""
    order = list(range(len(pool)))
    rng.shuffle(order)
    chosen: list[int] = []
    for i in order:
        trial = [right, *fixed, *(pool[j] for j in chosen), pool[i]]
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


def _squash(text: str) -> str:
    return compact(text).lower()


def _reveals(bank: Bank, c: _Candidate) -> _Candidate:
    """`c` with what it shows and what gives its answer away (see _Candidate)."""
    claim = c.claim
    shown: list[str] = []
    keys: list[tuple[str, ...]] = []
    for lang in LANGS:
        texts: list[str] = []
        answers: list[str] = []
        if c.debate is not None:
            texts = [c.debate.question.get(lang)]
        elif claim is not None and c.form == Form.FACT:
            fact = claim.facts[c.fact]
            texts = [fact.question.get(lang), fact.answer.get(lang)]
            texts += [w.get(lang) for w in fact.wrong]
            answers = [fact.answer.get(lang)]
        elif claim is not None and c.form == Form.ATTRIBUTION:
            texts = [claim.statement.get(lang)]
            texts += [
                bank.speaker(s).name.get(lang)
                for s in (claim.speaker, *c.wrong_speakers)
            ]
        elif claim is not None and c.form == Form.STANCE:
            assert claim.false_statement is not None
            texts = [claim.statement.get(lang), claim.false_statement.get(lang)]
            texts += [w.statement.get(lang) for w in c.wrong_claims]
            answers = [claim.statement.get(lang)]
        elif claim is not None and c.kind == Kind.TRUE_FALSE:
            assert claim.false_statement is not None
            texts = [claim.statement.get(lang), claim.false_statement.get(lang)]
            answers = [claim.statement.get(lang)]
        elif claim is not None and c.kind == Kind.CLOZE:
            assert claim.cloze is not None
            term = claim.cloze.get(lang)
            texts = [claim.statement.get(lang).replace(term, " ")]
            answers = [term, *claim.cloze_variants(lang)]
        if claim is not None and c.form != Form.FACT:
            # the lead names the speaker; a stance stem also names the topic
            texts += [bank.speaker(claim.speaker).name.get(lang)]
            texts += [bank.topic(claim.topic).name.get(lang)]
        shown.append("\n".join(_squash(x) for x in texts))
        keys.append(tuple(k for k in map(_squash, answers) if len(k) > 1))
    return replace(c, shown=(shown[0], shown[1]), keys=(keys[0], keys[1]))


def _candidates(bank: Bank) -> list[_Candidate]:
    """Every question the bank can give, in bank order."""
    return [_reveals(bank, c) for c in _bare_candidates(bank)]


def _bare_candidates(bank: Bank) -> list[_Candidate]:
    out: list[_Candidate] = []
    contradictions = _contradictions(bank)
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
            others = tuple(s for s in panel if s != claim.speaker)
            # a speaker the statement names ("Of the three points Li Hang
            # raised…") is no plausible answer, so never an option; where that
            # leaves fewer wrong options than the text's other questions have
            # (with two or three speakers: a statement naming one of them
            # points to the other), no question
            named = {s for s in others if _names_speaker(bank, s, claim.statement)}
            wrong = tuple(s for s in others if s not in named)
            if wrong and len(wrong) >= min(ATTRIBUTION_WRONG, len(others)):
                out.append(
                    _Candidate(
                        id=f"{claim.id}.attribution",
                        kind=Kind.MULTIPLE_CHOICE,
                        form=Form.ATTRIBUTION,
                        wrong_speakers=wrong,
                        **base,
                    )
                )
        if (
            claim.reported is None
            and claim.attribution != Attribution.UNCERTAIN
            and claim.false_statement is not None
        ):
            # wrong options of three kinds: the speaker's own view distorted
            # (the false statement), another speaker's view that contradicts it,
            # a third speaker's view on the topic that the speaker did not hold
            opponents = _contradicting(bank, claim, contradictions)
            wrong = opponents + _third_views(bank, claim, opponents, contradictions)
            fallback = _stance_options(claim, wrong, len(opponents), random.Random(0))
            if fallback is not None:
                out.append(
                    _Candidate(
                        id=f"{claim.id}.stance",
                        kind=Kind.MULTIPLE_CHOICE,
                        form=Form.STANCE,
                        wrong_claims=tuple(wrong),
                        opponents=len(opponents),
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
                    id=f"{claim.id}.cloze",
                    kind=Kind.CLOZE,
                    form=Form.TERM,
                    open_blank=not closed_blank(claim, bank.languages),
                    **base,
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
