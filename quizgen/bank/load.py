"""Loading a bank: read the file, parse the YAML, check it all, build the Bank."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from quizgen.bank.checker import _Checker, _not_found, _unknown
from quizgen.bank.claims import _claim, _debate
from quizgen.bank.model import (
    Bank,
    Claim,
    Debate,
    Source,
    SourceInfo,
    Speaker,
    SpeakerKind,
    Term,
    Topic,
)
from quizgen.bank.yaml_tree import _List, _Map, _read_yaml
from quizgen.errors import BankError, Problem, os_reason
from quizgen.i18n import t
from quizgen.source import parse_source

MAX_BANK_BYTES = 32 * 1024 * 1024
MAX_SOURCE_BYTES = 8 * 1024 * 1024


def load_bank(
    path: str | Path, *, source_text: str | None = None, max_bytes: int = MAX_BANK_BYTES
) -> Bank:
    """Load and check the bank at `path`.

    Returns the Bank; raises BankError listing every problem (file:line). The
    source is read from the bank's `source.file`, relative to the bank's
    folder, unless `source_text` is given (an upload).
    """
    path = Path(path)
    file = display_path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise BankError(
                [
                    Problem(
                        file=file,
                        line=1,
                        item="",
                        message=t(
                            f"the file is too large ({size} bytes; the limit is {max_bytes})",
                            f"文件过大（{size} 字节；上限为 {max_bytes}）",
                        ),
                    )
                ]
            )
        raw = path.read_bytes()
        modified = int(path.stat().st_mtime)
    except OSError as exc:
        raise BankError(
            [
                Problem(
                    file=file,
                    line=1,
                    item="",
                    message=t(
                        f"cannot read the bank: {os_reason(exc)}",
                        f"无法读取题库：{os_reason(exc)}",
                    ),
                )
            ]
        ) from None
    return parse_bank(
        raw,
        file=file,
        base=path.parent,
        source_text=source_text,
        max_bytes=max_bytes,
        modified=modified,
    )


def parse_bank(
    raw: bytes | str,
    *,
    file: str = "<bank>",
    base: Path | None = None,
    source_text: str | None = None,
    max_bytes: int = MAX_BANK_BYTES,
    modified: int = 0,
) -> Bank:
    """Check a bank given as bytes or text; see load_bank.

    `base` resolves `source.file`; `modified` (Unix seconds) is when the bank
    last changed, which Anki decks use as their notes' modification time.
    """
    if isinstance(raw, bytes):
        if len(raw) > max_bytes:
            raise BankError(
                [
                    Problem(
                        file=file,
                        line=1,
                        item="",
                        message=t(
                            f"the file is too large ({len(raw)} bytes; the limit is {max_bytes})",
                            f"文件过大（{len(raw)} 字节；上限为 {max_bytes}）",
                        ),
                    )
                ]
            )
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise BankError(
                [
                    Problem(
                        file=file,
                        line=line,
                        item="",
                        message=t("the file is not UTF-8 text", "文件不是 UTF-8 文本"),
                        hint=t("save it as UTF-8.", "请以 UTF-8 编码保存。"),
                    )
                ]
            ) from None
    else:
        text = raw
    with _gc_paused():
        data = _read_yaml(text, file)
        bank = _build(data, file, base or Path("."), source_text)
    return replace(bank, modified=modified)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a bank is parsed.

    Parsing makes hundreds of thousands of small objects and no cycles; the
    collector's passes over them took more than half the time of a large bank.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def display_path(path: Path) -> str:
    """`path` relative to the working folder when it is inside it, else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _build(data: Any, file: str, base: Path, source_text: str | None) -> Bank:
    c = _Checker(file)
    top = c.mapping(
        data,
        "bank",
        getattr(data, "line", 1),
        "",
        required=("id", "title", "source", "speakers", "topics", "claims"),
        optional=("debates", "glossary"),
    )
    if top is None:
        raise BankError(c.problems)
    bank_id = c.ident(top, "id", "bank", "")
    title = c.text(top, "title", "bank", "")

    # speakers first: their names label the source
    speakers: list[Speaker] = []
    speaker_lines: dict[str, int] = {}
    names: dict[str, str] = {}
    for i, line, value in c.items(top, "speakers", "bank", ""):
        where = f"speakers[{i}]"
        m = c.mapping(
            value,
            where,
            line,
            "",
            required=("id", "name", "role"),
            optional=("kind", "aliases"),
        )
        if m is None:
            continue
        sid = c.ident(m, "id", where, "")
        c.unique(speaker_lines, sid, line, "speaker")
        name = c.text(m, "name", where, sid)
        role = c.text(m, "role", where, sid)
        kind = c.choice(m, "kind", where, sid, tuple(SpeakerKind), SpeakerKind.PANELIST)
        aliases = c.words(m, "aliases", where, sid)
        for n in ((name.zh, name.en) if name else ()) + aliases:
            if n and n in names and names[n] != sid:
                c.add(
                    line,
                    sid,
                    f"{where}: the name '{n}' also belongs to speaker '{names[n]}'",
                    f"{where}：名字 '{n}' 已属于发言人 '{names[n]}'",
                )
            elif n:
                names[n] = sid
        if sid and name and role:
            speakers.append(
                Speaker(
                    id=sid,
                    name=name,
                    role=role,
                    kind=SpeakerKind(kind),
                    aliases=aliases,
                )
            )
    speaker_ids = {s.id for s in speakers} | set(speaker_lines)

    topics: list[Topic] = []
    topic_lines: dict[str, int] = {}
    for i, line, value in c.items(top, "topics", "bank", ""):
        where = f"topics[{i}]"
        m = c.mapping(value, where, line, "", required=("id", "name"))
        if m is None:
            continue
        tid = c.ident(m, "id", where, "")
        c.unique(topic_lines, tid, line, "topic")
        name = c.text(m, "name", where, tid)
        if tid and name:
            topics.append(Topic(id=tid, name=name))
    topic_ids = set(topic_lines)

    source, info, context = _source(c, top, base, names, speaker_ids, source_text)

    c.names = _names(speakers)
    claims = [
        claim
        for i, line, value in c.items(top, "claims", "bank", "")
        if (
            claim := _claim(c, i, line, value, source, speaker_ids, topic_ids, speakers)
        )
        is not None
    ]
    claim_lines: dict[str, int] = {}
    for _i, line, value in c.items(top, "claims", "bank", ""):
        if isinstance(value, _Map) and isinstance(value.get("id"), str):
            c.unique(claim_lines, value["id"], line, "claim")
    claims_by_id = {cl.id: cl for cl in claims}
    _check_contradicts(c, top.get("claims"), claims_by_id, set(claim_lines))

    debates: list[Debate] = []
    debate_lines: dict[str, int] = {}
    for i, line, value in c.items(top, "debates", "bank", ""):
        debate = _debate(
            c, i, line, value, speaker_ids, topic_ids, claims_by_id, set(claim_lines)
        )
        if debate is not None:
            c.unique(debate_lines, debate.id, line, "debate")
            debates.append(debate)

    glossary: list[Term] = []
    term_lines: dict[str, int] = {}
    for i, line, value in c.items(top, "glossary", "bank", ""):
        where = f"glossary[{i}]"
        m = c.mapping(value, where, line, "", required=("id", "term", "definition"))
        if m is None:
            continue
        gid = c.ident(m, "id", where, "")
        c.unique(term_lines, gid, line, "glossary")
        term = c.text(m, "term", where, gid)
        definition = c.text(m, "definition", where, gid)
        if gid and term and definition:
            glossary.append(Term(id=gid, term=term, definition=definition))

    if c.problems:
        raise BankError(c.problems)
    assert title is not None
    assert source is not None
    assert info is not None
    return Bank(
        id=bank_id,
        title=title,
        source_info=info,
        source=source,
        speakers=tuple(speakers),
        topics=tuple(topics),
        claims=tuple(claims),
        debates=tuple(debates),
        glossary=tuple(glossary),
        context_paragraphs=frozenset(context),
        path=file,
    )


