"""Legal pages (LEG-1) and telling customers of a new version of the terms by e-mail (LEG-2).

The terms page carries `version` (edited by staff) and `notified_version` (the version customers were last told
of, written only here). A notice is due when the published terms have a version other than the notified one.
A blank `notified_version` means "never recorded": nothing is due until the admin records the version customers
already know (see `prepare_page_save`), so a freshly seeded shop does not mail everyone about version 1.

The notification runs as a Celery task: shop/tasks.py wraps `notify_terms_change` and schedules it after the
admin's save commits (`schedule_terms_notice`). This module does the work and never imports the tasks module.

Who is told: every customer who can read the mail — an active, non-staff account that is not anonymised and whose
e-mail is confirmed (allauth's EmailAddress, verified) — except those who already accepted this very version
(at sign-up after the change, say). The mail is a service notice about the contract, not marketing, so the
marketing opt-in does not apply. Each customer gets it in their own language, one Celery mail task each.
"""

import logging

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation

from base.tasks import send_templated_email

from .models import Page

logger = logging.getLogger(__name__)

TERMS_CHANGED_MAIL = "mail/legal/terms_changed"
RECIPIENT_CHUNK = 500  # users read per round trip, and recipients marked as mailed per cache write
SENT_MARK_SECONDS = 14 * 24 * 60 * 60  # how long "already mailed" marks outlive a run that crashed


# -- rules (pure) ------------------------------------------------------------------------------------------------


def terms_notice_due(*, slug: str, is_published: bool, version: str, notified_version: str) -> bool:
    """LEG-2: customers must be told when the published terms carry a version they have not been told of."""
    return slug == Page.Kind.TERMS and is_published and bool(notified_version) and version != notified_version


def page_language(page: Page, language: str) -> str:
    """The language a page is shown in: the visitor's if the page is written in it, else Russian (LEG-1)."""
    if getattr(page, f"body_{language}", "") and getattr(page, f"title_{language}", ""):
        return language
    return settings.MODELTRANSLATION_DEFAULT_LANGUAGE


# -- reads -------------------------------------------------------------------------------------------------------


def terms_notice_recipients(*, version: str | None = None) -> QuerySet:
    """Customers told of a terms change, in a stable order; with `version`, less those who accepted it already."""
    User = get_user_model()
    confirmed = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True, email__iexact=OuterRef("email"))
    customers = User.objects.filter(is_active=True, is_staff=False, anonymised_at__isnull=True).exclude(email="")
    customers = customers.filter(Exists(confirmed))
    if version is not None:
        acceptances = apps.get_model("accounts", "TermsAcceptance")  # the evidence kept at sign-up (ACC-1)
        accepted = acceptances.objects.filter(user=OuterRef("pk"), terms_version=version)
        customers = customers.exclude(Exists(accepted))
    return customers.order_by("pk")


def published_page(slug: str) -> Page:
    return Page.objects.get(slug=slug, is_published=True)


# -- changes -----------------------------------------------------------------------------------------------------


def prepare_page_save(*, page: Page) -> None:
    """Before staff save a page (inside the admin's transaction).

    `notified_version` is taken fresh from the locked row: the edited object was loaded before, perhaps while a
    notification was running, and writing its stale value back would make that notification due a second time.
    And if no notified version was ever recorded for the terms, the one customers know now is recorded — the
    version stored before this save (for a new page, its own) — so that only a real change of version mails."""
    stored = Page.objects.select_for_update().filter(pk=page.pk).values("version", "notified_version").first()
    if stored is not None:
        page.notified_version = stored["notified_version"]
    if page.slug == Page.Kind.TERMS and not page.notified_version:
        page.notified_version = stored["version"] if stored else page.version


def _mail_context(page: Page, language: str) -> dict:
    """What the mail says, in one language (JSON-serialisable: it travels through the broker)."""
    shown = page_language(page, language)
    with translation.override(language):
        page_url = settings.SHOP_BASE_URL + reverse("shop:page", kwargs={"slug": page.slug})
        shop_url = settings.SHOP_BASE_URL + reverse("shop:home")
        updated = formats.date_format(timezone.localtime(page.updated_at), "d.m.Y") if page.updated_at else ""
    return {
        "title": getattr(page, f"title_{shown}"),
        "version": page.version,
        "updated": updated,
        "page_url": page_url,
        "shop_name": settings.SHOP_NAME,
        "shop_url": shop_url,
    }


def _sent_key(page: Page, user_id: int) -> str:
    return f"legal:terms-notice:{page.pk}:{page.notified_version}:{page.version}:{user_id}"


def notify_terms_change(*, page_id: int) -> int:
    """E-mail every customer about the new version of the terms, once; returns how many mails were queued.

    Exactly-once is not possible across a database, a broker and SMTP; this is how close it gets:

    * The page row is locked (select_for_update) for the whole run, and `notified_version` is set in that same
      transaction. A second run — a repeated save, the periodic sweep, a redelivered task — waits for the lock,
      then finds nothing due: a completed notification is never sent twice.
    * Mail tasks are queued while the lock is held, and `notified_version` is written only after the last one.
      A crash midway rolls the transaction back, so the notification is still due and a retry (the task's own,
      or the sweep) sends it: a notification is never lost.
    * So that a retry does not mail everyone again, recipients already queued are marked in the cache, one
      write per chunk of RECIPIENT_CHUNK users after that chunk is queued. The trade-off: a crash can resend to
      at most the chunk that was being queued (or to everyone, if the cache itself was lost in between).

    Staff saving the terms page while a large notification runs wait for it to finish (the row lock).
    """
    with transaction.atomic():
        page = Page.objects.select_for_update().filter(pk=page_id).first()
        if page is None or not terms_notice_due(
            slug=page.slug, is_published=page.is_published, version=page.version, notified_version=page.notified_version
        ):
            return 0
        contexts = {code: _mail_context(page, code) for code, _ in settings.LANGUAGES}
        recipients = terms_notice_recipients(version=page.version).only(
            "pk", "email", "full_name", "preferred_language"
        )
        queued = 0
        chunk: list = []
        for user in recipients.iterator(chunk_size=RECIPIENT_CHUNK):
            chunk.append(user)
            if len(chunk) == RECIPIENT_CHUNK:
                queued += _queue_chunk(page, chunk, contexts)
                chunk = []
        if chunk:
            queued += _queue_chunk(page, chunk, contexts)
        Page.objects.filter(pk=page.pk).update(notified_version=page.version)  # update(): "updated" stays as is
    logger.info("terms version %s: %d customer(s) notified", page.version, queued)
    return queued


def _queue_chunk(page: Page, users: list, contexts: dict[str, dict]) -> int:
    keys = {user.pk: _sent_key(page, user.pk) for user in users}
    already = cache.get_many(list(keys.values()))
    queued = 0
    for user in users:
        if keys[user.pk] in already:
            continue
        language = user.preferred_language if user.preferred_language in contexts else settings.LANGUAGE_CODE
        send_templated_email.delay(
            template=TERMS_CHANGED_MAIL,
            to=[user.email],
            context={**contexts[language], "full_name": user.full_name},
            language=language,
        )
        queued += 1
    cache.set_many(dict.fromkeys(keys.values(), 1), timeout=SENT_MARK_SECONDS)
    return queued


def send_due_terms_notices() -> int:
    """The sweep: notify for the terms page if a notice is due and was never sent (see notify_terms_change)."""
    page = Page.objects.filter(slug=Page.Kind.TERMS, is_published=True).exclude(notified_version="").first()
    if page is None or page.version == page.notified_version:
        return 0
    return notify_terms_change(page_id=page.pk)
