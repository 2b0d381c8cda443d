"""Issue 16, item 5: Kazakh done properly — dates and times in each language's own form (a format module per
language: "2 желтоқсан 2026, 18:12", a 24-hour clock, the month in lower case inside a date), and no Russian on
a Kazakh or English page of the shopper's journeys, Django's own messages (password rules, e-mail) included.

Why Russian is hard to spot on a Kazakh page: Kazakh is written in Cyrillic too, with every Russian letter, so a
letter test proves nothing. Two detectors instead: (1) every Russian string the shop can show — the msgstr of our
Russian catalogue and of Django's and allauth's, which a missing Kazakh translation falls back to — that is not
also a Kazakh string, found verbatim in the page's text; (2) common Russian words that are not Kazakh words
("и", "для", "что", "или", "пожалуйста"...). An English page must hold no Cyrillic at all outside an element
that says it is in another language (the language menu's "Қазақша", a page shown in its original language)."""

import html
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import allauth
import django
import html5lib
import polib
import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import formats, translation
from django.utils.translation import pgettext

from orders.models import Order
from shop.models import Product
from tests import factories as f

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
RUSSIAN_WORDS = {
    "и", "в", "во", "для", "что", "или", "по", "это", "вы", "ваш", "ваша", "ваше", "ваши", "вашего", "вашей",
    "пожалуйста", "введите", "выберите", "нет", "есть", "без", "при", "заказ", "заказа", "корзина", "корзину",
    "доставка", "доставки", "оплата", "оплаты", "цена", "пароль", "пароля", "страница", "найдено", "если", "только",
}
RUSSIAN_CATALOGUES = [
    ROOT / "locale/ru/LC_MESSAGES/django.po",
    Path(django.__file__).parent / "conf/locale/ru/LC_MESSAGES/django.po",
    Path(django.__file__).parent / "contrib/auth/locale/ru/LC_MESSAGES/django.po",
    Path(django.__file__).parent / "contrib/admin/locale/ru/LC_MESSAGES/django.po",
]


def _catalogue_strings(path: Path) -> set[str]:
    if not path.exists():
        return set()
    strings = set()
    for entry in polib.pofile(str(path)):
        strings.update(value for value in (entry.msgstr, *entry.msgstr_plural.values()) if value)
    return strings


def russian_fragments() -> set[str]:
    """Russian strings the shop may show, cut at their placeholders, that no Kazakh catalogue also holds: the
    pieces of 12 characters or more with two words (short ones like "Каталог" are Kazakh too)."""
    catalogues = [*RUSSIAN_CATALOGUES, Path(allauth.__file__).parent / "locale/ru/LC_MESSAGES/django.po"]
    russian = set().union(*(_catalogue_strings(p) for p in catalogues))
    kazakh = _catalogue_strings(ROOT / "locale/kk/LC_MESSAGES/django.po") | _catalogue_strings(
        Path(django.__file__).parent / "conf/locale/kk/LC_MESSAGES/django.po"
    )
    fragments = set()
    for text in russian - kazakh:
        for piece in PLACEHOLDER.split(html.unescape(text)):
            piece = " ".join(piece.split()).strip(" .,:;—–-«»“”\"'()")
            russian_phrase = len(piece) >= 12 and " " in piece and re.search("[а-яё]", piece, re.I)
            if russian_phrase and not any(piece in k for k in kazakh):
                fragments.add(piece)
    return fragments


def visible_text(page_html: str, language: str) -> str:
    """What a reader sees or hears: text, and the alt/title/placeholder/aria-label/value attributes, the <title>
    and the meta description — leaving out elements marked as in another language."""
    tree = html5lib.parse(page_html, namespaceHTMLElements=False)
    parts: list[str] = []

    def walk(element, skip=False):
        lang = element.get("lang")
        skip = skip or (lang is not None and lang != language)
        if element.tag in ("script", "style", "template"):
            skip = True
        if not skip:
            parts.append(element.text or "")
            for name in ("alt", "title", "placeholder", "aria-label"):
                parts.append(element.get(name, ""))
            if element.tag == "meta" and element.get("name") == "description":
                parts.append(element.get("content", ""))
            if element.tag == "input" and element.get("type") in ("submit", "button"):
                parts.append(element.get("value", ""))
        for child in element:
            walk(child, skip)
            if not skip:
                parts.append(child.tail or "")

    walk(tree.getroot() if hasattr(tree, "getroot") else tree)
    return " ".join(" ".join(parts).split())


