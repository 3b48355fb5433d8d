"""Students: nicknames, joining, tokens, removal by the teacher."""

from __future__ import annotations

import re
import secrets
import unicodedata
from typing import Any

from sqlalchemy import Connection, delete, func, select
from sqlalchemy.engine import Row

from quizgen.i18n import t
from quizgen.web.live import clock
from quizgen.web.live.model import (
    MAX_NICKNAME,
    MAX_PARTICIPANTS,
    LiveError,
    Participant,
    Session,
    _hash,
)
from quizgen.web.live.sessions import _bump, _locked_session
from quizgen.web.live.tables import (
    insert_new,
    live_answers,
    live_participants,
)
from quizgen.web.live.writes import write
from quizgen.web.store import Store

# ---------------------------------------------------------------------- students


#: characters that show nothing (Unicode's default-ignorable code points, and
#: blanks such as the Hangul fillers and the empty Braille pattern): "Ann" with
#: one of them would look like another student's "Ann"
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0"
    "\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


#: letters of other scripts that look like Latin ones (after casefold; where
#: the capital and the small letter look like different Latin letters, the
#: capital wins: names start with one). "Аlice" with a Cyrillic А is Alice.
_LOOK_ALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "з": "3", "һ": "h", "н": "h",
        "і": "i", "ї": "i", "ј": "j", "к": "k", "ӏ": "l", "м": "m", "о": "o",
        "р": "p", "ԛ": "q", "с": "c", "ѕ": "s", "т": "t", "у": "y", "ԝ": "w",
        "х": "x", "ԁ": "d", "ɡ": "g", "ү": "y",
        # Greek
        "α": "a", "β": "b", "ε": "e", "ζ": "z", "η": "h", "ι": "i", "κ": "k",
        "μ": "m", "ν": "n", "ο": "o", "ρ": "p", "τ": "t", "υ": "y", "χ": "x",
        "ϲ": "c", "ϳ": "j",
    }
)  # fmt: skip


def nickname_key(nickname: str) -> str:
    """What two nicknames must not share in one session: the nickname without
    case, with Cyrillic and Greek look-alikes read as the Latin letters they
    look like (so "Аlice" with a Cyrillic А is "Alice")."""
    return nickname.casefold().translate(_LOOK_ALIKES)


def clean_nickname(raw: str) -> str:
    """The nickname as stored: NFKC, no control characters, spaces collapsed.

    Raises LiveError when it is empty or longer than MAX_NICKNAME characters.
    """
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(
        ch
        for ch in text
        if unicodedata.category(ch)[0] != "C" and not _INVISIBLE.match(ch)
    )
    text = " ".join(text.split())
    if not text:
        raise LiveError(t("choose a nickname", "请输入昵称"), reason="nickname-empty")
    if len(text) > MAX_NICKNAME:
        raise LiveError(
            t(
                f"the nickname is too long (at most {MAX_NICKNAME} characters)",
                f"昵称太长（最多 {MAX_NICKNAME} 个字符）",
            ),
            reason="nickname-long",
        )
    return text


