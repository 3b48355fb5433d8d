"""Load a bank (YAML) into frozen dataclasses, checking it against its source.

`load_bank(path)` returns a Bank or raises BankError with every problem found,
each as `file:line: [id] message. Hint: ...`. Loading is safe: plain YAML
types only, no anchors or aliases, bounded size and nesting.
"""

from __future__ import annotations

from quizgen.bank.load import (
    MAX_BANK_BYTES as MAX_BANK_BYTES,
)
from quizgen.bank.load import (
    MAX_SOURCE_BYTES as MAX_SOURCE_BYTES,
)
from quizgen.bank.load import (
    display_path as display_path,
)
from quizgen.bank.load import (
    load_bank,
    parse_bank,
)
from quizgen.bank.model import (
    Attribution,
    Bank,
    Claim,
    Debate,
    Erratum,
    Fact,
    Reported,
    Side,
    SourceInfo,
    Speaker,
    SpeakerKind,
    Term,
    Text,
    Topic,
    Variants,
)

__all__ = [
    "Attribution",
    "Bank",
    "Claim",
    "Debate",
    "Erratum",
    "Fact",
    "Reported",
    "Side",
    "SourceInfo",
    "Speaker",
    "SpeakerKind",
    "Term",
    "Text",
    "Topic",
    "Variants",
    "load_bank",
    "parse_bank",
]
