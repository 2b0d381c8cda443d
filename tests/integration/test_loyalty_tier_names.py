"""LOY-3/LOY-10 (issue 14 follow-up): the tier names customers see are translated (ru/kk/en, django-modeltranslation
as for the catalogue), seeded with the programme's names; the cabinet shows them in the visitor's language."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from loyalty.models import Tier
from tests.loyalty_helpers import ensure_tiers, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tiers():
    ensure_tiers()


def test_loy3_the_seeded_tiers_have_names_in_russian_kazakh_and_english():
    names = {t.code: (t.name_ru, t.name_kk, t.name_en) for t in Tier.objects.all()}
    assert names == {
        "basic": ("Базовый", "Базалық", "Basic"),
        "regular": ("Постоянный клиент", "Тұрақты клиент", "Regular"),
        "partner": ("Партнёр", "Серіктес", "Partner"),
        "vip": ("VIP клиент", "VIP клиент", "VIP"),
    }
    tier = Tier.objects.get(code="regular")
    for language, name in (("ru", "Постоянный клиент"), ("kk", "Тұрақты клиент"), ("en", "Regular")):
        with translation.override(language):
            assert tier.name == name


@pytest.mark.parametrize(
    ("language", "current", "next_tier"),
    [("ru", "Базовый", "Постоянный клиент"), ("kk", "Базалық", "Тұрақты клиент"), ("en", "Basic", "Regular")],
)
def test_loy10_the_cabinet_shows_the_tier_in_the_visitors_language(django_user_model, language, current, next_tier):
    account = member(django_user_model)
    client = Client()
    client.force_login(account.user)
    with translation.override(language):
        page = client.get(reverse("accounts:bonuses"))
    assert page.status_code == 200
    html = page.content.decode()
    assert current in html and next_tier in html


def test_loy3_a_tier_without_a_kazakh_name_falls_back_to_russian():
    Tier.objects.filter(code="vip").update(name_kk=None)
    with translation.override("kk"):
        assert Tier.objects.get(code="vip").name == "VIP клиент"