def join(
    store: Store,
    session: Session,
    nickname: str,
    *,
    client_key: str | None = None,
    max_per_address: int | None = None,
    at_ms: int | None = None,
) -> tuple[Participant, str]:
    """Add a student; return the participant and the token for their cookie.

    `client_key` is the address the student joins from; at most
    `max_per_address` students of the session may have joined from it.
    Raises LiveError when the session is over or locked, the room or the
    address is full, or the nickname is invalid or taken (compared without
    case or width, look-alike letters of other scripts counted as the same).
    """
    nick = clean_nickname(nickname)
    key = nickname_key(nick)
    at = clock.now_ms() if at_ms is None else at_ms
    token = secrets.token_urlsafe(24)
    with write(store) as conn:
        current = _locked_session(conn, session.id, shared=True)
        if current.over(at):
            raise LiveError(
                t("this session has ended", "这场测验已结束"),
                status=409,
                reason="ended",
            )
        if current.locked:
            raise LiveError(
                t(
                    "the teacher has locked this session; ask them to open it",
                    "老师已锁定这场测验；请老师重新开放",
                ),
                status=409,
                reason="locked",
            )
        count = conn.execute(
            select(func.count())
            .select_from(live_participants)
            .where(live_participants.c.session_id == session.id)
        ).scalar_one()
        if count >= MAX_PARTICIPANTS:
            raise LiveError(
                t("this session is full", "这场测验人数已满"), status=409, reason="full"
            )
        if client_key is not None and max_per_address is not None:
            if conn.dialect.name == "postgresql":
                # joins from one address wait for each other: none slips past
                # the count below
                conn.execute(
                    select(
                        func.pg_advisory_xact_lock(
                            func.hashtext(f"{session.id}:{client_key}")
                        )
                    )
                )
            mine = conn.execute(
                select(func.count())
                .select_from(live_participants)
                .where(
                    live_participants.c.session_id == session.id,
                    live_participants.c.client_key == client_key,
                )
            ).scalar_one()
            if mine >= max_per_address:
                raise LiveError(
                    t(
                        "too many students have joined from this network address; "
                        "ask the teacher",
                        "从这个网络地址加入的学生太多；请告诉老师",
                    ),
                    status=429,
                    reason="address-full",
                )
        inserted = conn.execute(
            insert_new(conn, live_participants)
            .values(
                session_id=session.id,
                nickname=nick,
                nickname_key=key,
                token_hash=_hash(token),
                joined_ms=at,
                client_key=client_key,
            )
            .returning(live_participants.c.id)
        ).first()
    if inserted is None:
        raise LiveError(
            t(
                f"the nickname '{nick}' is taken in this session; choose another",
                f"昵称“{nick}”已被使用；请换一个",
            ),
            status=409,
            reason="nickname-taken",
        )
    return (
        Participant(
            id=int(inserted[0]), session_id=session.id, nickname=nick, joined_ms=at
        ),
        token,
    )


def participant_by_token(
    store: Store, session_id: str, token: str | None
) -> Participant | None:
    """The student whose cookie holds `token` in this session, or None."""
    if not token or len(token) > 100:
        return None
    with store.read() as conn:
        row = conn.execute(
            select(live_participants).where(
                live_participants.c.token_hash == _hash(token),
                live_participants.c.session_id == session_id,
            )
        ).first()
    return None if row is None else _participant(row)


def _participant(row: Row[Any]) -> Participant:
    return Participant(
        id=row.id,
        session_id=row.session_id,
        nickname=row.nickname,
        joined_ms=row.joined_ms,
    )


def participants(store: Store, session_id: str) -> list[Participant]:
    """Every student of the session, in the order they joined."""
    with store.read() as conn:
        rows = conn.execute(
            select(live_participants)
            .where(live_participants.c.session_id == session_id)
            .order_by(live_participants.c.joined_ms, live_participants.c.id)
        ).all()
    return [_participant(r) for r in rows]


def _participant_row(
    conn: Connection, session_id: str, participant_id: int
) -> Row[Any] | None:
    return conn.execute(
        select(live_participants).where(
            live_participants.c.id == participant_id,
            live_participants.c.session_id == session_id,
        )
    ).first()


def participant(
    store: Store, session_id: str, participant_id: int
) -> Participant | None:
    """One student of the session by id, or None."""
    with store.read() as conn:
        row = _participant_row(conn, session_id, participant_id)
    return None if row is None else _participant(row)


def remove_participant(
    store: Store, session_id: str, participant_id: int
) -> Participant | None:
    """Take a student out of the session, with their answers: the teacher's call.

    Their cookie stops working at once (an answer already on its way is
    refused, not stored); they may join again under a free nickname unless the
    room is locked. Every screen updates (the revision changes). Returns the
    removed student, or None when the session has no student with that id.
    """
    with write(store) as conn:
        _locked_session(conn, session_id)  # exclusive: waits for answers in flight
        row = _participant_row(conn, session_id, participant_id)
        if row is None:
            return None
        conn.execute(
            delete(live_answers).where(
                live_answers.c.session_id == session_id,
                live_answers.c.participant_id == participant_id,
            )
        )
        conn.execute(
            delete(live_participants).where(live_participants.c.id == participant_id)
        )
        _bump(conn, session_id)
    return _participant(row)
