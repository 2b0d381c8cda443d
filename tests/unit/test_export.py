"""Tabular exports (base.export): formula injection defused in CSV and XLSX, numbers kept numbers, CSV streamed."""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import load_workbook

from base import export

HEADER = ("name", "amount")
DANGEROUS = ['=HYPERLINK("http://x","y")', "+7 701 000 00 00", "-5", "@SUM(A1)", "\tcmd", "\rcmd"]


def read_csv(response) -> list[list[str]]:
    text = b"".join(part if isinstance(part, bytes) else part.encode() for part in response.streaming_content)
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"), newline="")))


def read_xlsx(data: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_cells_that_could_start_a_formula_get_an_apostrophe(text):
    rows = read_csv(export.csv_response(HEADER, [(text, Decimal("1.00"))], "x.csv"))
    assert rows[1][0] == "'" + text


@pytest.mark.parametrize("text", DANGEROUS)
def test_xlsx_cells_that_could_start_a_formula_get_an_apostrophe_and_stay_text(text):
    buffer = io.BytesIO()
    export.write_xlsx(buffer, HEADER, [(text, Decimal("1.00"))])
    rows = read_xlsx(buffer.getvalue())
    assert rows[1][0] == "'" + text.replace("\r", "\n")  # XML reads a carriage return back as a line feed


def test_harmless_text_is_left_alone():
    assert export.defuse("Айгерим = friend") == "Айгерим = friend"
    assert export.csv_cell("Almaty") == "Almaty"
    assert export.xlsx_cell("Almaty") == "Almaty"


def test_numbers_stay_numbers_even_when_negative():
    # given: a Decimal and an int (real numbers) and the same value typed as text
    rows = [(Decimal("-5.00"), -5, "-5")]
    # when
    buffer = io.BytesIO()
    export.write_xlsx(buffer, ("decimal", "int", "text"), rows)
    csv_rows = read_csv(export.csv_response(("decimal", "int", "text"), rows, "x.csv"))
    # then: only the text is defused; the XLSX holds numbers
    assert csv_rows[1] == ["-5.00", "-5", "'-5"]
    decimal, integer, text = read_xlsx(buffer.getvalue())[1]
    assert decimal == -5 and isinstance(decimal, int | float) and integer == -5 and text == "'-5"


def test_xlsx_writes_decimals_as_numbers_and_aware_times_as_local_wall_time(settings):
    settings.TIME_ZONE = "Asia/Almaty"
    moment = datetime(2026, 3, 20, 4, 30, tzinfo=UTC)  # 09:30 in Almaty (UTC+5 since March 2024)
    buffer = io.BytesIO()
    export.write_xlsx(buffer, ("amount", "at", "none"), [(Decimal("12990.50"), moment, None)], sheet_title="Refunds")
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    sheet = workbook.active
    assert sheet.title == "Refunds"
    assert sheet["A2"].value == 12990.5 and sheet["A2"].data_type == "n"
    assert sheet["B2"].value == datetime(2026, 3, 20, 9, 30)
    assert sheet["C2"].value is None
    assert sheet["A1"].font.bold


def test_xlsx_drops_control_characters_xml_cannot_hold():
    buffer = io.BytesIO()
    export.write_xlsx(buffer, HEADER, [("Ai\x00gul\x07", 1)])
    assert read_xlsx(buffer.getvalue())[1] == ("Aigul", 1)


def test_csv_starts_with_a_bom_writes_none_as_empty_and_times_in_iso():
    moment = datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    lines = list(export.csv_lines(("a", "b", "c"), [(None, moment, True)]))
    assert lines[0].startswith("\ufeffa,b,c")
    assert lines[1].startswith(",2026-01-01T")
    assert lines[1].rstrip().endswith(",True")


def test_csv_response_streams_and_reads_rows_only_as_it_is_sent():
    # given: 100 000 rows from a generator that counts what was taken from it
    taken = 0

    def rows():
        nonlocal taken
        for i in range(100_000):
            taken += 1
            yield (f"code-{i}", Decimal(i))

    # when
    response = export.csv_response(HEADER, rows(), "big.csv")
    # then: nothing is read before sending, and sending pulls one row per line
    assert isinstance(response, StreamingHttpResponse) and response.streaming
    assert taken == 0
    content = iter(response.streaming_content)
    next(content)  # the header
    next(content)
    assert taken == 1
    assert sum(1 for _ in content) == 99_999
    assert taken == 100_000
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="big.csv"'


@pytest.mark.django_db  # closing a response sends request_finished, whose receiver looks at the connection
def test_xlsx_response_is_a_file_download_read_back_whole():
    response = export.xlsx_response(HEADER, ((f"n{i}", Decimal(i)) for i in range(1000)), "report.xlsx")
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == export.XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    rows = read_xlsx(b"".join(response.streaming_content))
    temporary = response.file_to_stream
    response.close()
    assert rows[0] == HEADER and len(rows) == 1001 and rows[-1] == ("n999", 999)
    assert temporary.closed  # the temporary file goes with the response


def test_write_csv_for_management_commands_counts_the_rows(tmp_path):
    path = tmp_path / "out.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        written = export.write_csv(file, HEADER, [("=1+1", Decimal("2.50")), ("ok", 3)])
    assert written == 2
    with path.open(encoding="utf-8-sig", newline="") as file:
        assert list(csv.reader(file)) == [["name", "amount"], ["'=1+1", "2.50"], ["ok", "3"]]
