"""FIN-1: `manage.py export_refunds` — the report's formats as a command for a scheduled job, and its errors (a clear
message, exit status 2). Runs are audited like downloads."""

import csv
import io
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from returns.models import RefundReportExport
from tests import refund_factories as rf

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
DECEMBER = ["--from", "2026-12-01", "--to", "2026-12-31"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 12, 20, 6, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def refunds():
    return rf.december()


def test_fin1_csv_to_stdout_with_the_bom(refunds):
    out = io.StringIO()
    call_command("export_refunds", *DECEMBER, "--status", "done", stdout=out)
    text = out.getvalue()
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row[0] for row in table[1:]] == [refunds["r1"].number, refunds["r2"].number]
    record = RefundReportExport.objects.get()
    assert (record.channel, record.format, record.rows, record.user) == ("command", "csv", 2, None)
    assert record.requested_by.startswith("manage.py export_refunds")


def test_fin1_method_card_means_every_card_method(refunds, tmp_path):
    target = tmp_path / "card.csv"
    call_command("export_refunds", *DECEMBER, "--method", "card", "--output", str(target), stderr=io.StringIO())
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))[1:]
    assert {row[0] for row in rows} == {refunds["r1"].number, refunds["r2"].number}  # cloudpayments is a card


def test_fin1_xlsx_and_pdf_to_files(refunds, tmp_path):
    xlsx, pdf = tmp_path / "r.xlsx", tmp_path / "r.pdf"
    call_command(
        "export_refunds",
        *DECEMBER,
        "--format",
        "xlsx",
        "--output",
        str(xlsx),
        "--language",
        "en",
        stderr=io.StringIO(),
    )
    call_command(
        "export_refunds",
        *DECEMBER,
        "--status",
        "overdue",
        "--format",
        "pdf",
        "--output",
        str(pdf),
        stderr=io.StringIO(),
    )
    book = load_workbook(xlsx)
    assert book["Refunds"].max_row == 6 and "Totals" in book.sheetnames
    text = PdfReader(pdf).pages[0].extract_text()
    assert refunds["r3"].number in text and refunds["r4"].number not in text
    assert sorted(RefundReportExport.objects.values_list("format", "rows")) == [("pdf", 1), ("xlsx", 5)]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2026-12-32", "--to", "2026-12-31"], "--from"),
        (["--from", "2026-12-31", "--to", "2026-12-01"], "--to"),
        ([*DECEMBER, "--method", "bitcoin"], "--method"),
        ([*DECEMBER, "--status", "lost"], "--status"),
        ([*DECEMBER, "--period", "shipped"], "--period"),
        ([*DECEMBER, "--format", "xlsx"], "needs --output"),
        ([*DECEMBER, "--output", "/nonexistent-dir/x.csv"], "cannot write"),
    ],
)
def test_fin1_bad_arguments_give_a_clear_message_and_status_2(refunds, args, message):
    with pytest.raises(CommandError) as raised:
        call_command("export_refunds", *args, stdout=io.StringIO())
    assert message in str(raised.value)
    assert raised.value.returncode == 2


def test_fin1_from_the_shell_bad_arguments_exit_2():
    """As a scheduled job sees it: argparse's own errors (a missing --to, an unknown format) exit 2 too."""
    for args in (["--from", "2026-12-01"], [*DECEMBER, "--format", "doc"], ["--from", "x", "--to", "y"]):
        result = subprocess.run(
            [sys.executable, "manage.py", "export_refunds", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 2, result.stderr
        assert "error" in result.stderr.lower()
