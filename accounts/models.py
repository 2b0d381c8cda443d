"""Customer and staff accounts (ACC): the e-mail is the login, unique regardless of case; addresses; the
evidence of accepted terms; support tickets from the contact form (SUP-1)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, help_text=_("E.164, e.g. +77011234567"))
    marketing_opt_in = models.BooleanField(_("news and offers by e-mail"), default=False)
    marketing_opt_in_changed_at = models.DateTimeField(_("marketing choice changed"), null=True, blank=True)
    preferred_language = models.CharField(
        _("language for e-mails"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    deletion_requested_at = models.DateTimeField(_("deletion requested"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.email

    def get_full_name(self):
        return self.full_name or super().get_full_name()


class Address(models.Model):
    """A delivery address kept in the cabinet (ACC-3); checkout copies it onto the order, never links it."""

    user = models.ForeignKey(User, verbose_name=_("customer"), related_name="addresses", on_delete=models.CASCADE)
    label = models.CharField(_("label"), max_length=60, blank=True, help_text=_("e.g. Home, Office"))
    recipient = models.CharField(_("recipient"), max_length=150)
    phone = models.CharField(_("phone"), max_length=32)
    city = models.CharField(_("city"), max_length=100)
    street = models.CharField(_("street and house"), max_length=200)
    apartment = models.CharField(_("apartment or office"), max_length=30, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    comment = models.CharField(_("comment for the courier"), max_length=250, blank=True)
    is_default = models.BooleanField(_("default address"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ("-is_default", "-created_at", "id")
        constraints = [
            models.UniqueConstraint(fields=("user",), condition=Q(is_default=True), name="address_one_default"),
        ]

    def __str__(self):
        return ", ".join(p for p in (self.city, self.street, self.apartment) if p)


class TermsAcceptance(models.Model):
    """Evidence that someone accepted a version of the terms (ACC-1): who, which version, when, from where."""

    class Context(models.TextChoices):
        SIGNUP = "signup", _("registration")
        CHECKOUT = "checkout", _("checkout")
        NEW_VERSION = "new_version", _("new version of the terms")

    user = models.ForeignKey(
        User, verbose_name=_("customer"), related_name="terms_acceptances", null=True, blank=True,
        on_delete=models.SET_NULL,
    )
    email = models.EmailField(_("e-mail at the time"))
    terms_version = models.CharField(_("terms version"), max_length=40)
    context = models.CharField(_("where"), max_length=20, choices=Context.choices)
    age_confirmed = models.BooleanField(_("declared 16 or older"), default=False)
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("terms acceptance")
        verbose_name_plural = _("terms acceptances")
        ordering = ("-accepted_at",)

    def __str__(self):
        return f"{self.email} — {self.terms_version}"


class SupportTicket(models.Model):
    """A message from the contact form "Создать обращение" (SUP-1), worked by support staff in the admin."""

    class Topic(models.TextChoices):
        DELIVERY = "delivery", _("Delivery")
        PAYMENT = "payment", _("Payment")
        RETURN = "return", _("Return")
        WARRANTY = "warranty", _("Warranty")
        ORDER = "order", _("Order cancellation or change")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        IN_PROGRESS = "in_progress", _("in progress")
        WAITING = "waiting", _("waiting for the customer")
        CLOSED = "closed", _("closed")

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    user = models.ForeignKey(
        User, verbose_name=_("customer"), related_name="tickets", null=True, blank=True, on_delete=models.SET_NULL
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    order_number = models.CharField(_("order number"), max_length=32, blank=True)
    message = models.TextField(_("message"), max_length=5000)
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"), related_name="assigned_tickets", null=True,
        blank=True, on_delete=models.SET_NULL, limit_choices_to={"is_staff": True},
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("support ticket")
        verbose_name_plural = _("support tickets")
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(condition=~Q(email="") | ~Q(phone=""), name="ticket_has_a_contact"),
        ]

    def __str__(self):
        return self.number


class SupportReply(models.Model):
    """Support's answer to a ticket (SUP-2, issue 16): written in the admin, mailed to the customer in the ticket's
    language, and kept here as the ticket's thread. Never edited afterwards: it is what the customer received."""

    ticket = models.ForeignKey(
        SupportTicket, verbose_name=_("support ticket"), related_name="replies", on_delete=models.CASCADE
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), related_name="support_replies", null=True,
        blank=True, on_delete=models.SET_NULL,
    )
    message = models.TextField(_("reply"), max_length=5000)
    mailed_to = models.EmailField(_("mailed to"), blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ("created_at", "pk")

    def __str__(self):
        return f"{self.ticket.number} · {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else self.ticket.number
