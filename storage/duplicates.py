"""Finding repeated reports: the same claimant, phone, business number or evidence file about
the same thing (``duplicate``), and near-identical free text from different people (``similar``).

At filing this runs inside the filing transaction, so it must stay cheap: a handful of indexed
lookups on ``case_keys`` (one per identifying answer) and on ``case_text_bands`` (MinHash bands
of the free text: texts that share a band are candidates, then compared with rapidfuzz). Keys
are hashes, so the index does not spell out phone numbers; they are erased with the case's
personal answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Connection, bindparam, insert, select

from flows import Flow
from storage.tables import CaseKeyRow, CaseLinkRow, CaseRow, CaseTextBandRow, table_of

KEYS = table_of(CaseKeyRow)
BANDS = table_of(CaseTextBandRow)
LINKS = table_of(CaseLinkRow)
CASES = table_of(CaseRow)

RULES = ("claimant", "phone", "business_number", "file")
"""Checked in this order; a case repeating an earlier one by any of them is its duplicate."""
KEY_KINDS = {"phone": "phone", "business_number": "business_number", "file": "file"}

SHINGLE = 4
BANDS_COUNT = 8
ROWS_PER_BAND = 3
MIN_TEXT = 30
"""Shorter texts ("카톡이 안 됐어요") are alike by nature, not copied: not compared."""
SIMILAR_RATIO = 90.0
MAX_CANDIDATES = 8
"""Candidates compared per case: the earliest ones (the original of a copied text comes first)."""
_PRIME = (1 << 61) - 1
_SEEDS = [
    (
        int.from_bytes(hashlib.blake2b(f"a{n}".encode(), digest_size=8).digest()) % _PRIME | 1,
        int.from_bytes(hashlib.blake2b(f"b{n}".encode(), digest_size=8).digest()) % _PRIME,
    )
    for n in range(BANDS_COUNT * ROWS_PER_BAND)
]
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Match:
    """An earlier case this one repeats or resembles, by which rule, and what matched."""

    case_id: int
    rule: str
    evidence: dict[str, Any]


def topic(flow: Flow, answers: dict[str, Any]) -> str:
    """What the case is about: the answers of the flow's first declared crossing (service and
    harm in the default flow), order-free, as a short hash."""
    names = list(flow.crossings[0]) if flow.crossings else sorted(flow.dimensions())
    fields = flow.dimensions()
    parts = []
    for name in names:
        value = answers.get(fields.get(name, ""))
        values = value if isinstance(value, list) else [value]
        parts.append(",".join(sorted(str(v) for v in values if v is not None)))
    return _digest("|".join(parts))


def identity_keys(
    flow: Flow,
    channel: str,
    user_key: str,
    answers: dict[str, Any],
    secret: bytes | None = None,
) -> list[tuple[str, str, str]]:
    """(rule, field, hashed key) of everything that identifies the claimant in this case.

    With a ``secret`` (encryption at rest on: ``Keyring.lookup_secrets``) the hashes are
    HMACs, so the stored keys do not give away phone or business numbers to whoever reads the
    database without the key.
    """
    keys = [("claimant", "", _keyed_digest(f"claimant\x00{channel}\x00{user_key}", secret))]
    for _, step in flow.asking_steps():
        rule = KEY_KINDS.get(step.kind)
        value = answers.get(step.field)
        if rule is None or value in (None, "", []):
            continue
        if rule == "file":
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    ident = item.get("file_unique_id") or item.get("file_id")
                    if ident:
                        keys.append((rule, step.field, _keyed_digest(f"file\x00{ident}", secret)))
        else:
            normal = "".join(ch for ch in str(value) if ch.isalnum())
            keys.append((rule, step.field, _keyed_digest(f"{rule}\x00{normal}", secret)))
    return keys


def lookup_keys(
    flow: Flow,
    channel: str,
    user_key: str,
    answers: dict[str, Any],
    secrets: list[bytes | None],
) -> list[tuple[str, str, str]]:
    """The keys to look a repeat up by: one set per secret (current key, old keys, plain)."""
    return [
        k for secret in secrets for k in identity_keys(flow, channel, user_key, answers, secret)
    ]


_K = KEYS.c
_FIRST_WITH_KEY = (
    select(_K.case_id)
    .where(
        _K.flow_id == bindparam("flow_id"),
        _K.rule == bindparam("rule"),
        _K.key == bindparam("key"),
        _K.topic == bindparam("topic"),
        _K.case_id < bindparam("before"),
    )
    .order_by(_K.case_id)
    .limit(1)
)
"""Built once: filing runs it several times per case, and building a select costs more than
running it on the index."""
_B = BANDS.c
_SHARING_A_BAND = (
    select(_B.case_id)
    .where(
        _B.flow_id == bindparam("flow_id"),
        _B.band == bindparam("band"),
        _B.hash == bindparam("hash"),
        _B.case_id < bindparam("before"),
    )
    .order_by(_B.case_id)
    .limit(MAX_CANDIDATES)
)
_CASE_TEXT = select(CASES.c.channel, CASES.c.user_key, CASES.c.answers).where(
    CASES.c.id == bindparam("case_id")
)
NO_LIMIT = 2**31 - 1
"""Above every case id (an INTEGER column on PostgreSQL)."""


def find_repeat(
    conn: Connection,
    flow_id: str,
    keys: Iterable[tuple[str, str, str]],
    about: str,
    before: int | None = None,
) -> Match | None:
    """The earliest case with any of ``keys`` about the same thing (ids below ``before``)."""
    best: Match | None = None
    for rule, field, key in keys:
        found = conn.execute(
            _FIRST_WITH_KEY,
            {"flow_id": flow_id, "rule": rule, "key": key, "topic": about,
             "before": NO_LIMIT if before is None else before},
        ).scalar()  # fmt: skip
        if found is not None and (best is None or found < best.case_id):
            best = Match(found, rule, {"rule": rule} | ({"field": field} if field else {}))
    return best


def remember_keys(
    conn: Connection, case_id: int, flow_id: str, keys: list[tuple[str, str, str]], about: str
) -> None:
    rows = [
        {"case_id": case_id, "flow_id": flow_id, "rule": r, "key": key, "topic": about}
        for r, _, key in dict.fromkeys(keys)
    ]
    conn.execute(insert(KEYS), rows)


def free_text(flow: Flow, answers: dict[str, Any]) -> str:
    """The claimant's own words in this case, normalised: letters and digits, lower case."""
    texts = [
        str(answers[step.field])
        for _, step in flow.asking_steps()
        if step.free_text and answers.get(step.field)
    ]
    return _NOT_WORD.sub(" ", " ".join(texts).casefold()).strip()