def _check_contradicts(
    c: _Checker, raw: Any, claims: dict[str, Claim], known: set[str]
) -> None:
    """Each `contradicts` names another speaker's claim that the bank has."""
    for i, value in enumerate(raw if isinstance(raw, _List) else ()):
        cid = value.get("id") if isinstance(value, _Map) else None
        cl = claims.get(cid) if isinstance(cid, str) else None
        if cl is None or not cl.contradicts:
            continue
        where = f"claims[{i}].contradicts"
        line = value.lines.get("contradicts", value.line)
        for other in cl.contradicts:
            if other not in known:
                _unknown(c, line, cl.id, where, "claim", other, known)
            elif other == cl.id:
                c.add(
                    line,
                    cl.id,
                    f"{where}: names the claim itself",
                    f"{where}：列出了论断本身",
                )
            elif other in claims and claims[other].speaker == cl.speaker:
                c.add(
                    line,
                    cl.id,
                    f"{where}: '{other}' is by the same speaker '{cl.speaker}'",
                    f"{where}：'{other}' 的发言人也是 '{cl.speaker}'",
                    "list only claims of other speakers that say the opposite.",
                    "只列出其他发言人说法相反的论断。",
                )
            elif other in claims and (
                cl.speaker in claims[other].shared_with
                or claims[other].speaker in cl.shared_with
            ):
                c.add(
                    line,
                    cl.id,
                    f"{where}: '{other}' is shared with (or conceded by) the other "
                    "speaker in shared_with, so it is not the opposite view",
                    f"{where}：'{other}' 在 shared_with 中记为对方也持有（或认可）的观点，"
                    "不是相反的观点",
                    "remove it from contradicts, or from shared_with if the text "
                    "shows the speakers disagree.",
                    "把它从 contradicts 中删去；若原文表明两人意见相左，则从 shared_with 中删去。",
                )


