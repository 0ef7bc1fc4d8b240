"""Downloads of personal data: each one is written to the audit log (who, format, filters) and never cached."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask import request
from flask_login import current_user
from werkzeug.wrappers import Response

from elearn import security
from elearn.export import Row, csv_response, xlsx_response
from elearn.services import audit
from elearn.state import db_session


def personal_data_download(
    action: str, basename: str, header: Row, rows: Iterable[Row], *, filters: Mapping[str, str]
) -> Response:
    """`rows` as CSV, or XLSX with `?format=xlsx`; audited as `action` (committed before any row is read)."""
    file_format = "xlsx" if request.args.get("format") == "xlsx" else "csv"
    session = db_session()
    audit.record(
        session,
        actor=current_user._get_current_object(),
        action=action,
        ip=request.remote_addr,
        format=file_format,
        filters=dict(filters),
    )
    session.commit()
    filename = f"{basename}.{file_format}"
    write = xlsx_response if file_format == "xlsx" else csv_response
    return security.forbid_caching(write(filename, header, rows))
