"""Legal pages (LEG-1) and e-mailing customers about a new version of the terms (LEG-2).

Language-independent: interface strings are compared through gettext, page texts are the test's own."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import TermsAcceptance, User
from shop import legal
from shop.models import Page
from shop.tasks import notify_terms_change, send_due_terms_notices

pytestmark = pytest.mark.django_db

TITLES = {"ru": "Условия продажи", "kk": "Сату шарттары", "en": "Terms and conditions"}


def clear_sent_marks():
    """The "already mailed" marks of shop.legal, in the shared cache."""
    from django.core.cache import cache

    client = getattr(cache, "_cache", None)
    if hasattr(client, "get_client"):
        redis = client.get_client(write=True)
        for key in redis.scan_iter(match=cache.make_key("legal:terms-notice:*")):
            redis.delete(key)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _no_sent_marks():
    """No test may inherit another's marks."""
    clear_sent_marks()
    yield
    clear_sent_marks()


def make_terms(version="1", notified_version="1", **fields) -> Page:
    values = {
        "slug": Page.Kind.TERMS,
        "version": version,
        "notified_version": notified_version,
        **{f"title_{code}": title for code, title in TITLES.items()},
        **{f"body_{code}": f"body in {code}" for code in TITLES},
        **fields,
    }
    return Page.objects.create(**values)


