"""What a teacher asks for (Choices) and reading kinds and lists from a command line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from quizgen.bank import Bank
from quizgen.errors import ChoiceError
from quizgen.i18n import t
from quizgen.quiz import FORMS, Form, Kind

LANGS = ("zh", "en")


@dataclass(frozen=True, kw_only=True)
class Choices:
    """What the teacher asked for.

    `kinds` holds (kind, form) pairs; empty means every kind and form.
    `topics` and `difficulty` empty mean all. `count` None means every
    question the other choices allow. A quiz holds at most one question per
    claim, and no question's prompt or options show another's answer, unless
    `siblings` (a drill, such as an Anki deck: every form of every claim).
    `open_blanks` False leaves out cloze blanks with more than one right
    wording (`quizgen.generate.blanks`): what the command line and the web
    builder do unless the teacher asks for them, as a machine marks the answers.
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
    siblings: bool = False
    open_blanks: bool = True


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


def _check_choices(bank: Bank, choices: Choices) -> None:
    problems = []
    if choices.lang not in LANGS:
        problems.append(
            t(
                f"language '{choices.lang}' is not zh or en",
                f"语言 '{choices.lang}' 不是 zh 或 en",
            )
        )
    elif choices.lang not in bank.languages:
        has = ", ".join(bank.languages)
        problems.append(
            t(
                f"{bank.path or bank.id}: the bank '{bank.id}' is written in {has} "
                f"only, so it cannot build questions in '{choices.lang}'. Hint: "
                f"choose {has}, or give the bank's texts in '{choices.lang}' too "
                "and list it under `languages`.",
                f"{bank.path or bank.id}：题库 '{bank.id}' 只有 {'、'.join(bank.languages)} "
                f"文本，无法出 '{choices.lang}' 的题。提示：请选 "
                f"{'、'.join(bank.languages)}，或为题库补上 '{choices.lang}' 文本并写入 "
                "`languages`。",
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


def with_lang(choices: Choices, lang: str) -> Choices:
    """The same choices in another language (for bilingual exports)."""
    return replace(choices, lang=lang)
