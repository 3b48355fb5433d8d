"""A starting bank for a new text: speakers from the labels it uses, the body
marked, no claims yet. `quizgen init` writes it; the teacher adds claims.

The bank is written through yaml.safe_dump, so every string is quoted where
YAML needs it (a leading quote mark, a `: `, a `?`), whatever the text holds.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import yaml

from quizgen.source import label_key as _key
from quizgen.source import parse_source

__all__ = ["Label", "bank_id_for", "find_labels", "label_at_start", "starter_bank"]

#: `Name:` / `名字：` at a paragraph's start (no sentence before the colon)
_LABEL = re.compile(
    r"^((?:[A-Z][\w.'’-]*)(?: [A-Z][\w.'’-]*){0,2}|[^\s:：。，,.!?！？“”\"']{1,24}?)\s*[:：]"
)

#: classical Chinese: 子曰， 有子曰： — the speaker is the name before 曰
_CLASSICAL = re.compile(r"^(\S{1,4}?)曰[:：]")


#: the longest label that may start only one paragraph
_SINGLE_MAX = 6

_HOST = re.compile(r"主持|^(host|moderator|chair|interviewer)\b", re.IGNORECASE)
_AUDIENCE = re.compile(r"观众|听众|提问|^(audience|question)", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class Label:
    """A speaker label the text uses, the spellings it appears in, and how often."""

    name: str
    spellings: tuple[str, ...]
    count: int


def _unique_by_key(spellings: Iterable[str]) -> list[str]:
    """The spellings, one per label (the first of those equal under `label_key`)."""
    seen: dict[str, str] = {}
    for s in spellings:
        seen.setdefault(_key(s), s)
    return list(seen.values())


def _label_match(text: str) -> re.Match[str] | None:
    return _CLASSICAL.match(text) or _LABEL.match(text)


def label_at_start(text: str) -> str | None:
    """The label a line starts with, as labels are compared (`label_key`), or None."""
    m = _label_match(text)
    return _key(m.group(1)) if m else None


def find_labels(paragraphs: list[str] | tuple[str, ...]) -> list[Label]:
    """The speaker labels at the start of paragraphs, in order of first use.

    A label counts when it starts at least two paragraphs; one that starts a
    single paragraph counts when it is short (an audience member, a minor
    character) and the text has at least three labels, so a sentence ending in
    a colon is left out.
    """
    seen: dict[str, Counter[str]] = {}  # in order of first appearance
    for para in paragraphs:
        m = _label_match(para)
        if not m:
            continue
        spelling = para[: m.end()].rstrip(":：，,").strip()
        seen.setdefault(_key(m.group(1)), Counter())[spelling] += 1
    total = {k: sum(c.values()) for k, c in seen.items()}
    singles_kept = len(seen) >= 3
    seen = {
        k: c
        for k, c in seen.items()
        if total[k] >= 2 or (singles_kept and len(k) <= _SINGLE_MAX)
    }
    labels = [
        Label(
            name=_name(counter),
            spellings=tuple(s for s, _ in counter.most_common()),
            count=total[key],
        )
        for key, counter in seen.items()
    ]
    return labels


def _name(spellings: Counter[str]) -> str:
    """The label as a name: a classical label loses its final 曰 ("said"),
    an all-capital Latin one is title-cased (SOCRATES gives Socrates)."""
    first = spellings.most_common(1)[0][0]
    name = first[:-1] if first.endswith("曰") and len(first) > 1 else first
    if name.isupper() and name.isascii():
        return name.title()
    return name


def bank_id_for(stem: str) -> str:
    """A bank id from a file name: lower-case letters, digits, - and _."""
    ascii_only = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9_-]+", "-", ascii_only.lower()).strip("-_")
    if not cleaned or not cleaned[0].isalpha():
        cleaned = f"bank-{cleaned}".rstrip("-")
    return cleaned


def _speaker_id(name: str, taken: set[str], index: int) -> str:
    base = bank_id_for(name)
    if base.startswith("bank"):
        base = f"speaker{index}"
    sid, n = base, 2
    while sid in taken:
        sid, n = f"{base}{n}", n + 1
    taken.add(sid)
    return sid


def starter_bank(
    paragraphs: list[str] | tuple[str, ...],
    *,
    bank_id: str,
    source_file: str,
    title: str,
) -> str:
    """The YAML text of a bank with no claims for these paragraphs.

    Speakers come from `find_labels` (every spelling an alias, since labels
    match exactly; a host or an audience by its label), the body runs from the
    first to the last paragraph that is not boilerplate, and one
    topic stands ready to be renamed; the source's language and genre are
    guessed from its script and labels. Texts the teacher must write are marked
    with `TODO` and stay valid, so `quizgen check` passes from the start.
    """
    labels = find_labels(paragraphs)
    taken: set[str] = set()
    speakers = []
    for i, label in enumerate(labels, start=1):
        entry: dict[str, object] = {
            "id": _speaker_id(label.name, taken, i),
            "name": {"zh": label.name, "en": label.name},
            "role": {"zh": "TODO", "en": "TODO"},
        }
        # labels match whatever their case and width: only other words are aliases
        aliases = _unique_by_key(
            s for s in label.spellings if _key(s) != _key(label.name)
        )
        if aliases:
            entry["aliases"] = aliases
        if _HOST.search(label.name):
            entry["kind"] = "host"
        elif _AUDIENCE.search(label.name):
            entry["kind"] = "audience"
        speakers.append(entry)
    parsed = parse_source("\n".join(paragraphs)).paragraphs
    real = [p.text for p in parsed if not p.boilerplate] or list(paragraphs)
    body = {"start": _marker(real[0], head=True), "end": _marker(real[-1], head=False)}
    bank = {
        "id": bank_id,
        "title": {"zh": title, "en": title},
        "source": {
            "file": source_file,
            "title": {"zh": title, "en": title},
            "origin": {"zh": "TODO", "en": "TODO"},
            "language": _language(real),
            "genre": _genre(speakers, [label.count for label in labels]),
            "body": body,
        },
        "speakers": speakers,
        "topics": [{"id": "main", "name": {"zh": "TODO", "en": "TODO"}}],
        "claims": [],
    }
    header = (
        "# A starting bank written by `quizgen init`: fill in every TODO, then add\n"
        "# claims (docs/bank-format.md) and run `quizgen check` on this file.\n"
    )
    return header + yaml.safe_dump(
        bank, allow_unicode=True, sort_keys=False, width=10_000
    )


def _language(paragraphs: list[str]) -> str:
    """zh when Chinese characters make a fifth of the text's letters, else en
    (a guess the teacher corrects: lzh for classical Chinese, de, fr ...)."""
    text = "".join(paragraphs)
    han = sum(1 for ch in text if "\u3400" <= ch <= "\u9fff")
    letters = sum(1 for ch in text if ch.isalpha())
    return "zh" if letters and han * 5 >= letters else "en"


def _genre(speakers: list[dict[str, object]], turns: list[int]) -> str:
    """A guess from the labels: no labels an article, two voices (speakers of
    more than one turn, if any) a dialogue, a host or more voices a panel."""
    voices = [
        (s, n)
        for s, n in zip(speakers, turns, strict=True)
        if s.get("kind") != "audience"
    ]
    voices = [(s, n) for s, n in voices if n > 1] or voices
    if not voices:
        return "article"
    if len(voices) == 1:
        return "lecture"
    if len(voices) == 2 and all("kind" not in s for s, _ in voices):
        return "dialogue"
    return "panel"


def _marker(paragraph: str, *, head: bool) -> str:
    """A few words from the start (or end) of a paragraph to mark the body."""
    words = paragraph.split()
    if len(words) > 1 and all(w.isascii() for w in words[:8]):
        return " ".join(words[:6] if head else words[-6:])
    return paragraph[:12] if head else paragraph[-12:]
