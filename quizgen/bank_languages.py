"""The languages a bank is written in, and its texts in them, as plain data.

A bank in Chinese and English gives each learner-facing text as a `{zh, en}`
pair; a bank in one language (`languages: [en]`, docs/bank-format.md) gives
it once, as a plain string (a one-key mapping, `{en: ...}`, reads the same).
The authoring workspace reads and writes texts through these functions, so
its forms hold one field per language the bank is written in:

- `CHOICES`: the languages a new bank may be written in, by the form's value;
- `languages_of`: the languages a bank declares (Chinese and English when it
  declares none);
- `texts_of`: a text as written in the bank, as `{zh: ..., en: ...}`;
- `text_value`: the inverse, what the bank writes for its texts;
- `in_one_language`: a bank in both languages made a bank in one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from quizgen.bank.declared import LEARNER_LANGS

__all__ = [
    "BOTH",
    "CHOICES",
    "LEARNER_LANGS",
    "in_one_language",
    "languages_of",
    "text_value",
    "texts_of",
]

BOTH = "both"

#: the form's value -> the bank's languages (`both` writes no `languages` key)
CHOICES: dict[str, tuple[str, ...]] = {
    BOTH: LEARNER_LANGS,
    "en": ("en",),
    "zh": ("zh",),
}


def languages_of(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The languages the bank (plain data) declares, as `quizgen check` reads
    them: zh and en when it declares none."""
    value = data.get("languages")
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        found = tuple(dict.fromkeys(v for v in value if v in LEARNER_LANGS))
        if found:
            return found
    return LEARNER_LANGS


def texts_of(value: Any, languages: Sequence[str]) -> dict[str, str]:
    """A text as the bank writes it (a pair, a one-key mapping, or the plain
    string of a one-language bank), as `{zh: ..., en: ...}`: empty where the
    bank has no text in that language."""
    out = dict.fromkeys(LEARNER_LANGS, "")
    if isinstance(value, Mapping):
        for lang in languages:
            found = value.get(lang)
            out[lang] = "" if found is None else str(found)
    elif (
        len(languages) == 1
        and value is not None
        and not isinstance(value, bool | list | tuple)
    ):
        out[languages[0]] = str(value)
    return out


def text_value(texts: Mapping[str, str], languages: Sequence[str]) -> Any:
    """What the bank writes for `texts` (`{lang: text}`): the one text of a
    one-language bank, else the `{zh, en}` pair."""
    if len(languages) == 1:
        return texts.get(languages[0], "")
    return {lang: texts.get(lang, "") for lang in LEARNER_LANGS}


def _is_pair(value: Mapping[str, Any]) -> bool:
    return bool(value) and set(value) <= set(LEARNER_LANGS)


def _reduced(value: Any, lang: str) -> Any:
    if isinstance(value, Mapping):
        if _is_pair(value):
            if lang not in value:
                return None
            kept = value[lang]
            # a list of words (`cloze_accept`) stays under its language
            return {lang: kept} if isinstance(kept, list) else kept
        out = {k: _reduced(v, lang) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None}
    if isinstance(value, list):
        return [r for v in value if (r := _reduced(v, lang)) is not None]
    return value


def in_one_language(data: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The bank (plain data, in Chinese and English) written in `lang` only:
    `languages: [lang]`, and each text that language's alone."""
    out: dict[str, Any] = _reduced(data, lang)
    out["languages"] = [lang]
    return out
