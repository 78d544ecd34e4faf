"""Encryption at rest: no personal plaintext on disk, decrypts back, counts without the key."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.desk import Desk
from flows import Choose, Interview, Submit
from storage import Store, upgrade
from storage.duplicates import identity_keys
from storage.encryption import EncryptionKeyError, Keyring, new_key
from storage.export_rows import ExportQuery
from storage.tables import AttachmentRow, CaseKeyRow, CaseRow
from tests.storage.filed import survey_inputs
from tests.storage.retained import FILED, claimant, file_for, raw_dump, retained
from tests.storage.sample_flows import converse, say

KEY = new_key()
OTHER = new_key()


@pytest.fixture
def url(database_url: str) -> str:
    upgrade(database_url)
    return database_url


@pytest.fixture
def keyed(url: str) -> Iterator[Store]:
    with Store(url, pii_key=KEY) as store:
        store.publish_flow(retained())
        yield store


def _forms(text: str) -> list[str]:
    """A value as it could sit on disk: itself, and JSON-escaped (\\uXXXX for Hangul)."""
    return [text, json.dumps(text)[1:-1]]


def _file(store: Store) -> str:
    return file_for(store, Interview(retained()), claimant(1))


def test_encrypted_columns_hold_no_plaintext_and_decrypt_back(keyed: Store) -> None:
    ref = _file(keyed)
    who = claimant(1)
    disk = raw_dump(keyed.engine)
    for value in [who.phone_stored, who.story, "file-0", "file-1"]:
        for form in _forms(value):
            assert form not in disk, value
    assert "pii1:" in disk
    case = keyed.case(ref)
    assert case is not None
    assert case.answers["phone"] == who.phone_stored and case.answers["story"] == who.story
    assert [f.file_id for f in case.attachments] == ["file-0", "file-1"]
    assert [item["file_id"] for item in case.answers["evidence"]] == ["file-0", "file-1"]
    assert case.answers["claimant"] == "business", "non-personal answers stay plain"


def test_an_open_interview_is_stored_encrypted_and_resumes(keyed: Store) -> None:
    interview, who = Interview(retained()), claimant(2)
    inputs = survey_inputs("person", ["talk"], ["time"], None, None, 1, who.story, who.phone)
    converse(keyed, interview, who.user, *inputs[:-1], now=FILED)  # all but Submit
    disk = raw_dump(keyed.engine)
    for value in [who.phone_stored, who.story, "file-0"]:
        assert all(form not in disk for form in _forms(value)), value
    stored = keyed.current("test", who.user)
    assert stored is not None and stored.state.step == "confirm"
    assert stored.state.answers["story"] == who.story
    assert stored.state.answers["phone"] == who.phone_stored
    applied = converse(keyed, interview, who.user, Submit(), now=FILED)
    assert applied.case is not None
    case = keyed.case(applied.case.reference)
    assert case is not None and case.answers["story"] == who.story


def test_reports_and_counts_work_without_the_key(keyed: Store, url: str, tmp_path: Path) -> None:
    ref = _file(keyed)
    figures = keyed.aggregate("survey")
    with Store(url) as keyless:
        assert keyless.aggregate("survey") == figures
        assert keyless.recount("survey") == figures
        assert [c.reference for c in keyless.cases_of("test", claimant(1).user)] == [ref]
        with pytest.raises(EncryptionKeyError, match="PII_ENCRYPTION_KEY is not set"):
            keyless.case(ref)
        desk = Desk(keyless, {"survey": retained().flow}, tmp_path)
        masked = tmp_path / "masked.csv"
        job = desk.export_now(
            ExportQuery("survey"), format="csv", path=masked, masked=True, actor="op"
        )
        assert job.rows_done == 1
        assert "[masked]" in masked.read_text("utf-8-sig")


def test_an_unmasked_export_decrypts_with_the_key(keyed: Store, tmp_path: Path) -> None:
    _file(keyed)
    desk = Desk(keyed, {"survey": retained().flow}, tmp_path)
    clear = tmp_path / "clear.csv"
    desk.export_now(
        ExportQuery("survey"), format="csv", path=clear, masked=False, actor="op",
        reason="compensation payout",
    )  # fmt: skip
    text = clear.read_text("utf-8-sig")
    assert claimant(1).phone_stored in text and "pii1:" not in text


def test_duplicate_keys_are_keyed_hashes_and_still_find_repeats(keyed: Store) -> None:
    first = _file(keyed)
    flow = retained().flow
    who = claimant(1)
    plain = {k for _, _, k in identity_keys(flow, "test", who.user, {"phone": who.phone_stored})}
    with keyed.engine.connect() as conn:
        stored = set(conn.execute(select(CaseKeyRow.__table__.c.key)).scalars())
    assert stored and not stored & plain, "no plain (brute-forceable) hash of a phone number"
    again = file_for(keyed, Interview(retained()), who)
    case = keyed.case(again)
    assert case is not None and case.status == "duplicate" and case.duplicate_of == first


def test_a_wrong_key_is_refused_at_start_in_one_line(keyed: Store, url: str) -> None:
    _file(keyed)
    with pytest.raises(EncryptionKeyError) as refused:
        Store(url, pii_key=OTHER)
    assert "\n" not in str(refused.value)
    assert f"key id {Keyring(KEY).current_id}" in str(refused.value)
    with pytest.raises(EncryptionKeyError, match="32 bytes in URL-safe base64"):
        Store(url, pii_key="not-a-key")


def test_a_changed_ciphertext_does_not_decrypt(keyed: Store) -> None:
    ref = _file(keyed)
    case = keyed.case(ref)
    assert case is not None
    sealed = Keyring(KEY).seal("+821000000000", "answer:phone")
    with keyed.engine.begin() as conn:  # a value moved from another field: wrong context
        answers = {**case.answers, "phone": Keyring(KEY).seal("x", "answer:story")}
        conn.execute(update(CaseRow.__table__).values(answers=answers))
    with pytest.raises(EncryptionKeyError, match="does not decrypt"):
        keyed.case(ref)
    assert Keyring(KEY).open(sealed, "answer:phone") == "+821000000000"


def test_rotation_re_encrypts_everything_under_the_new_key(keyed: Store, url: str) -> None:
    ref = _file(keyed)
    say(keyed, Interview(retained()), "u9", None, now=FILED)
    say(keyed, Interview(retained()), "u9", Choose("agree"), now=FILED)
    old_id, new = Keyring(KEY).current_id, new_key()
    with Store(url, pii_key=new, pii_old_keys=[KEY]) as rotating:
        done = rotating.rotate_key()
    assert (done.conversations, done.cases, done.attachments) == (1, 1, 2)
    assert done.retired == [old_id]
    assert f"pii1:{old_id}:" not in raw_dump(keyed.engine)
    with Store(url, pii_key=new) as after:
        case = after.case(ref)
        assert case is not None and case.answers["story"] == claimant(1).story
        again = after.case(file_for(after, Interview(retained()), claimant(1)))
        assert again is not None and again.duplicate_of == ref, "keys re-made under the new key"
    with pytest.raises(EncryptionKeyError):
        Store(url, pii_key=KEY)


def test_turning_encryption_on_and_rotating_encrypts_what_was_plain(url: str) -> None:
    with Store(url) as plain:
        plain.publish_flow(retained())
        ref = _file(plain)
        assert claimant(1).phone_stored in raw_dump(plain.engine)
    with Store(url, pii_key=KEY) as keyed:
        keyed.rotate_key()
        assert claimant(1).phone_stored not in raw_dump(keyed.engine)
        case = keyed.case(ref)
        assert case is not None and case.answers["phone"] == claimant(1).phone_stored


def test_erasure_and_purge_need_no_key(keyed: Store, url: str) -> None:
    _file(keyed)
    file_for(keyed, Interview(retained()), claimant(3))
    with Store(url) as keyless:
        keyless.erase_user("test", claimant(1).user, actor="privacy-officer")
        assert keyless.purge(as_of=FILED + dt.timedelta(days=4 * 366)).cases == 1
    with keyed.engine.connect() as conn:
        cases = repr(conn.execute(select(CaseRow.__table__)).all())
        files = conn.execute(select(AttachmentRow.__table__)).all()
    assert "pii1:" not in cases and files == []