def russian_in(text: str, fragments: set[str]) -> list[str]:
    found = sorted(fragment for fragment in fragments if fragment in text)
    words = set(re.findall(r"[а-яёәғқңөұүһі]+", text.lower()))
    return found + sorted(words & RUSSIAN_WORDS)


# --- the journeys -----------------------------------------------------------------------------------------------


@pytest.fixture
def journey():
    """What a shopper meets: a category and a product written in every language, a delivery setup with Kazakh
    and English names, a customer with a placed order."""
    setup = f.delivery_setup()
    for place in (setup.pickup_point, setup.store):
        place.name_kk, place.name_en = "Беру пункті", "Pickup point"
        place.address_kk, place.address_en = "Абай к-сі, 1", "1 Abai St"
        place.save()
    setup.pickup_point.hours_kk = setup.pickup_point.hours_en = "10–20"
    setup.pickup_point.save()
    category = f.category(slug="kettles", name_ru="Чайники", name_kk="Шәйнектер", name_en="Kettles")
    f.product(category_=category, slug="kettle", name_ru="Чайник", name_kk="Шәйнек", name_en="Kettle",
              description_ru="Тихий чайник.", description_kk="Тыныш шәйнек.", description_en="A quiet kettle.")
    customer = get_user_model().objects.create_user(email="aigerim@example.kz", password="x", full_name="Aigerim")
    EmailAddress.objects.create(user=customer, email=customer.email, verified=True, primary=True)
    with translation.override("en"):  # placed from an English page: its snapshots (address, line names) in English
        order = f.placed_order(setup, user=customer, address="Abai 10", full_name="Aigerim", language="en")
    Order.objects.filter(pk=order.pk).update(placed_at=datetime(2026, 12, 2, 18, 12, tzinfo=ALMATY))
    return {"setup": setup, "customer": customer, "order": order}


def journey_pages(language: str, journey) -> dict[str, str]:
    """Each page of the journeys in `language`, by a name, as HTML: browsing, the cart and checkout (with the
    invalid e-mail message), sign-up (with the password rules' messages), the cabinet, the order page, errors."""
    prefix = f"/{language}"
    pages = {}
    guest = Client(HTTP_ORIGIN="http://testserver")
    for name, path in {
        "home": "/", "catalogue": "/catalog/", "category": "/catalog/kettles/", "product": "/product/kettle/",
        "search": "/search/?q=kettle", "nothing found": "/search/?q=zzzz", "contact": "/contact/",
        "find order": "/orders/find/", "login": "/accounts/login/", "signup": "/accounts/signup/",
        "password reset": "/accounts/password/reset/", "cookie settings": "/cookie-settings/", "404": "/no-such/",
    }.items():
        pages[name] = guest.get(prefix + path).content.decode()
    kettle = Product.objects.get(slug="kettle").variants.get()
    assert guest.post(f"{prefix}/cart/add/", {"variant": kettle.pk, "quantity": "1"}).status_code == 302
    pages["cart"] = guest.get(f"{prefix}/cart/").content.decode()
    pages["checkout"] = guest.get(f"{prefix}/checkout/").content.decode()
    pages["checkout, bad e-mail"] = guest.post(f"{prefix}/checkout/", {
        "action": "confirm", "full_name": "Aigerim", "email": "not-an-address", "phone": "+77011234567",
        "city": journey["setup"].city.pk, "delivery_method": "courier", "address": "Abai 10",
        "payment_method": "cod", "terms": "on",
    }).content.decode()
    pages["signup, weak password"] = Client().post(f"{prefix}/accounts/signup/", {
        "email": "new@example.kz", "full_name": "Dana", "password1": "123", "password2": "123",
        "age_confirmed": "on", "accept_terms": "on",
    }).content.decode()
    customer = Client()
    customer.force_login(journey["customer"])
    for name, path in {"cabinet": "/cabinet/", "my orders": "/cabinet/orders/", "profile": "/cabinet/profile/",
                       "password change": "/accounts/password/change/"}.items():
        pages[name] = customer.get(prefix + path).content.decode()
    with translation.override(language):
        pages["order"] = customer.get(journey["order"].get_absolute_url()).content.decode()
    return pages


