"""LEG-3: the seller's details are admin-editable data (one row) shown in every page's footer, on the contact page
and in every mail, in the reader's language; every page has a <meta name="description">."""

import html

import html5lib
import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation

from shop.demo_catalogue import demo_seller_details
from shop.models import SellerDetails
from tests import factories as f

pytestmark = pytest.mark.django_db

EDITED = {
    "company_name_ru": "ТОО «Тестовый продавец»",
    "company_name_kk": "«Сынақ сатушы» ЖШС",
    "company_name_en": "Test Seller LLP",
    "bin": "900324400726",  # a BIN with a correct check digit (the second round of weights)
    "legal_address_ru": "010002, г. Астана, ул. Улы Дала, 54",
    "legal_address_kk": "010002, Астана қ., Ұлы дала к-сі, 54",
    "legal_address_en": "54 Uly Dala Ave, Astana 010002",
    "bank_name_ru": "АО «Тест Банк»",
    "bank_name_kk": "«Тест Банк» АҚ",
    "bank_name_en": "Test Bank JSC",
    "iik": "KZ070000000000000000",
    "bik": "CASPKZKA",
    "phone": "+7 (777) 99-333-11",
    "email": "seller@example.kz",
    "opening_hours_ru": "ежедневно 10:00–22:00",
    "opening_hours_kk": "күн сайын 10:00–22:00",
    "opening_hours_en": "daily 10:00–22:00",
}


@pytest.fixture(autouse=True)
def _russian():
    """Requests to /en/ leave English active in this thread: every test starts from the default language."""
    with translation.override(django_settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def seller_row():
    """The row the data migration creates (a flushing test elsewhere may have removed it)."""
    row, _ = SellerDetails.objects.get_or_create(id=SellerDetails.SINGLE_ROW, defaults=demo_seller_details())
    return row


@pytest.fixture
def staff_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="admin@example.kz", password="pw-123456")
    client.force_login(admin)
    return client


def change_url(row) -> str:
    return reverse("admin:shop_sellerdetails_change", args=[row.pk])


def edit_in_admin(staff_client, row, **overrides):
    return staff_client.post(change_url(row), {**EDITED, **overrides})


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def meta_description(body: str) -> str:
    document = html5lib.parse(body, namespaceHTMLElements=False)
    metas = [m for m in document.iter("meta") if m.get("name") == "description"]
    assert len(metas) == 1
    return metas[0].get("content")


# --- the admin -------------------------------------------------------------------------------------------------------


def test_leg3_seller_details_edited_in_the_admin_show_in_footer_and_contact_page_in_ru_and_en(
    staff_client, client, seller_row
):
    # given: the staff edits the details
    response = edit_in_admin(staff_client, seller_row)
    assert response.status_code == 302, response.content.decode()[:3000]
    # then: the footer of a cached catalogue page and the contact page show them, in each language
    for language, company, address, hours in (
        ("ru", "ТОО «Тестовый продавец»", "010002, г. Астана, ул. Улы Дала, 54", "ежедневно 10:00–22:00"),
        ("en", "Test Seller LLP", "54 Uly Dala Ave, Astana 010002", "daily 10:00–22:00"),
    ):
        with translation.override(language):
            home, contact = reverse("shop:home"), reverse("support:contact")
        for body in (page(client, home), page(client, contact)):
            text = html.unescape(body)
            assert "<address>" in body
            for shown in (company, "900324400726", address, "+7 (777) 99-333-11", "seller@example.kz", hours):
                assert shown in text, (language, shown)
        contact_text = html.unescape(page(client, contact))
        assert "KZ070000000000000000" in contact_text and "CASPKZKA" in contact_text
        assert ("Test Bank JSC" in contact_text) == (language == "en")
        assert "demo" not in contact_text.split("<footer")[1] and "демо" not in contact_text.split("<footer")[1]


def test_leg3_admin_allows_no_second_row_and_no_delete(staff_client, seller_row):
    assert staff_client.get(reverse("admin:shop_sellerdetails_add")).status_code == 403
    response = staff_client.post(reverse("admin:shop_sellerdetails_add"), {**EDITED})
    assert response.status_code == 403
    assert staff_client.get(reverse("admin:shop_sellerdetails_delete", args=[seller_row.pk])).status_code == 403
    assert SellerDetails.objects.count() == 1
    # the list leads straight to the one row
    response = staff_client.get(reverse("admin:shop_sellerdetails_changelist"))
    assert response.status_code == 302 and response["Location"] == change_url(seller_row)


