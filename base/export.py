"""Tabular exports written once: rows and a header out as streamed CSV or write-only XLSX, formula injection defused.

A cell a customer typed (a name, an address, a batch label) may start with `=`, `+`, `-` or `@`; a spreadsheet
opening the file would run it as a formula (`=HYPERLINK(...)`, `=cmd|...`). Every text cell that starts with one
of those, or with a tab or carriage return, gets a leading apostrophe, so it shows as the text it was (OWASP
"CSV injection", the defusedcsv rule). Real numbers (int, Decimal, float) stay numbers: "-5" typed as text is
prefixed, Decimal("-5.00") is not. Rows are read one at a time from any iterable, so 100 000 rows cost the memory
of one: CSV is streamed as it is written, XLSX goes through openpyxl's write-only mode into a temporary file.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"  # spreadsheet programs read UTF-8 (Cyrillic, Kazakh) correctly only with it
SHEET_TITLE_MAX = 31  # Excel's limit

_NATIVE = (bool, int, float, Decimal, datetime, date, time)


def defuse(text: str) -> str:
    """`text` as a spreadsheet must show it: prefixed with an apostrophe when it could start a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _local(value):
    """Aware datetimes in the shop's time zone (what staff read), without losing the moment."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def csv_cell(value):
    """One CSV cell: nothing for None, datetimes as ISO 8601 in the shop's time, numbers as they are, text defused."""
    if value is None:
        return ""
    kind = value.__class__
    if kind is str:  # the common cases first: an export writes hundreds of thousands of cells
        return defuse(value)
    if kind is Decimal or kind is int:
        return value
    value = _local(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, _NATIVE):
        return value
    return defuse(str(value))


def xlsx_cell(value):
    """One XLSX cell: numbers and dates native (Excel has no time zones: local wall time), text defused and rid of
    the control characters XML cannot hold."""
    if value is None:
        return None
    kind = value.__class__
    if kind is Decimal or kind is int:
        return value
    value = _local(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if isinstance(value, _NATIVE):
        return value
    return defuse(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


class _Echo:
    """A file that hands back what is written to it: csv.writer then formats one row without buffering any."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence, rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text, one line at a time (the first with the BOM), pulling a row from `rows` only when asked."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([csv_cell(v) for v in header])
    for row in rows:
        yield writer.writerow([csv_cell(v) for v in row])


def csv_response(header: Sequence, rows: Iterable[Sequence], filename: str) -> StreamingHttpResponse:
    """A CSV download, streamed: the rows are read while the response is being sent."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def write_csv(file: IO[str], header: Sequence, rows: Iterable[Sequence]) -> int:
    """Write the CSV to a text file (open it with encoding="utf-8", newline=""); returns the rows written."""
    lines = csv_lines(header, rows)
    file.write(next(lines))  # the header
    count = 0
    for line in lines:
        file.write(line)
        count += 1
    return count


def _append_sheet(workbook: Workbook, title: str, header: Sequence, rows: Iterable[Sequence], formats) -> int:
    """One write-only sheet: a bold header, then the rows; `formats` (one per column, None for none) become each
    cell's number format — "#,##0.00" for money, "DD.MM.YYYY" for dates — so numbers and dates stay typed."""
    sheet = workbook.create_sheet(title=title[:SHEET_TITLE_MAX])
    bold = Font(bold=True)
    heading = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=xlsx_cell(value))
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    # One styled cell per formatted column, refilled on every row: a write-only sheet writes each row out as it
    # is appended, so the cell is free again afterwards — 100 000 rows cost six cells, not 600 000 styled ones.
    formatted = []
    for i, fmt in enumerate(formats or ()):
        if fmt:
            cell = WriteOnlyCell(sheet)
            cell.number_format = fmt
            formatted.append((i, cell))
    count = 0
    for row in rows:
        values = [xlsx_cell(v) for v in row]
        for i, cell in formatted:
            if values[i] is not None:
                cell.value = values[i]
                values[i] = cell
        sheet.append(values)
        count += 1
    return count


def write_xlsx(
    file: IO[bytes] | str,
    header: Sequence,
    rows: Iterable[Sequence],
    *,
    sheet_title: str = "Sheet",
    column_formats: Sequence[str | None] | None = None,
    more_sheets: Iterable[tuple[str, Sequence, Iterable[Sequence], Sequence[str | None] | None]] = (),
) -> int:
    """Write the rows as one XLSX sheet to a binary file or a path; returns the rows written. `more_sheets` are
    (title, header, rows, column_formats) written after it (e.g. totals, which may be computed while the main
    rows are read).

    openpyxl's write-only mode keeps no cells in memory: each row goes to a temporary file as it is appended."""
    workbook = Workbook(write_only=True)
    count = _append_sheet(workbook, sheet_title, header, rows, column_formats)
    for title, more_header, more_rows, formats in more_sheets:
        _append_sheet(workbook, title, more_header, more_rows, formats)
    workbook.save(file)
    return count


def xlsx_response(header: Sequence, rows: Iterable[Sequence], filename: str, *, sheet_title: str = "Sheet", **sheets):
    """An XLSX download: written to a temporary file first (a zip needs its end to write its index), then sent
    from it in chunks; the file disappears when the response is closed. `sheets`: write_xlsx's column_formats
    and more_sheets."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
    try:
        write_xlsx(file, header, rows, sheet_title=sheet_title, **sheets)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
