"""FIN-1 / STAFF-1: the refund report in the admin — Finance opens and exports it (each export audited), Support and
customers get 403, bad query strings are form errors (never a 500), the page's query count does not grow with its
rows; the CSV (BOM, defused cells), the XLSX (typed cells, a totals sheet) and the PDF (totals, late refunds)."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import html5lib
import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from returns.models import RefundReportExport
from tests import refund_factories as rf

pytestmark = pytest.mark.django_db

DECEMBER = "date_from=2026-12-01&date_to=2026-12-31"
NOW = datetime(2026, 12, 20, 6, 0, tzinfo=UTC)  # 20.12.2026 11:00 in Almaty: rf.TODAY


@pytest.fixture(autouse=True)
def _english_and_today():
    with translation.override("en"), time_machine.travel(NOW, tick=False):
        yield


def member(django_user_model, group, email):
    user = django_user_model.objects.create_user(email=email, password="pw-123456", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def finance_user(django_user_model):
    return member(django_user_model, "Finance", "finance@example.kz")


@pytest.fixture
def finance(client, finance_user):
    client.force_login(finance_user)
    return client


@pytest.fixture
def support(client, django_user_model):
    client.force_login(member(django_user_model, "Support", "support@example.kz"))
    return client


@pytest.fixture
def refunds():
    return rf.december()


def page_url(query=DECEMBER):
    return reverse("admin:returns_refundreportexport_changelist") + "?" + query


def export_url(fmt, query=DECEMBER):
    return reverse("admin:returns_refundreport_export", args=[fmt]) + "?" + query


def body_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# --- who may ------------------------------------------------------------------------------------------------------


def test_staff1_finance_opens_the_report(finance, refunds):
    response = finance.get(page_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "RF-" in html and refunds["r3"].order.number in html
    assert "Әсел Нұрланқызы" in html


@pytest.mark.parametrize(
    "url",
    [
        lambda: page_url(),
        lambda: export_url("csv"),
        lambda: export_url("xlsx"),
        lambda: export_url("pdf"),
        lambda: reverse("admin:returns_refundreport_log"),
        lambda: reverse("admin:returns_refundreport_file", args=[1]),
    ],
)
def test_staff1_support_gets_403_on_the_page_and_every_export(support, url):
    assert support.get(url()).status_code == 403
    assert not RefundReportExport.objects.exists()


def test_staff1_support_cannot_start_a_background_export(support):
    response = support.post(reverse("admin:returns_refundreport_background"), {"format": "csv"})
    assert response.status_code == 403
    assert not RefundReportExport.objects.exists()


def test_staff1_customers_and_visitors_are_sent_to_the_admin_login(client, django_user_model):
    response = client.get(export_url("csv"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(django_user_model.objects.create_user(email="c@example.kz", password="pw-123456"))
    response = client.get(export_url("csv"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_staff1_the_report_is_on_the_admin_index_for_finance_only(finance, refunds):
    assert (
        reverse("admin:returns_refundreportexport_changelist") in finance.get(reverse("admin:index")).content.decode()
    )


# --- the page -----------------------------------------------------------------------------------------------------


def test_fin1_page_totals_and_rows_agree_with_the_fixture(finance, refunds):
    response = finance.get(page_url())
    context = response.context
    assert context["overall"].count == 5 and context["overall"].amount == Decimal("33000.00")
    assert context["overall"].late_count == 2
    rows = {row.pk: row for row in context["rows"]}
    assert set(rows) == {refunds[k].pk for k in ("r1", "r2", "r3", "r4", "r5")}
    r3 = rows[refunds["r3"].pk]
    assert (r3.overdue_days, r3.deductions, r3.items) == (5, Decimal("500.00"), f"{r3.items.split(' × ')[0]} × 3")
    assert rows[refunds["r2"].pk].delivery == Decimal("1500.00")


def test_fin1_chart_is_an_accessible_svg_readable_without_colour(finance, refunds):
    html = finance.get(page_url()).content.decode()
    assert 'role="img"' in html and '<title id="fin-chart-title">Refunds per day by payment method' in html
    assert '<desc id="fin-chart-desc">' in html and "2 late" in html
    assert html.count("<pattern ") >= 3  # one fill pattern per method, not colour alone
    assert "late refunds (count)" in html  # the legend names the late marker


@pytest.mark.parametrize(
    "query",
    [
        "date_from=2026-13-01&date_to=2026-12-31",
        "date_from=%00&date_to=2026-12-31",
        "date_from=2026-12-31&date_to=2026-12-01",
        "date_from=0001-01-01&date_to=9999-12-31",
        "date_from=2026-12-01&date_to=2026-12-31&status=bogus",
        "date_from=2026-12-01&date_to=2026-12-31&method=%FF%FE",
        "date_from=2026-12-01&date_to=2026-12-31&period=' OR 1=1",
        "date_from=" + "9" * 5000 + "&date_to=2026-12-31",
    ],
)
def test_fin1_bad_query_strings_are_form_errors_never_500(finance, refunds, query):
    page = finance.get(page_url(query))
    assert page.status_code == 400
    assert 'class="fin-errors"' in page.content.decode()
    for fmt in ("csv", "xlsx", "pdf"):
        assert finance.get(export_url(fmt, query)).status_code == 400
    assert not RefundReportExport.objects.exists()


def test_fin1_bad_page_number_shows_a_page(finance, refunds):
    assert finance.get(page_url(DECEMBER + "&page=-7")).status_code == 200
    assert finance.get(page_url(DECEMBER + "&page=%00")).status_code == 200


def test_fin1_unknown_export_format_is_404(finance):
    assert finance.get(export_url("exe")).status_code == 404


def test_fin1_page_query_count_is_constant(finance, refunds, django_assert_max_num_queries):
    order = refunds["r1"].order
    for day in range(1, 29):
        rf.refund(order, method="epay", claimed_at=rf.local(2026, 12, day, 12), due_by=date(2026, 12, day))
    with django_assert_max_num_queries(12):
        response = finance.get(page_url())
    assert len(response.context["rows"]) == 33


# --- exports ------------------------------------------------------------------------------------------------------


def test_fin1_csv_has_the_bom_defused_cells_and_exactly_the_filtered_rows(finance, finance_user, refunds):
    response = finance.get(export_url("csv", DECEMBER + "&method=cloudpayments&method=kaspi"))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    data = body_of(response)
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][:3] == ["Refund", "Order", "Customer"]
    assert [row[0] for row in table[1:]] == [refunds[k].number for k in ("r1", "r2", "r3")]
    by_number = {row[0]: row for row in table[1:]}
    assert by_number[refunds["r2"].number][14] == '\'=HYPERLINK("x")'  # provider reference, defused
    assert by_number[refunds["r3"].number][5] == "2500.00"
    assert by_number[refunds["r2"].number][10] == "2026-12-02T09:00:00+05:00"  # claimed at, shop time
    # audited: who, when, which filters, how many rows
    record = RefundReportExport.objects.get()
    assert (record.user, record.format, record.channel, record.state) == (finance_user, "csv", "download", "done")
    assert record.rows == record.total_rows == 3
    assert record.filters["methods"] == ["cloudpayments", "kaspi"]
    assert record.filters["date_from"] == "2026-12-01" and record.created_at is not None


def test_fin1_xlsx_has_typed_cells_and_a_totals_sheet(finance, refunds):
    response = finance.get(export_url("xlsx"))
    assert response.status_code == 200 and response.streaming
    book = load_workbook(io.BytesIO(body_of(response)))
    sheet = book["Refunds"]
    header = [cell.value for cell in sheet[1]]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert len(rows) == 5
    r2 = rows[refunds["r2"].number]
    amount = r2[header.index("Amount, KZT")]
    assert amount.value == 6500 and amount.data_type == "n" and amount.number_format == "#,##0.00"
    claimed = r2[header.index("Claimed at")]
    assert claimed.is_date and claimed.value == datetime(2026, 12, 2, 9, 0)  # shop-local wall time
    refunded = r2[header.index("Refunded at")]
    assert refunded.value == datetime(2026, 12, 8, 2, 0)
    assert r2[header.index("Deadline")].value.date() == date(2026, 12, 7)
    assert r2[header.index("Provider reference")].value == '\'=HYPERLINK("x")'
    assert r2[header.index("Overdue, days")].value == 1
    # every row keeps its own typed values (the styled cells are refilled row after row)
    amount_at, refunded_at = header.index("Amount, KZT"), header.index("Refunded at")
    assert {number: (row[amount_at].value, row[refunded_at].value) for number, row in rows.items()} == {
        refunds["r1"].number: (10000, datetime(2026, 12, 3, 12, 0)),
        refunds["r2"].number: (6500, datetime(2026, 12, 8, 2, 0)),
        refunds["r3"].number: (2500, None),
        refunds["r4"].number: (10000, None),
        refunds["r5"].number: (4000, None),
    }
    assert all(row[amount_at].number_format == "#,##0.00" for row in rows.values())
    totals = {row[0]: row[1:] for row in book["Totals"].iter_rows(min_row=2, values_only=True)}
    assert totals["Total"][:2] == (5, 33000)
    assert totals["Total"][4:] == (2, 9000)
    assert RefundReportExport.objects.get().rows == 5


def test_fin1_pdf_summary_holds_the_totals_and_the_late_refunds(finance, refunds):
    response = finance.get(export_url("pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "33 000" in text.replace("\u202f", " ")
    assert refunds["r3"].number in text and refunds["r2"].number in text and refunds["r4"].number not in text
    assert "chief accountant" in text
    assert RefundReportExport.objects.get(format="pdf").rows == 5


def test_fin1_export_log_lists_the_exports(finance, refunds):
    finance.get(export_url("pdf"))
    response = finance.get(reverse("admin:returns_refundreport_log"))
    assert response.status_code == 200
    assert "finance@example.kz" in response.content.decode()


def test_fin1_the_table_is_paged(finance, refunds, monkeypatch):
    monkeypatch.setattr("returns.report.admin.PER_PAGE", 2)
    first = finance.get(page_url()).content.decode()
    assert "Page 1 of 3" in first and "page=2" in first
    third = finance.get(page_url(DECEMBER + "&page=3"))
    assert [row.pk for row in third.context["rows"]] == [refunds["r4"].pk]  # claimed last


def test_fin1_the_report_page_is_valid_html5(finance, refunds, monkeypatch, settings):
    """html5lib in strict mode raises on any parse error — the inline SVG chart included; with the pager and the
    background form showing too."""
    settings.SHOP_REFUND_EXPORT_BACKGROUND_FROM = 1
    monkeypatch.setattr("returns.report.admin.PER_PAGE", 2)
    for query in (DECEMBER, "date_from=x&date_to=2026-12-31"):
        response = finance.get(page_url(query))
        html5lib.HTMLParser(strict=True).parse(response.content, transport_encoding="utf-8")