def test_leg3_admin_refuses_an_invalid_bin_with_a_message(staff_client, seller_row):
    # 900324400727: twelve digits, but the check digit is wrong
    for wrong in ("900324400727", "12345", "90032440072a"):
        response = edit_in_admin(staff_client, seller_row, bin=wrong)
        assert response.status_code == 200
        assert "the last digit matches the check digit" in response.content.decode() or "контрольная" in (
            response.content.decode()
        )
    seller_row.refresh_from_db()
    assert seller_row.bin == demo_seller_details()["bin"]


def test_leg3_database_keeps_a_single_row(seller_row):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SellerDetails.objects.create(id=2, **EDITED)


# --- mails -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "en"])
def test_leg3_order_mail_carries_the_seller_details_in_the_orders_language(
    staff_client, seller_row, django_capture_on_commit_callbacks, mailoutbox, language
):
    # given: edited details
    assert edit_in_admin(staff_client, seller_row).status_code == 302
    setup = f.delivery_setup()
    # when: an order is placed from a request in the other language
    other = "en" if language == "ru" else "ru"
    with translation.override(other), django_capture_on_commit_callbacks(execute=True):
        f.placed_order(setup, language=language)
    # then
    message = mailoutbox[-1]
    body, (html_body, _kind) = message.body, message.alternatives[0]
    html5lib.HTMLParser(strict=True).parse(html_body)
    company = "Test Seller LLP" if language == "en" else "ТОО «Тестовый продавец»"
    hours = "daily 10:00–22:00" if language == "en" else "ежедневно 10:00–22:00"
    bin_label = "BIN" if language == "en" else "БИН"
    assert f"{company}, {bin_label} 900324400726" in body  # plain text: not escaped
    assert "seller@example.kz" in body and hours in body
    assert "<address" in html_body and html.escape(company) in html_body and "900324400726" in html_body


def test_leg3_seller_details_are_cached_per_catalogue_version(staff_client, seller_row, django_assert_num_queries):
    from shop.selectors import seller_details

    seller_details("ru")
    with django_assert_num_queries(0):
        assert seller_details("en")["company_name"] == demo_seller_details()["company_name_en"]
    assert edit_in_admin(staff_client, seller_row).status_code == 302
    assert seller_details("en")["company_name"] == "Test Seller LLP"  # the save started a new version


# --- <meta name="description"> ---------------------------------------------------------------------------------------


def test_leg3_product_page_meta_description_is_its_descriptions_first_words_escaped(client):
    words = "Пылесос <b>Samal</b> & «тихий» \"режим\" " + " ".join(f"слово{i}" for i in range(60))
    item = f.product(description_ru=words + "\n\nВторой абзац.", description_en="Quiet <vacuum> & more.")
    body = page(client, reverse("shop:product", kwargs={"slug": item.slug}))
    content = meta_description(body)
    assert content.startswith('Пылесос <b>Samal</b> & «тихий» "режим" слово0 слово1')
    assert len(content) <= 160 and content.endswith("…")
    assert "<b>Samal</b>" not in body.split("<title>")[0]  # escaped in the attribute, not markup
    assert "&lt;b&gt;Samal&lt;/b&gt; &amp;" in body.split("<title>")[0]
    # in the page's language
    with translation.override("en"):
        english = reverse("shop:product", kwargs={"slug": item.slug})
    assert meta_description(page(client, english)) == "Quiet <vacuum> & more."


def test_leg3_category_meta_description_is_its_name_and_description(client):
    category = f.category(name_ru="Пылесосы", description_ru="Для дома и офиса.")
    f.product(category_=category)
    body = page(client, reverse("shop:category", kwargs={"slug": category.slug}))
    assert meta_description(body) == "Пылесосы. Для дома и офиса."


def test_leg3_page_without_a_description_gets_the_default(client):
    item = f.product(description_ru="")
    expected_ru = f"{django_settings.SHOP_NAME} — интернет-магазин с доставкой по всему Казахстану."
    assert meta_description(page(client, reverse("shop:product", kwargs={"slug": item.slug}))).startswith(expected_ru)
    assert meta_description(page(client, reverse("support:contact"))).startswith(expected_ru)
    with translation.override("en"):
        contact = reverse("support:contact")
    assert meta_description(page(client, contact)).startswith(
        f"{django_settings.SHOP_NAME} — an online shop with delivery across Kazakhstan."
    )
    assert "Kazakhstan" in meta_description(page(client, reverse("shop:home")))  # the home page has its own text
