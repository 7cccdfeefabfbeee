"""CSV and Excel exports of a list, with the same columns and labels as the page."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Font

from services.auth.principal import principal_of
from services.web.render import LOCAL
from services.web.table import Column

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def record_export(request: Request, what: str, rows: int) -> None:
    """Hook for the access log (issue 12): who exported which list, how many rows.

    Login and the access log do not exist yet; when they do, this writes the entry, and the
    exports are limited to the caller's jurisdiction before they reach here.
    """


def _revealed(request: Request, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Personal fields in clear for a role that needs them, masked otherwise (services.privacy)."""
    revealer = getattr(getattr(request.app.state, "container", None), "revealer", None)
    return rows if revealer is None else revealer.for_caller(principal_of(request)).rows(rows)


def _cells(columns: Sequence[Column], row: dict[str, Any]) -> list[Any]:
    return [(column.raw or column.value)(row) for column in columns]


def export(
    request: Request, what: str, title: str, columns: Sequence[Column], rows: list[dict[str, Any]]
) -> Response:
    """The rows as CSV (UTF-8 with BOM, so Excel reads Chinese) or as an .xlsx workbook."""
    fmt = request.query_params.get("format")
    record_export(request, what, len(rows))
    rows = _revealed(request, rows)
    stamp = datetime.now(LOCAL).strftime("%Y%m%d-%H%M")
    headings = [c.heading() for c in columns]
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = title[:31]
        sheet.append(headings)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(_cells(columns, row))
        for column in sheet.iter_cols(min_row=2):
            for cell in column:
                if isinstance(cell.value, Decimal):  # money: yuan, shown as ¥1,234.56
                    cell.number_format = '"¥"#,##0.00'
                    cell.value = float(cell.value)
        sheet.freeze_panes = "A2"
        out = io.BytesIO()
        book.save(out)
        body, media, ext = out.getvalue(), XLSX, "xlsx"
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(headings)
        writer.writerows(_cells(columns, row) for row in rows)
        body, media, ext = ("\ufeff" + text.getvalue()).encode("utf-8"), "text/csv", "csv"
    filename = f"{what}-{stamp}.{ext}"
    return Response(
        body,
        media_type=media,
        headers={
            "Content-Disposition": f"attachment; filename={filename}; "
            f"filename*=UTF-8''{quote(title)}-{stamp}.{ext}"
        },
    )