def make_user(email, *, verified=True, language="ru", **fields) -> User:
    user = User.objects.create_user(email=email, password="pw-123456", preferred_language=language, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


@pytest.fixture
def customers():
    """Three customers who must be told, one per language, and five people who must not."""
    told = {
        "ru": make_user("aruzhan@example.kz", language="ru", full_name="Аружан"),
        "kk": make_user("dauren@example.kz", language="kk"),
        "en": make_user("emma@example.com", language="en"),
    }
    make_user("staff@example.kz", is_staff=True)
    make_user("unverified@example.kz", verified=False)
    make_user("gone@example.kz", anonymised_at=timezone.now())
    make_user("inactive@example.kz", is_active=False)
    User.objects.create_user(email="no-address-row@example.kz", password="pw-123456")  # never confirmed
    return told


@pytest.fixture
def admin_client(client):
    admin = User.objects.create_superuser(email="admin@example.kz", password="pw-123456")
    client.force_login(admin)
    return client


def admin_post(page: Page, **changes) -> dict:
    data = {
        "slug": page.slug,
        "version": page.version,
        "position": page.position,
        "is_published": "on" if page.is_published else "",
        **{f"title_{code}": getattr(page, f"title_{code}") or "" for code in TITLES},
        **{f"body_{code}": getattr(page, f"body_{code}") or "" for code in TITLES},
        "_save": "Save",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if not (k == "is_published" and v == "")}


def save_in_admin(admin_client, page, capture, **changes):
    with capture(execute=True):
        response = admin_client.post(f"/en/admin/shop/page/{page.pk}/change/", admin_post(page, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    page.refresh_from_db()
    return response


def mails_by_recipient() -> dict[str, list]:
    sent: dict[str, list] = {}
    for message in mail.outbox:
        for address in message.to:
            sent.setdefault(address, []).append(message)
    return sent


# -- LEG-1: the pages ---------------------------------------------------------------------------------------------


def test_leg1_page_shows_its_version_and_last_updated_date(client):
    page = make_terms(version="3")
    html = client.get("/en/pages/terms/").content.decode()
    updated = timezone.localtime(page.updated_at)
    with translation.override("en"):
        expected = gettext("Version %(version)s · updated %(updated)s") % {
            "version": "3",
            "updated": f'<time datetime="{updated.date().isoformat()}">{updated:%d.%m.%Y}</time>',
        }
    assert expected in html
    assert "Terms and conditions" in html and "body in en" in html


def test_leg1_page_in_the_visitor_language_with_russian_fallback(client):
    Page.objects.create(
        slug="delivery", title_ru="Доставка", body_ru="Курьер по Казахстану", title_kk="Жеткізу", body_kk="Курьер"
    )
    kk = client.get("/kk/pages/delivery/").content.decode()
    assert "Жеткізу" in kk and "Курьер по Казахстану" not in kk
    en = client.get("/en/pages/delivery/").content.decode()  # no English text: the Russian one, marked as such
    assert "Курьер по Казахстану" in en and '<article class="info-page" lang="ru">' in en
    assert '<html lang="en">' in en


def test_leg1_unpublished_or_unknown_page_is_404(client):
    make_terms(is_published=False)
    assert client.get("/pages/terms/").status_code == 404
    assert client.get("/pages/nothing-here/").status_code == 404


def test_leg1_edited_page_is_shown_at_once_although_pages_are_cached(client, django_capture_on_commit_callbacks):
    page = make_terms()
    assert "body in en" in client.get("/en/pages/terms/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        page.body_en = "A brand new text"
        page.version = "2"
        page.save()
    html = client.get("/en/pages/terms/").content.decode()
    assert "A brand new text" in html and "body in en" not in html


def test_leg1_admin_edits_every_language_in_tabs(admin_client, django_capture_on_commit_callbacks):
    page = make_terms()
    form = admin_client.get(f"/en/admin/shop/page/{page.pk}/change/").content.decode()
    for code in TITLES:
        assert f'name="title_{code}"' in form and f'name="body_{code}"' in form
    save_in_admin(admin_client, page, django_capture_on_commit_callbacks, body_kk="Жаңа мәтін")
    assert page.body_kk == "Жаңа мәтін"
    assert "Жаңа мәтін" in admin_client.get("/kk/pages/terms/").content.decode()


# -- LEG-2: customers are told of a new version of the terms ------------------------------------------------------


def test_leg2_new_terms_version_mails_each_customer_once_in_their_language(
    admin_client, customers, django_capture_on_commit_callbacks
):
    page = make_terms(version="1", notified_version="1")
    save_in_admin(admin_client, page, django_capture_on_commit_callbacks, version="2")

    sent = mails_by_recipient()
    assert set(sent) == {user.email for user in customers.values()}  # not staff, unverified, anonymised, inactive
    assert all(len(messages) == 1 for messages in sent.values())
    links = {
        "ru": "http://127.0.0.1:8000/pages/terms/",
        "kk": "http://127.0.0.1:8000/kk/pages/terms/",
        "en": "http://127.0.0.1:8000/en/pages/terms/",
    }
    for code, user in customers.items():
        message = sent[user.email][0]
        assert TITLES[code] in message.body, code  # the page title in the customer's language
        assert links[code] in message.body
        html = message.alternatives[0][0]
        assert f'href="{links[code]}"' in html and TITLES[code] in html
        with translation.override(code):
            subject = gettext("New terms, version %(version)s — %(shop_name)s") % {
                "version": "2",
                "shop_name": "Dala Shop",
            }
        assert message.subject == subject
    assert "Аружан" in sent[customers["ru"].email][0].body  # greeted by name
    assert page.notified_version == "2"


def test_leg2_saving_again_without_a_new_version_sends_nothing_and_a_new_version_sends_again(
    admin_client, customers, django_capture_on_commit_callbacks
):
    page = make_terms(version="1", notified_version="1")
    save_in_admin(admin_client, page, django_capture_on_commit_callbacks, version="2")
    assert len(mail.outbox) == 3
    save_in_admin(admin_client, page, django_capture_on_commit_callbacks, body_en="Typo fixed")
    assert len(mail.outbox) == 3
    assert notify_terms_change.delay(page.pk).get() == 0  # a repeated task: nothing twice
    save_in_admin(admin_client, page, django_capture_on_commit_callbacks, version="3")
    assert len(mail.outbox) == 6
    assert {m.to[0] for m in mail.outbox[3:]} == {u.email for u in customers.values()}
    assert page.notified_version == "3"


def test_leg2_first_save_of_seeded_terms_records_the_known_version_without_mailing(
    admin_client, customers, django_capture_on_commit_callbacks
):
    """seed_demo leaves notified_version blank: saving version 1 again tells nobody; changing it does."""
    page = make_terms(version="1", notified_version="")
    assert send_due_terms_notices.delay().get() == 0  # the sweep never mails about an unrecorded baseline
    save_in_admin(admin_client, page, django_capture_on_commit_callbacks, body_ru="Уточнённый текст")
    assert mail.outbox == [] and page.notified_version == "1"

    other = Page.objects.create(slug="privacy", title_ru="Политика", body_ru="...", version="1")
    save_in_admin(admin_client, other, django_capture_on_commit_callbacks, version="2")
    assert mail.outbox == []  # only the terms are announced


def test_leg2_version_change_from_an_unrecorded_baseline_mails(
    admin_client, customers, django_capture_on_commit_callbacks
):
    page = make_terms(version="1", notified_version="")
    save_in_admin(admin_client, page, django_capture_on_commit_callbacks, version="2")
    assert len(mail.outbox) == 3 and page.notified_version == "2"


def test_leg2_unpublished_terms_are_announced_when_published(
    admin_client, customers, django_capture_on_commit_callbacks
):
    page = make_terms(version="1", notified_version="1", is_published=False)
    save_in_admin(admin_client, page, django_capture_on_commit_callbacks, version="2")
    assert mail.outbox == [] and page.notified_version == "1"
    save_in_admin(admin_client, page, django_capture_on_commit_callbacks, is_published="on")
    assert len(mail.outbox) == 3 and page.notified_version == "2"


def test_leg2_customers_who_already_accepted_the_new_version_are_not_told(customers):
    page = make_terms(version="2", notified_version="1")
    TermsAcceptance.objects.create(
        user=customers["en"], email=customers["en"].email, terms_version="2", context="signup", age_confirmed=True
    )
    TermsAcceptance.objects.create(
        user=customers["kk"], email=customers["kk"].email, terms_version="1", context="signup", age_confirmed=True
    )
    assert notify_terms_change.delay(page.pk).get() == 2
    assert set(mails_by_recipient()) == {customers["ru"].email, customers["kk"].email}


def test_leg2_crash_midway_loses_no_one_and_resends_at_most_one_chunk(customers, monkeypatch):
    """The run that crashes rolls back (the notice stays due); the retry mails the rest, skipping whole chunks
    already queued. Here: chunks of 2; the 3rd mail fails, so the retry sends the 3rd again, not the first two."""
    for n in range(3):
        make_user(f"more{n}@example.kz")
    page = make_terms(version="2", notified_version="1")
    monkeypatch.setattr(legal, "RECIPIENT_CHUNK", 2)
    real_delay = legal.send_templated_email.delay
    calls = {"n": 0}

    def flaky_delay(**kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise ConnectionError("broker went away")
        return real_delay(**kwargs)

    monkeypatch.setattr(legal.send_templated_email, "delay", flaky_delay)
    with pytest.raises(ConnectionError):
        legal.notify_terms_change(page_id=page.pk)
    page.refresh_from_db()
    assert page.notified_version == "1"  # still due
    assert len(mail.outbox) == 3

    assert send_due_terms_notices.delay().get() == 4  # the sweep finishes the job
    page.refresh_from_db()
    assert page.notified_version == "2"
    sent = mails_by_recipient()
    assert len(sent) == 6  # every customer told
    assert sorted(len(m) for m in sent.values()) == [1, 1, 1, 1, 1, 2]  # one duplicate: the interrupted chunk


def test_leg2_admin_form_tells_staff_how_many_customers_a_new_version_mails(admin_client, customers):
    page = make_terms(version="4", notified_version="4")
    html = admin_client.get(f"/en/admin/shop/page/{page.pk}/change/").content.decode()
    text = re.sub(r"\s+", " ", html)
    with translation.override("en"):
        hint = translation.ngettext(
            "Saving the published terms with a version other than %(version)s e-mails %(count)d customer "
            "about the change, in their language.",
            "Saving the published terms with a version other than %(version)s e-mails %(count)d customers "
            "about the change, each in their language.",
            3,
        ) % {"version": "4", "count": 3}
    assert hint in text
    other = Page.objects.create(slug="returns", title_ru="Возврат", body_ru="14 дней")
    assert hint not in admin_client.get(f"/en/admin/shop/page/{other.pk}/change/").content.decode()


def test_leg2_sweep_sends_a_due_notice_that_was_never_sent(customers):
    page = make_terms(version="5", notified_version="4")
    assert send_due_terms_notices.delay().get() == 3
    assert send_due_terms_notices.delay().get() == 0
    page.refresh_from_db()
    assert page.notified_version == "5"


def test_leg2_notice_due_rule():
    due = legal.terms_notice_due
    assert due(slug="terms", is_published=True, version="2", notified_version="1")
    assert not due(slug="terms", is_published=True, version="2", notified_version="2")
    assert not due(slug="terms", is_published=False, version="2", notified_version="1")
    assert not due(slug="terms", is_published=True, version="2", notified_version="")
    assert not due(slug="privacy", is_published=True, version="2", notified_version="1")


def test_leg2_staff_saving_a_form_loaded_before_the_notification_finished_does_not_mail_twice(
    rf, customers, django_capture_on_commit_callbacks
):
    """The admin's object was read while the notification ran; its stale notified_version must not be written
    back (that would make the same version due again)."""
    from django.contrib.admin.sites import site
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.db import transaction

    page = make_terms(version="2", notified_version="1")
    stale = Page.objects.get(pk=page.pk)
    assert notify_terms_change.delay(page.pk).get() == 3

    clear_sent_marks()  # prove the rule itself, not the cache that limits duplicates after a crash
    stale.body_en = "A typo fixed"
    request = rf.post("/en/admin/shop/page/")
    request.user = User.objects.create_superuser(email="boss@example.kz", password="pw-123456")
    request._messages = CookieStorage(request)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        site._registry[Page].save_model(request, stale, form=None, change=True)
    assert len(mail.outbox) == 3  # nobody told twice
    assert list(request._messages) == []  # and staff are not told of a notification either
    page.refresh_from_db()
    assert page.notified_version == "2" and page.body_en == "A typo fixed"
