"""The returns documents as real PDFs (issue 12, WAR-7, LEG-3): the complaint form (blank and from a claim), the act
of satisfaction, the refund receipt and the standard withdrawal form. Each renders to A4 with the seller's legal
details; its text, read back with pypdf, holds the claim number, the customer's name and every Kazakh letter, and
the only fonts it embeds are DejaVu (which has them all). One page is rendered to PNG for a person to look at."""

import io
import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image
from pypdf import PdfReader

from base.money import format_money
from orders.models import Order
from returns import documents
from returns.warranty import deadlines, services
from returns.warranty import documents as warranty_documents
from shop.demo_catalogue import demo_seller_details
from shop.models import Page, SellerDetails
from tests import factories as f
from tests import refund_factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

KAZAKH_LETTERS = "әғқңөұүһі"
CUSTOMER = "Әлия Ғалымқызы Құрманғазиева"  # every Kazakh letter across the name and the item below
PRODUCT = "Шаңсорғыш өңдегіш үйге һәм ұлттық"
A4_POINTS = (595.28, 841.89)


@pytest.fixture
def seller():
    row, _ = SellerDetails.objects.get_or_create(id=SellerDetails.SINGLE_ROW, defaults=demo_seller_details())
    return row


@pytest.fixture
def claim(seller):
    setup = f.delivery_setup()
    order = f.placed_order(setup, items=(("30000.00", 1),))
    Order.objects.filter(pk=order.pk).update(
        status="delivered", delivered_at=timezone.now() - timedelta(days=20), paid_amount=order.total
    )
    order.lines.update(warranty_months=12, product_name=PRODUCT)
    order.refresh_from_db()
    return services.file_claim(
        order=order,
        order_line=order.lines.get(),
        data=services.ClaimData(
            description="Қосылмайды, түймесі жұмыс істемейді",
            defect_found_on=deadlines.today() - timedelta(days=2),
            preferred_remedy="refund",
            amount_claimed=Decimal("30000"),
            contact_name=CUSTOMER,
            contact_email=order.email,
            serial_number="SN-ҚӨ-1",
            language="kk",
        ),
    )


def read(pdf: bytes) -> tuple[str, PdfReader]:
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def fonts_of(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def assert_document(pdf: bytes, *expected: str) -> str:
    text, reader = read(pdf)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (round(A4_POINTS[0]), round(A4_POINTS[1]))  # A4
    for part in expected:
        assert part in text, part
    assert all("DejaVu" in name for name in fonts_of(reader)), fonts_of(reader)
    return text


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_complaint_form_from_a_claim_holds_number_customer_item_and_seller(claim, seller, language):
    text = assert_document(
        warranty_documents.complaint_form_pdf(claim, language=language),
        claim.number,
        CUSTOMER,
        PRODUCT,
        claim.order.number,
        seller.bin,
        "SN-ҚӨ-1",
    )
    assert set(KAZAKH_LETTERS) <= set(text.lower())


def test_act_of_satisfaction_wa7_after_the_refund_remedy(claim, seller, django_user_model):
    staff = django_user_model.objects.create_user(email="s@example.kz", password="pw-123456", is_staff=True)
    resolved = services.resolve(claim=claim, actor=staff, remedy="refund", note="Ақша қайтарылады")
    text = assert_document(
        warranty_documents.act_pdf(resolved, language="kk"), claim.number, CUSTOMER, PRODUCT, resolved.refund.number
    )
    assert set(KAZAKH_LETTERS) <= set(text.lower())
    receipt = assert_document(
        documents.refund_receipt_pdf(resolved.refund, language="ru"), resolved.refund.number, claim.order.number
    )
    assert PRODUCT in " ".join(receipt.split())


def test_act_only_for_a_resolved_claim(claim):
    with pytest.raises(ValueError):
        warranty_documents.act_pdf(claim)


def test_blank_forms_are_served_as_pdf(client, seller):
    with translation.override("kk"):
        complaint = client.get(reverse("warranty:blank_complaint"))
        withdrawal = client.get(reverse("warranty:blank_withdrawal"))
    for response in (complaint, withdrawal):
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert_document(response.content, seller.bin)


def test_withdrawal_form_prefilled_from_an_order(seller):
    order = f.placed_order(f.delivery_setup(), full_name=CUSTOMER)
    assert_document(documents.withdrawal_form_pdf(language="ru", order=order), order.number, CUSTOMER)


def test_customer_downloads_the_claim_pdf_from_the_timeline(client, claim):
    response = client.get(reverse("warranty:document", args=[claim.access_token, "complaint"]))
    assert response.status_code == 200
    assert claim.number in read(response.content)[0]


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm (poppler-utils) is not installed")
def test_the_act_renders_to_a_png_page(claim, django_user_model, tmp_path):
    """A page rendered to PNG (pdftoppm), kept under the system's temp dir for a person to look at; it is an A4
    page at 50 dpi with ink on it."""
    staff = django_user_model.objects.create_user(email="s2@example.kz", password="pw-123456", is_staff=True)
    resolved = services.resolve(claim=claim, actor=staff, remedy="repair", note="Тақта ауыстырылды")
    pdf_path = tmp_path / "act.pdf"
    pdf_path.write_bytes(warranty_documents.act_pdf(resolved, language="kk"))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf_path), str(tmp_path / "act")], check=True
    )
    png = next(Path(tmp_path).glob("act*.png"))
    with Image.open(png) as page:
        assert page.size[0] in (413, 414) and page.size[1] in (584, 585)  # A4 at 50 dpi
        assert page.convert("L").getextrema()[0] < 80  # dark text on the page


