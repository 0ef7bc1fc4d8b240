"""What pages show of someone's JP: the year asked for, and the standing in it (summary row, target or PPPK cap)."""

from __future__ import annotations

from flask import current_app, request
from sqlalchemy.orm import Session

from elearn.ledger.standing import Standing, standing
from elearn.ledger.summary import YearTotals
from elearn.models import Person
from elearn.services import ledger
from elearn.state import clock

FIRST_YEAR = 2000
YEAR_PARAMETER = "tahun"


def requested_year() -> int:
    """The year in `?tahun=` when it is a sensible one (2000 to next year), else this year of the office."""
    this_year = clock().today().year
    asked = request.args.get(YEAR_PARAMETER, type=int)
    return asked if asked is not None and FIRST_YEAR <= asked <= this_year + 1 else this_year


def standing_of(session: Session, person: Person, year: int) -> Standing:
    """The person's standing in `year`, read from the JP summary (one query)."""
    return standing_from(ledger.totals(session, person_id=person.id, year=year), person, year)


def standing_from(totals: YearTotals, person: Person, year: int) -> Standing:
    """The standing of `person` with `totals`, against ELEARN_JP_TARGET or, for PPPK, ELEARN_PPPK_JP_CAP."""
    return standing(
        totals,
        year=year,
        employment=person.employment,
        target=int(current_app.config["ELEARN_JP_TARGET"]),
        pppk_cap=int(current_app.config["ELEARN_PPPK_JP_CAP"]),
    )
