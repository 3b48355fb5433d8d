"""Writing a bank claim by claim: what the authoring workspace does, without the web.

- `start_bank`: a teacher's text made into a bank with its speakers and no
  claims (the same start as `quizgen init`);
- `check`: the bank as `quizgen check` sees it, or every problem;
- `locate`: where a selected or typed quote lies, in the text's own words;
- `claim_defaults`: speaker, attribution and id for a quote in a paragraph;
- `claim_from_fields`: a claim from the claim form's fields (named as the
  YAML's paths: `statement.en`, `facts[0].wrong[1].zh`), its texts in the
  bank's languages (a plain string each in a one-language bank);
- `field_problems`: the checker's problems under the form field they concern.

The bank is plain data (what `yaml.safe_load` gives for a bank file) and is
checked by writing it with `bank_yaml` and reading it with `parse_bank`, so
what the workspace accepts is exactly what `quizgen check` accepts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import yaml

from quizgen.bank import Bank, parse_bank
from quizgen.bank_languages import LEARNER_LANGS, text_value, texts_of
from quizgen.bank_writer import bank_yaml
from quizgen.errors import BankError, Problem
from quizgen.i18n import t
from quizgen.source import Match, Source
from quizgen.starter import bank_id_for, starter_bank
from quizgen.text_import import ImportedText

__all__ = [
    "CLAIM_FIELDS",
    "Located",
    "check",
    "SideReport",
    "claim_defaults",
    "claim_field_names",
    "debate_report",
    "claim_fields",
    "claim_from_fields",
    "errors_for",
    "field_problems",
    "locate",
    "read_variants",
    "start_bank",
]

#: the form's text fields for a claim, in form order (pairs as `key.zh`/`key.en`)
PAIRS = ("statement", "false_statement", "cloze")
WRONG_OPTIONS = 3
#: a quote longer than this (characters) gets no "nearest passage" hint
MAX_NEAREST = 600
CLAIM_FIELDS: tuple[str, ...] = (
    "id",
    "speaker",
    "topic",
    "quote",
    "attribution",
    "attribution_note",
    *(f"{p}.{lang}" for p in PAIRS for lang in ("zh", "en")),
    *(f"cloze_accept.{lang}" for lang in ("zh", "en")),
    *(f"facts[0].{k}.{lang}" for k in ("question", "answer") for lang in ("zh", "en")),
    *(
        f"facts[0].wrong[{i}].{lang}"
        for i in range(WRONG_OPTIONS)
        for lang in ("zh", "en")
    ),
    "difficulty",
    "tags",
)


def claim_field_names(languages: tuple[str, ...]) -> tuple[str, ...]:
    """The claim form's fields for a bank written in `languages`: a text's
    field in another language is left out."""
    other = tuple(f".{lang}" for lang in LEARNER_LANGS if lang not in languages)
    return tuple(n for n in CLAIM_FIELDS if not other or not n.endswith(other))


def start_bank(text: ImportedText, *, title: str, source_name: str) -> dict[str, Any]:
    """A bank for `text` with its speakers (from the labels it uses), one topic
    and no claims, as plain data; `source_name` is the file it quotes."""
    stem = PurePath(source_name).stem
    written = starter_bank(
        text.paragraphs,
        bank_id=bank_id_for(title or stem),
        source_file=source_name,
        title=title or stem,
    )
    data: dict[str, Any] = yaml.safe_load(written)
    if not data.get("speakers"):  # one voice (a lecture, an article): its author
        data["speakers"] = [
            {
                "id": "author",
                "name": {"zh": "作者", "en": "The author"},
                "role": {"zh": "TODO", "en": "TODO"},
            }
        ]
    return data


def check(
    data: Mapping[str, Any], source_text: str, *, file: str = "bank.yaml"
) -> tuple[Bank | None, list[Problem]]:
    """(the bank, []) when `quizgen check` would accept `data` quoting
    `source_text`, else (None, every problem)."""
    try:
        return parse_bank(bank_yaml(data), file=file, source_text=source_text), []
    except BankError as exc:
        return None, exc.problems


@dataclass(frozen=True, kw_only=True)
class Located:
    """Where a quote lies: `paragraph` and `quote` (the text's own words) when
    it lies in one paragraph; otherwise the paragraphs that hold it
    (`candidates`, several), the one where it starts when it runs into the
    next (`spanning`), or the passage most like it (`nearest`)."""

    paragraph: int | None
    quote: str
    candidates: tuple[int, ...] = ()
    spanning: int | None = None
    nearest: Match | None = None


def locate(source: Source, quote: str, paragraph: int | None = None) -> Located:
    """Find `quote` in `source` (in `paragraph` when given and it holds it)."""
    quote = quote.strip()
    found = source.locate(quote)
    if paragraph in found:
        found = [paragraph]  # type: ignore[list-item]
    if len(found) == 1:
        return Located(paragraph=found[0], quote=source.exact(quote, found[0]))
    if found:
        return Located(paragraph=None, quote=quote, candidates=tuple(found))
    return Located(
        paragraph=None,
        quote=quote,
        spanning=source.spanning(quote),
        # the nearest passage costs about the quote's length times the text's
        nearest=source.nearest(quote) if 0 < len(quote) <= MAX_NEAREST else None,
    )


def claim_defaults(bank: Bank, paragraph: int) -> dict[str, Any]:
    """Speaker, attribution (with a note to write when not explicit), topic and
    a fresh id for a claim quoting `paragraph`.

    A labelled paragraph, or an unlabelled one continuing a labelled turn, is
    `explicit`; a paragraph before any label is `inferred`, its speaker the
    first panelist, and the teacher says why in the note (or picks `uncertain`).
    """
    para = bank.source.paragraph(paragraph)
    speaker = para.label or para.turn
    attribution = "explicit"
    if speaker is None:
        attribution = "inferred"
        panelists = [s.id for s in bank.speakers if s.kind.value == "panelist"]
        speaker = (panelists or [s.id for s in bank.speakers] or [""])[0]
    note = ""
    if attribution == "inferred" and not any(p.label for p in bank.source.paragraphs):
        note = "The text has no speaker labels: one author wrote all of it."
    taken = {c.id for c in bank.claims}
    base = speaker or "claim"
    n = sum(1 for c in bank.claims if c.speaker == speaker) + 1
    while f"{base}-{n}" in taken:
        n += 1
    return {
        "id": f"{base}-{n}",
        "speaker": speaker,
        "topic": bank.topics[0].id if bank.topics else "",
        "attribution": attribution,
    } | ({"attribution_note": note} if note else {})


def claim_fields(
    claim: Mapping[str, Any], languages: tuple[str, ...] = LEARNER_LANGS
) -> dict[str, str]:
    """The form's fields for a claim given as plain data, in a bank written in
    `languages` (the inverse of `claim_from_fields`)."""
    out = {name: "" for name in CLAIM_FIELDS}
    for key in ("id", "speaker", "topic", "quote", "attribution", "attribution_note"):
        out[key] = _str(claim.get(key))

    def put(key: str, value: Any) -> None:
        for lang, text in texts_of(value, languages).items():
            out[f"{key}.{lang}"] = text

    for key in PAIRS:
        put(key, claim.get(key))
    accept = claim.get("cloze_accept")
    if isinstance(accept, Mapping):
        for lang in languages:
            variants = accept.get(lang)
            if isinstance(variants, list):
                out[f"cloze_accept.{lang}"] = VARIANT_JOIN.join(map(_str, variants))
    facts = claim.get("facts")
    if isinstance(facts, list) and facts and isinstance(facts[0], Mapping):
        fact = facts[0]
        for key in ("question", "answer"):
            put(f"facts[0].{key}", fact.get(key))
        wrong = fact.get("wrong")
        if isinstance(wrong, list):
            for i, value in enumerate(wrong[:WRONG_OPTIONS]):
                put(f"facts[0].wrong[{i}]", value)
    out["difficulty"] = _str(claim.get("difficulty") or "")
    tags = claim.get("tags")
    out["tags"] = " ".join(map(str, tags)) if isinstance(tags, list) else ""
    return out


#: a cloze's accepted variants in one form field: "5 years / five years' time"
VARIANT_JOIN = " / "
_VARIANT_SPLIT = re.compile(r"[/／;；\n]")


def read_variants(text: str) -> list[str]:
    """The variants typed in one field, split at / ; (either width) or a new
    line, each once, in order."""
    return list(
        dict.fromkeys(v.strip() for v in _VARIANT_SPLIT.split(text) if v.strip())
    )


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _pair(
    fields: Mapping[str, str], key: str, languages: tuple[str, ...]
) -> Any | None:
    """The text of fields `key.<lang>` as the bank writes it; None when empty."""
    texts = {lang: fields.get(f"{key}.{lang}", "").strip() for lang in languages}
    if not any(texts.values()):
        return None
    return text_value(texts, languages)


def claim_from_fields(
    fields: Mapping[str, str],
    base: Mapping[str, Any] | None = None,
    languages: tuple[str, ...] = LEARNER_LANGS,
) -> dict[str, Any]:
    """A claim (plain data) from the form's `fields`, in a bank written in
    `languages`: a `{zh, en}` pair each text, or a plain string in a bank in
    one language.

    Keys the form does not show (`reported`, `shared_with`, `erratum`, a second
    fact, more wrong options) are kept from `base`, the claim as stored. An
    optional text left empty in every language is left out.
    """
    claim: dict[str, Any] = dict(base or {})
    for key in ("id", "speaker", "topic", "quote", "attribution"):
        claim[key] = fields.get(key, "").strip()
    note = fields.get("attribution_note", "").strip()
    if note:
        claim["attribution_note"] = note
    else:
        claim.pop("attribution_note", None)
    claim["statement"] = _pair(fields, "statement", languages) or text_value(
        {}, languages
    )
    for key in ("false_statement", "cloze"):
        pair = _pair(fields, key, languages)
        if pair is None:
            claim.pop(key, None)
        else:
            claim[key] = pair
    accept = {
        lang: variants
        for lang in languages
        if (variants := read_variants(fields.get(f"cloze_accept.{lang}", "")))
    }
    if accept:
        claim["cloze_accept"] = accept
    else:
        claim.pop("cloze_accept", None)
    question = _pair(fields, "facts[0].question", languages)
    answer = _pair(fields, "facts[0].answer", languages)
    wrong = [
        w
        for i in range(WRONG_OPTIONS)
        if (w := _pair(fields, f"facts[0].wrong[{i}]", languages)) is not None
    ]
    old_facts = list(claim.get("facts") or [])
    if question or answer or wrong:
        first = dict(old_facts[0]) if old_facts else {}
        first["question"] = question or text_value({}, languages)
        first["answer"] = answer or text_value({}, languages)
        kept = list(first.get("wrong") or [])[WRONG_OPTIONS:]
        first["wrong"] = wrong + kept
        claim["facts"] = [first, *old_facts[1:]]
    elif old_facts[1:]:
        claim["facts"] = old_facts[1:]
    else:
        claim.pop("facts", None)
    difficulty = fields.get("difficulty", "").strip()
    if difficulty:
        claim["difficulty"] = int(difficulty) if difficulty.isdigit() else difficulty
    else:
        claim.pop("difficulty", None)
    tags = fields.get("tags", "").split()
    if tags:
        claim["tags"] = tags
    else:
        claim.pop("tags", None)
    order = ("id", "speaker", "topic", "quote", "attribution")
    return {k: claim[k] for k in order} | {
        k: v for k, v in claim.items() if k not in order
    }


_PATH = re.compile(r"^(claims|debates)\[(\d+)\]\.([^\s:：]+)\s*[:：]")


def field_problems(
    problems: list[Problem], section: str, index: int
) -> tuple[dict[str, list[str]], list[str]]:
    """The problems of item `section[index]` (`claims[3]`) by form field
    (its path inside the item: `statement.en`, `facts[0].wrong`), and every
    other problem as text."""
    by_field: dict[str, list[str]] = {}
    other: list[str] = []
    for p in problems:
        m = _PATH.match(p.message)
        hint = t(f" Hint: {p.hint}", f" 提示：{p.hint}") if p.hint else ""
        if m and m.group(1) == section and int(m.group(2)) == index:
            text = p.message[m.end() :].strip() + hint
            by_field.setdefault(m.group(3), []).append(text)
        else:
            other.append(f"{p.message}{hint}")
    return by_field, other


def errors_for(by_field: Mapping[str, list[str]], name: str) -> list[str]:
    """The problems of form field `name`: those of its path and of any path
    inside it (`facts[0]` gets those of `facts[0].answer.zh`), and of the pair it
    belongs to (`statement.zh` gets a problem of `statement`)."""
    out: list[str] = []
    for path, messages in by_field.items():
        inside = name.startswith(path) and name[len(path) : len(path) + 1] in ".["
        if path == name or inside or path.startswith(name + "."):
            out.extend(messages)
    return out


@dataclass(frozen=True, kw_only=True)
class SideReport:
    """For one claim on a debate side: whether it gives a "which statement
    matches X's view?" question, and why not (a code for the page to word)."""

    claim: str
    speaker: str
    stance: bool
    reason: str = (
        ""  # not-opposed | sides | other-speaker | reported | uncertain | opponents
    )


def debate_report(
    bank: Bank, debate_id: str, question_ids: set[str]
) -> list[SideReport]:
    """Why each claim of a debate gives a stance question or not.

    `question_ids` are the ids of every question the bank gives (a claim gives
    a stance question when `<claim>.stance` is among them).
    """
    debate = bank.debate(debate_id)
    out = []
    for side in debate.sides:
        for cid in side.claims:
            claim = bank.claim(cid)
            reason = ""
            if f"{cid}.stance" in question_ids:
                reason = ""
            elif not debate.opposed:
                reason = "not-opposed"
            elif len(debate.sides) != 2:
                reason = "sides"
            elif claim.speaker != side.speaker:
                reason = "other-speaker"
            elif claim.reported is not None:
                reason = "reported"
            elif claim.attribution.value == "uncertain":
                reason = "uncertain"
            else:
                reason = "opponents"
            out.append(
                SideReport(
                    claim=cid,
                    speaker=side.speaker,
                    stance=f"{cid}.stance" in question_ids,
                    reason=reason,
                )
            )
    return out