def test_legal_pages_link_the_blank_forms(client):
    Page.objects.update_or_create(slug="warranty", defaults={"title": "Гарантия", "body": "Текст"})
    Page.objects.update_or_create(slug="returns", defaults={"title": "Возврат", "body": "Текст"})
    warranty = client.get(reverse("shop:page", kwargs={"slug": "warranty"})).content.decode()
    returns = client.get(reverse("shop:page", kwargs={"slug": "returns"})).content.decode()
    assert reverse("warranty:blank_complaint") in warranty and reverse("warranty:find") in warranty
    assert reverse("warranty:blank_withdrawal") in returns


# --- The refund receipt from the refunds admin (REF, STAFF-1) ----------------------------------------------------


def _staff(django_user_model, email, *groups):
    user = django_user_model.objects.create_user(email=email, password="pw-123456", is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def _plain(text: str) -> str:
    """Extracted text with the no-break and thin spaces of money as plain spaces, runs of spaces as one."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.mark.parametrize("group", ["Support", "Finance"])
def test_ref_staff_who_see_refunds_download_the_refund_receipt_from_its_admin_page(
    client, seller, django_user_model, group
):
    """REF/STAFF-1: Support and Finance (who may view refunds) download the refund's receipt from the refund's admin
    page: a PDF whose text holds the refund number and the amount; the download goes to the refund's history."""
    # given
    order = f.placed_order(f.delivery_setup(), items=(("12345.00", 1),))
    refund = refund_factories.refund(order, goods="12345.00", claimed_at=timezone.now())
    client.force_login(_staff(django_user_model, "staff@example.kz", group))
    with translation.override("en"):
        change, receipt = (reverse(f"admin:returns_refund_{name}", args=[refund.pk]) for name in ("change", "receipt"))
    # when
    page = client.get(change)
    response = client.get(receipt)
    # then
    assert page.status_code == 200 and f'href="{receipt}"' in page.content.decode()
    assert response.status_code == 200 and response["Content-Type"] == documents.PDF
    assert response["Content-Disposition"] == f'attachment; filename="{refund.number}.pdf"'
    text, _reader = read(response.content)
    assert refund.number in text and order.number in text
    assert _plain(format_money(refund.amount)) in _plain(text)
    assert LogEntry.objects.filter(object_id=str(refund.pk), change_message="refund receipt downloaded").count() == 1


def test_ref_the_refund_receipt_is_refused_to_staff_who_may_not_see_refunds_and_404_for_no_refund(
    client, seller, django_user_model
):
    """STAFF-1: staff without the refunds' view permission get 403 (whether the refund exists or not); a missing
    refund is 404 for staff who may see refunds."""
    order = f.placed_order(f.delivery_setup())
    refund = refund_factories.refund(order, claimed_at=timezone.now())
    client.force_login(_staff(django_user_model, "nobody@example.kz"))
    assert client.get(reverse("admin:returns_refund_receipt", args=[refund.pk])).status_code == 403
    assert client.get(reverse("admin:returns_refund_receipt", args=[refund.pk + 1000])).status_code == 403
    client.force_login(_staff(django_user_model, "support@example.kz", "Support"))
    assert client.get(reverse("admin:returns_refund_receipt", args=[refund.pk + 1000])).status_code == 404
    assert client.get(reverse("admin:returns_refund_receipt", args=["not-a-number"])).status_code == 404
