"""The customer's account journey in Chromium (ACC-1, ACC-3, ACC-4): register, confirm by the link in the
mail, sign in, correct the profile, add an address, switch language, sign out."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Address, TermsAcceptance, User

pytestmark = pytest.mark.django_db(transaction=True)


def test_acc1_acc3_register_confirm_sign_in_edit_profile_add_address_switch_language_sign_out(
    live_server, page, mailoutbox, screenshot
):
    # given: a shopper on the home page
    page.goto(live_server.url + "/en/")
    page.locator(".user-nav .icon-link").first.click()  # the cabinet icon leads to sign-in
    page.get_by_role("link", name="Registration").click()

    # when: they register
    page.get_by_label("E-mail").fill("aigerim@example.kz")
    page.get_by_label("Full name").fill("Aigerim Sadykova")
    page.get_by_label("Password", exact=True).fill("Steppe-Wind-2026")
    page.get_by_label("Password (again)").fill("Steppe-Wind-2026")
    page.get_by_label("I am 16 years of age or older").check()
    page.get_by_label("I have read and accept the terms of sale").check()
    screenshot(page, "signup-en")
    page.get_by_role("button", name="Register").click()

    # then: a confirmation mail arrives (through the Celery task) and sign-in waits for it
    user = User.objects.get(email="aigerim@example.kz")
    assert TermsAcceptance.objects.filter(user=user, context="signup", age_confirmed=True).exists()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)

    page.goto(live_server.url + path)
    page.get_by_role("button", name="Confirm").click()

    page.goto(live_server.url + "/en/accounts/login/")
    page.get_by_label("E-mail").fill("Aigerim@Example.kz")  # any case
    page.get_by_label("Password").fill("Steppe-Wind-2026")
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + "/en/cabinet/")
    expect(page.locator("main")).to_contain_text("Aigerim")

    # the profile: correct the name, add a phone, opt in to news
    page.goto(live_server.url + "/en/cabinet/profile/")
    page.get_by_label("Full name").fill("Aigerim Sadykqyzy")
    page.get_by_label("Phone").fill("8 701 123 45 67")
    page.get_by_label("Send me news and special offers by e-mail").check()
    page.get_by_role("button", name="Save").click()
    user.refresh_from_db()
    assert user.full_name == "Aigerim Sadykqyzy"
    assert user.phone == "+77011234567"
    assert user.marketing_opt_in is True

    # an address
    page.goto(live_server.url + "/en/cabinet/addresses/add/")
    page.get_by_label("Recipient", exact=True).fill("Aigerim Sadykqyzy")
    page.get_by_label("Recipient's phone").fill("+7 701 123 45 67")
    page.get_by_label("City or town").fill("Almaty")
    page.get_by_label("Street and house").fill("Abay Ave 10")
    page.get_by_role("button", name="Save the address").click()
    expect(page.locator("main")).to_contain_text("Abay Ave 10")
    address = Address.objects.get(user=user)
    assert address.is_default  # the first address becomes the default
    screenshot(page, "addresses-en")

    # switch to Kazakh: the same page, in Kazakh
    page.locator(".languages").get_by_role("link", name=re.compile("^KK")).click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    assert "/kk/cabinet/addresses/" in page.url
    expect(page.locator("main")).to_contain_text("Abay Ave 10")

    # sign out (a POST form): the cabinet is closed again
    page.goto(live_server.url + "/kk/cabinet/")
    page.locator(".cabinet-signout button").click()
    page.goto(live_server.url + "/kk/cabinet/")
    assert "/kk/accounts/login/" in page.url
