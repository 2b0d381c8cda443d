"""Joining (LOY-1) and the "Bonus account" cabinet page (LOY-10), issue 14: the OTP from the SMS backend, hashed,
expiring, 5 attempts, rate-limited per phone and IP, one account per phone; the page shows balance, pending with
dates, expiring soon, tier and progress, the history with orders; another customer sees only their own."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from loyalty import services
from loyalty.models import BonusAccount, PhoneConfirmation
from loyalty.sms import ConsoleSMSBackend
from tests.loyalty_helpers import clear_otp_limits, day, delivered_order, ensure_tiers, member

pytestmark = pytest.mark.django_db

PAGE = "/en/cabinet/bonuses/"
JOIN = "/en/cabinet/bonuses/join/"
CONFIRM = "/en/cabinet/bonuses/confirm/"


@pytest.fixture(autouse=True)
def sms(settings):
    ensure_tiers()
    clear_otp_limits()
    settings.SHOP_SMS_BACKEND = "loyalty.sms.ConsoleSMSBackend"
    ConsoleSMSBackend.outbox.clear()


@pytest.fixture
def customer(django_user_model):
    return django_user_model.objects.create_user(email="dana@example.kz", password="pw-123456")


def signed_in(user) -> Client:
    client = Client(HTTP_ORIGIN="http://testserver")
    client.force_login(user)
    return client


def last_code() -> str:
    return re.search(r"\b(\d{6})\b", ConsoleSMSBackend.outbox[-1][1]).group(1)


def test_loy1_joining_by_the_code_from_the_sms(customer, settings):
    """LOY-1: the phone gets a code (stored only as a hash); the right code opens the account; a joining bonus
    set as data is a useful-action lot that never expires (LOY-7)."""
    settings.SHOP_LOYALTY_JOIN_BONUS = 500
    client = signed_in(customer)
    assert "Confirm your mobile phone" in client.get(PAGE).content.decode()
    assert client.post(JOIN, {"phone": "8 701 123 45 67"}).status_code == 302
    assert ConsoleSMSBackend.outbox[-1][0] == "+77011234567"
    code = last_code()
    assert code not in PhoneConfirmation.objects.get().code_hash
    assert client.post(CONFIRM, {"code": code}).status_code == 302
    account = BonusAccount.objects.get(user=customer)
    assert account.phone == "+77011234567" and account.tier.code == "basic" and account.balance == 500
    lot = account.lots.get()
    assert lot.source == "useful" and lot.expires_at is None
    assert "<strong>500</strong>" in client.get(PAGE).content.decode()


def test_loy1_otp_brute_force_is_stopped_after_five_attempts(customer):
    client = signed_in(customer)
    client.post(JOIN, {"phone": "+77011234567"})
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    answers = [client.post(CONFIRM, {"code": wrong}) for _ in range(5)]
    assert all(answer.status_code == 400 for answer in answers)
    assert "Attempts left: 4." in answers[0].content.decode()
    # the right code no longer works
    late = client.post(CONFIRM, {"code": code})
    assert late.status_code == 400 and "Too many wrong codes" in late.content.decode()
    assert not BonusAccount.objects.exists()


def test_loy1_the_code_expires_after_five_minutes(customer):
    client = signed_in(customer)
    client.post(JOIN, {"phone": "+77011234567"})
    PhoneConfirmation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    answer = client.post(CONFIRM, {"code": last_code()})
    assert answer.status_code == 400 and "The code has expired" in answer.content.decode()


def test_loy1_sending_is_rate_limited_per_phone_and_per_ip(customer, django_user_model, settings):
    settings.SHOP_LOYALTY_OTP_PHONE_RATE = "2/h"
    settings.SHOP_LOYALTY_OTP_IP_RATE = "3/h"
    client = signed_in(customer)
    assert [client.post(JOIN, {"phone": "+77011234567"}).status_code for _ in range(3)] == [302, 302, 400]
    other = signed_in(django_user_model.objects.create_user(email="x@example.kz", password="pw-123456"))
    assert other.post(JOIN, {"phone": "+77017654321"}).status_code == 400  # the IP's 4th code
    assert len(ConsoleSMSBackend.outbox) == 2


def test_loy1_one_account_per_phone_and_bad_input_is_a_400(customer, django_user_model):
    member(django_user_model, email="first@example.kz")
    taken = BonusAccount.objects.get().phone
    client = signed_in(customer)
    answer = client.post(JOIN, {"phone": taken})
    assert answer.status_code == 400 and "already in the loyalty programme" in answer.content.decode()
    for bad in ("\x00", "not a phone", "+7727" + "1" * 60, "+77272501234"):  # NUL, text, overlong, a landline
        assert client.post(JOIN, {"phone": bad}).status_code == 400
    assert client.post(CONFIRM, {"code": "\x00"}).status_code == 400
    assert client.get(JOIN).status_code == 405


def test_loy10_the_page_shows_balance_pending_expiring_tier_progress_and_history(django_user_model, settings):
    staff = django_user_model.objects.create_user(email="s@example.kz", password="pw-123456", is_staff=True)
    account = member(django_user_model, email="aruzhan@example.kz", at=timezone.now())
    services.grant_promotion(
        account_ids=[account.pk], amount=250, expires_at=timezone.now() + timedelta(days=5), reason="Nauryz", key="n"
    )
    order = delivered_order(account, staff, items=(("10000.00", 1),), delivered=3)
    page = signed_in(account.user).get(PAGE).content.decode()
    assert "<strong>250</strong>" in page
    assert f"About 300 for order {order.number}, usable from" in page
    assert "Expiring within 14 days" in page and "250 until" in page
    assert "Basic: purchases earn 3%, bonuses pay up to 3% of an order" in page
    assert "To reach Regular:" in page
    assert "Promotion — Nauryz" in page


def test_loy10_another_customer_sees_only_their_own_account(django_user_model, customer):
    account = member(django_user_model, email="owner@example.kz")
    services.grant_promotion(account_ids=[account.pk], amount=777, expires_at=None, reason="gift", key="g")
    page = signed_in(customer).get(PAGE).content.decode()
    assert "777" not in page and "Confirm your mobile phone" in page
    assert Client().get(PAGE).status_code == 302  # anonymous: to the login page


def test_loy10_the_history_costs_a_constant_number_of_queries(django_user_model, django_assert_max_num_queries):
    account = member(django_user_model, email="many@example.kz", at=day(0))
    for n in range(30):
        services.grant_promotion(account_ids=[account.pk], amount=10, expires_at=None, reason=f"p{n}", key=f"k{n}")
    client = signed_in(account.user)
    client.get(PAGE)
    with django_assert_max_num_queries(16):
        assert client.get(PAGE).status_code == 200
