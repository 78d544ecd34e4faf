"""Filing survey cases through the real engine and Store.apply, for the case and report tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from flows import Choose, Done, Interview, Skip, Submit, Text, Toggle, Upload, UserInput
from storage import CaseRef, Store
from tests.storage.sample_flows import converse


def survey_inputs(
    claimant: str,
    services: Sequence[str],
    harms: Sequence[str],
    loss: int | str | None,
    hours: int | None,
    files: int = 0,
    story: str | None = None,
    phone: str | None = None,
) -> list[UserInput]:
    """The messages a claimant sends to file one survey case with these answers."""
    given: list[UserInput] = [Choose("agree"), Choose(claimant)]
    given += [Toggle(s) for s in services] + [Done()]
    given += [Toggle(h) for h in harms] + [Done()]
    given.append(Text(str(loss)) if loss is not None else Skip())
    given.append(Text(str(hours)) if hours is not None else Skip())
    uploads = [
        Upload(f"file-{n}", "photo", size=1000 + n, mime_type="image/jpeg") for n in range(files)
    ]
    given += [*uploads, Done()] if files else [Skip()]
    given.append(Text(story) if story else Skip())
    given.append(Text(phone) if phone else Skip())
    given.append(Submit())
    return given


def file_survey(
    store: Store,
    interview: Interview,
    user: str,
    *,
    now: dt.datetime,
    claimant: str = "person",
    services: Sequence[str] = ("talk",),
    harms: Sequence[str] = ("time",),
    loss: int | str | None = None,
    hours: int | None = None,
    files: int = 0,
    story: str | None = None,
    phone: str | None = None,
) -> CaseRef:
    inputs = survey_inputs(claimant, services, harms, loss, hours, files, story, phone)
    applied = converse(store, interview, user, *inputs, now=now)
    assert applied.case is not None, applied.outcome
    return applied.case