def _names(speakers: list[Speaker]) -> set[str]:
    """Who a fact stem may name: each speaker's names and aliases (and the
    surname of an English name). A relayed view's stems may also name the
    person relayed (the claim adds them)."""
    names: set[str] = set()
    for sp in speakers:
        names.update((sp.name.zh, sp.name.en, *sp.aliases, *sp.name.en.split()))
    names.discard("")
    return names


def _source(
    c: _Checker,
    top: _Map,
    base: Path,
    names: dict[str, str],
    speaker_ids: set[str],
    source_text: str | None,
) -> tuple[Source | None, SourceInfo | None, set[int]]:
    line = c.line_of(top, "source")
    m = c.mapping(
        top.get("source"),
        "source",
        line,
        "",
        required=("file", "title", "origin"),
        optional=("body", "context"),
    )
    if m is None:
        return None, None, set()
    file = c.string(m, "file", "source", "")
    title = c.text(m, "title", "source", "")
    origin = c.text(m, "origin", "source", "")
    body_start = body_end = None
    if m.get("body") is not None:
        body = c.mapping(
            m["body"],
            "source.body",
            c.line_of(m, "body"),
            "",
            required=("start", "end"),
        )
        if body is not None:
            body_start = c.string(body, "start", "source.body", "")
            body_end = c.string(body, "end", "source.body", "")
    if not file:
        return None, None, set()
    path = (base / file).resolve()
    if source_text is None:
        try:
            if path.stat().st_size > MAX_SOURCE_BYTES:
                c.add(
                    c.line_of(m, "file"),
                    "",
                    f"source.file: '{file}' is too large",
                    f"source.file：'{file}' 过大",
                )
                return None, None, set()
            source_text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            c.add(
                c.line_of(m, "file"),
                "",
                f"source.file: cannot read '{file}' ({os_reason(exc)})",
                f"source.file：无法读取 '{file}'（{os_reason(exc)}）",
                "the path is relative to the bank file's folder.",
                "路径相对于题库文件所在的文件夹。",
            )
            return None, None, set()
        except UnicodeDecodeError:
            c.add(
                c.line_of(m, "file"),
                "",
                f"source.file: '{file}' is not UTF-8 text",
                f"source.file：'{file}' 不是 UTF-8 文本",
            )
            return None, None, set()
    source = parse_source(
        source_text,
        path=str(path),
        names=names,
        body_start=body_start,
        body_end=body_end,
    )
    for key, marker in (("start", body_start), ("end", body_end)):
        if marker and not source.locate(marker):
            c.add(
                c.line_of(m["body"], key),
                "",
                f"source.body.{key}: not found in the source",
                f"source.body.{key}：在原文中找不到",
            )
    context: set[int] = set()
    for i, cline, value in c.items(m, "context", "source", ""):
        where = f"source.context[{i}]"
        cm = c.mapping(value, where, cline, "", required=("speaker", "quote"))
        if cm is None:
            continue
        sp = c.string(cm, "speaker", where, "")
        if sp and sp not in speaker_ids:
            _unknown(
                c,
                c.line_of(cm, "speaker"),
                "",
                f"{where}.speaker",
                "speaker",
                sp,
                speaker_ids,
            )
        quote = c.string(cm, "quote", where, "")
        found = source.locate(quote) if quote else []
        if quote and not found:
            _not_found(c, c.line_of(cm, "quote"), "", where, source, quote)
        context.update(found[:1])
    display = (
        "seeds/" + Path(file).name if "seeds" in Path(file).parts else Path(file).name
    )
    info = (
        SourceInfo(file=display, path=str(path), title=title, origin=origin)
        if title and origin
        else None
    )
    return source, info, context
