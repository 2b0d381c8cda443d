"""In Chromium: a guest sends the contact form and sees the ticket number (SUP-1); a buyer writes a review and
visitors see approved reviews on the product page (CAT-4). Pages pass axe's WCAG 2.1 AA checks."""

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import SupportTicket
from accounts.support_services import contact_rate_limit
from shop import hooks
from shop.models import Review
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(tab):
    results = Axe().run(tab, options=WCAG_AA)
    return [f"{v['id']}: {v['help']} → {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]]


def fits(tab, width=375):
    scroll = tab.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"page is {scroll}px wide on a {width}px screen"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    contact_rate_limit.clear("127.0.0.1")
    yield
    contact_rate_limit.clear("127.0.0.1")


def test_sup1_guest_sends_the_contact_form_and_sees_the_ticket_number(live_server, page, screenshot):
    page.goto(live_server.url + "/en/contact/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact us")
    assert violations(page) == []
    screenshot(page, "contact-en")

    page.get_by_label("Your name").fill("Айгүл")
    page.get_by_label("E-mail").fill("aigul@example.kz")
    page.get_by_label("Phone").fill("8 701 123 45 67")
    page.get_by_label("Topic").select_option(label="Delivery")
    page.get_by_label("Order number").fill("A-1001")
    page.get_by_label("Message").fill("Где мой заказ? Курьер не позвонил.")
    page.get_by_role("button", name="Send the request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you! Your request has been sent.")
    number = page.locator(".ticket-number strong").inner_text()
    assert re.fullmatch(r"T-\d{6}", number)
    ticket = SupportTicket.objects.get()
    assert ticket.number == number and ticket.phone == "+77011234567" and ticket.language == "en"
    assert [m.to for m in mail.outbox] == [["aigul@example.kz"]] and number in mail.outbox[0].subject
    assert violations(page) == []
    screenshot(page, "contact-thanks-en")


def test_sup1_contact_form_on_a_phone_explains_a_missing_contact(live_server, phone, screenshot):
    phone.goto(live_server.url + "/en/contact/")
    fits(phone)
    screenshot(phone, "contact-phone")
    phone.get_by_label("Your name").fill("Болат")
    phone.get_by_label("Topic").select_option(label="Payment")
    phone.get_by_label("Message").fill("Не проходит оплата через Kaspi.")
    phone.get_by_role("button", name="Send the request").click()
    expect(phone.get_by_role("alert").first).to_contain_text("Give an e-mail or a phone number")
    fits(phone)
    assert violations(phone) == []
    screenshot(phone, "contact-phone-error")
    assert SupportTicket.objects.count() == 0


@pytest.fixture
def reviewed_kettle(django_user_model):
    kettle = f.product(slug="kettle", name_ru="Чайник Ақ", name_en="White kettle", price="15990", image=True)
    texts = [
        (5, "Айгүл", "Кипятит за две минуты, не пахнет пластиком. Крышка открывается одной рукой."),
        (4, "Болат", "Хороший чайник, но немного шумный. За свои деньги — отлично."),
        (3, "", "Нормально. Индикатор воды плохо видно вечером."),
    ]
    for n, (rating, first_name, text) in enumerate(texts):
        user = django_user_model.objects.create_user(email=f"r{n}@example.kz", password="pw", first_name=first_name)
        review = Review.objects.create(product=kettle, user=user, rating=rating, text=text, status="approved")
        Review.objects.filter(pk=review.pk).update(created_at=timezone.now() - timedelta(days=n * 3))
    return kettle


def sign_in(tab, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    tab.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def test_cat4_buyer_reviews_a_product_and_visitors_see_approved_reviews(
    live_server, page, reviewed_kettle, django_user_model, monkeypatch, screenshot
):
    buyer = django_user_model.objects.create_user(email="buyer@example.kz", password="pw", first_name="Дана")
    monkeypatch.setattr(hooks, "has_received_product", lambda *, user, product: user.pk == buyer.pk)
    page.goto(live_server.url + "/en/product/kettle/")
    reviews = page.locator("#reviews")
    expect(reviews.locator(".review")).to_have_count(3)
    expect(reviews).to_contain_text("Average rating: 4.0 of 5")
    expect(reviews.get_by_role("img", name="5 of 5")).to_have_count(1)
    assert violations(page) == []
    screenshot(page, "product-reviews-en")

    sign_in(page, live_server, buyer)
    reviews.get_by_role("link", name="Write a review").click()
    expect(page.get_by_role("group", name="Your rating")).to_be_visible()  # a fieldset with its legend
    assert violations(page) == []
    page.get_by_label("4 of 5 — good").check()
    page.get_by_label("Your review").fill("Отличный чайник, пользуемся каждый день.")
    screenshot(page, "review-form-en")
    page.get_by_role("button", name="Send the review").click()

    thanks = page.locator(".messages[role=status]")  # the page's messages, not the search box's live region
    expect(thanks).to_contain_text("It will appear on the product page after moderation.")
    assert re.search(r"/en/product/kettle/$", page.url)
    review = Review.objects.get(user=buyer)
    assert (review.rating, review.status) == (4, Review.Status.PENDING)
    expect(page.locator("#reviews .review")).to_have_count(3)  # not shown before moderation


def test_cat4_product_page_with_reviews_fits_a_phone(live_server, phone, reviewed_kettle, screenshot):
    phone.goto(live_server.url + "/product/kettle/")
    expect(phone.locator("#reviews .review")).to_have_count(3)
    fits(phone)
    assert violations(phone) == []
    screenshot(phone, "product-reviews-phone")