def text_bands(text: str) -> list[tuple[int, int]]:
    """(band, hash) of the text's MinHash signature; empty for texts too short to compare.

    Each band hashes ``ROWS_PER_BAND`` minima, so two texts share a band with probability
    about J^3 per band (J their shingle Jaccard similarity): near-copies almost surely share
    one of the 8, unrelated texts rarely.
    """
    if len(text) < MIN_TEXT:
        return []
    shingles = {
        int.from_bytes(hashlib.blake2b(text[i : i + SHINGLE].encode(), digest_size=8).digest())
        for i in range(len(text) - SHINGLE + 1)
    }
    minima = [min((a * x + b) % _PRIME for x in shingles) for a, b in _SEEDS]
    bands = []
    for band in range(BANDS_COUNT):
        part = minima[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND]
        digest = hashlib.blake2b(repr(part).encode(), digest_size=8).digest()
        bands.append((band, int.from_bytes(digest, signed=True)))
    return bands


def find_similar(
    conn: Connection,
    flow: Flow,
    text: str,
    bands: list[tuple[int, int]],
    claimant: tuple[str, str],
    before: int | None = None,
    opened: Callable[[dict[str, Any]], dict[str, Any]] = dict,
) -> Match | None:
    """The earliest case by *another* claimant whose free text is near-identical.

    ``opened`` gives a stored case's plain answers (``Keyring.open_answers`` when personal
    answers are encrypted at rest)."""
    if not bands:
        return None
    limit = NO_LIMIT if before is None else before
    candidates: set[int] = set()
    for band, value in bands:
        params = {"flow_id": flow.id, "band": band, "hash": value, "before": limit}
        candidates.update(conn.execute(_SHARING_A_BAND, params).scalars())
    for case_id in sorted(candidates)[:MAX_CANDIDATES]:
        row = conn.execute(_CASE_TEXT, {"case_id": case_id}).first()
        if row is None or (row.channel, row.user_key) == claimant:
            continue
        ratio = fuzz.ratio(text, free_text(flow, opened(row.answers or {})))
        if ratio >= SIMILAR_RATIO:
            return Match(case_id, "text", {"rule": "text", "ratio": round(ratio, 1)})
    return None


def remember_bands(
    conn: Connection, case_id: int, flow_id: str, bands: list[tuple[int, int]]
) -> None:
    if bands:
        rows = [{"case_id": case_id, "flow_id": flow_id, "band": n, "hash": h} for n, h in bands]
        conn.execute(insert(BANDS), rows)


def link(conn: Connection, case_id: int, match: Match, kind: str, now: dt.datetime) -> None:
    conn.execute(
        insert(LINKS),
        {
            "case_id": case_id,
            "other_id": match.case_id,
            "kind": kind,
            "rule": match.rule,
            "evidence": match.evidence,
            "at": now,
        },
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _keyed_digest(text: str, secret: bytes | None) -> str:
    if secret is None:
        return _digest(text)
    return hmac.new(secret, text.encode(), "sha256").hexdigest()[:32]