def test_the_journeys_forms_show_django_messages(journey):
    """The pages that should show Django's messages really do (else the language checks below prove nothing)."""
    pages = journey_pages("en", journey)
    assert "Enter a valid email address." in html.unescape(pages["checkout, bad e-mail"])
    signup = html.unescape(pages["signup, weak password"])
    assert "This password is too short." in signup and "This password is entirely numeric." in signup


def test_kazakh_pages_of_the_journeys_have_no_russian(journey):
    fragments = russian_fragments()
    assert len(fragments) > 500  # the detector has something to look for
    found = {}
    for name, page in journey_pages("kk", journey).items():
        assert '<html lang="kk">' in page, name
        hits = russian_in(visible_text(page, "kk"), fragments)
        if hits:
            found[name] = hits
    assert found == {}


def test_english_pages_of_the_journeys_have_no_cyrillic(journey):
    found = {}
    for name, page in journey_pages("en", journey).items():
        assert '<html lang="en">' in page, name
        cyrillic = re.findall(r"\S*[а-яёәғқңөұүһі]\S*", visible_text(page, "en"), re.I)
        if cyrillic:
            found[name] = cyrillic[:10]
    assert found == {}


def test_the_detectors_catch_russian_on_a_kazakh_page():
    fragments = russian_fragments()
    page = '<html lang="kk"><body><p>Тапсырыс қабылданды.</p><p>Введите правильный адрес электронной почты.</p>'
    assert russian_in(visible_text(page, "kk"), fragments) != []
    assert russian_in(visible_text('<html lang="kk"><p>Тапсырыс қабылданды. Не іздейсіз?</p>', "kk"), fragments) == []
    assert russian_in(visible_text('<p lang="ru">Для дома и сада</p>', "kk"), fragments) == []  # marked as Russian


# --- dates and times --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "2 {month} 2026, 18:12"), ("ru", "2 {month} 2026 г., 18:12"), ("en", "2 December 2026, 18:12")],
)
def test_dates_are_day_month_year_with_a_24_hour_clock(language, expected):
    moment = datetime(2026, 12, 2, 18, 12, tzinfo=ALMATY)
    with translation.override(language):
        month = pgettext("alt. month", "December")  # the name inside a date (our catalogue: lower case in kk)
        assert formats.date_format(moment, "DATETIME_FORMAT") == expected.format(month=month)
        assert formats.time_format(moment, "TIME_FORMAT") == "18:12"
        assert formats.date_format(moment, "SHORT_DATE_FORMAT") == "02.12.2026"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
    assert "Т.Қ." not in expected and "p.m." not in expected


@pytest.mark.parametrize("language", ["kk", "en", "ru"])
def test_the_order_page_shows_when_it_was_placed_in_the_pages_language(journey, language):
    customer = Client()
    customer.force_login(journey["customer"])
    with translation.override(language):
        page = html.unescape(customer.get(journey["order"].get_absolute_url()).content.decode())
        placed = formats.date_format(datetime(2026, 12, 2, 18, 12, tzinfo=ALMATY), "DATETIME_FORMAT")
    assert placed in page and "18:12" in placed
    assert "Т.Қ." not in page and "p.m." not in page and "Жел. 2" not in page


def test_month_names_inside_a_kazakh_date_are_lower_case():
    with translation.override("kk"):
        assert formats.date_format(datetime(2026, 12, 2, 18, 12, tzinfo=ALMATY), "DATETIME_FORMAT") == (
            "2 желтоқсан 2026, 18:12"
        )
        assert formats.date_format(datetime(2026, 1, 5, tzinfo=ALMATY), "DATE_FORMAT") == "5 қаңтар 2026"


def test_the_kazakh_format_module_is_the_shops():
    assert settings.FORMAT_MODULE_PATH == ["config.formats"]
    with translation.override("kk"):
        assert formats.get_format("DATE_FORMAT") == "j E Y"
