"""Settings for every environment, read from the environment (12-factor, django-environ).

DJANGO_ENV=development (default) gives safe local defaults: SQLite, in-process Celery, console mail.
DJANGO_ENV=production refuses to start without a real SECRET_KEY, DATABASE_URL and ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import csp.constants as csp
import environ
import sentry_sdk
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.observability import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DJANGO_ENV = env("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be development, production or test, not {DJANGO_ENV!r}")
IS_PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DEBUG", default=DJANGO_ENV == "development")
if IS_PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production")

_DEV_SECRET = "dev-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"  # noqa: S105 (development only; production refuses it)
SECRET_KEY = env("SECRET_KEY", default=None if IS_PRODUCTION else _DEV_SECRET)
if IS_PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("production needs SECRET_KEY: 50+ random characters from the environment")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if IS_PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "base",
    "shop",
    "accounts",
    "orders",
    "returns",
    "loyalty",
    "payments",
    "payments.sandbox",
    "config",  # the composition root: seed_demo and runshop, which may import every app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.StaticFiles",  # WhiteNoise
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shop.context_processors.storefront",
                "orders.cart.context_processors.cart",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------------------------
if IS_PRODUCTION and not env.str("DATABASE_URL", default=""):
    raise ImproperlyConfigured("production needs DATABASE_URL (postgres://...)")
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if IS_PRODUCTION else 0)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# Issue 15: no JIT compilation. Listing queries over 20 000 products pass its cost threshold and spent ~90 ms
# compiling to save a few; this shop's queries are short.
if USING_POSTGRES:
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

# --- Cache and Celery -----------------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if IS_PRODUCTION and not REDIS_URL:
    raise ImproperlyConfigured("production needs REDIS_URL (redis://...) for the cache and the Celery broker")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.PooledRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="shop"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shop"}}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Almaty"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Deadline-driven work runs as periodic, idempotent sweeps over the database, never as long countdowns.
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "config.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
    "heartbeat": {
        "task": "config.tasks.heartbeat",
        "schedule": timedelta(minutes=1),
    },
}

# --- Mail -----------------------------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Shop <shop@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Auth -----------------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# (accounts issue) allauth forms, adapter, rate limits: below this line
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"  # every allauth mail leaves through the Celery task
# sign-up adds full name, age >= 16 and terms acceptance (ACC-1); login is labelled the same way
ACCOUNT_FORMS = {"signup": "accounts.signup.SignupForm", "login": "accounts.signup.LoginForm"}
ACCOUNT_USER_DISPLAY = "accounts.adapter.display_name"
# ACC-1: a second sign-up with a known e-mail (in any case) gets a clear form error, and a password reset for an
# unknown e-mail says so. With True allauth hides both and mails the address instead (templates are ready).
ACCOUNT_PREVENT_ENUMERATION = env.bool("ACCOUNT_PREVENT_ENUMERATION", default=False)
ACCOUNT_CHANGE_EMAIL = True  # one address per account: a change replaces it once the new one is confirmed
ACCOUNT_EMAIL_NOTIFICATIONS = True  # security notices: password changed or reset, e-mail changed
ACCOUNT_LOGOUT_ON_GET = False  # logout is a POST with a CSRF token
ACCOUNT_LOGOUT_REDIRECT_URL = "shop:home"  # a URL name: reversed in the visitor's language
LOGIN_URL = "account_login"
# ACC-4 throttling, counted in the default cache (Redis whenever REDIS_URL is set). Merged over allauth's defaults.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("ACCOUNT_LOGIN_FAILED_RATE", default="10/m/ip,5/5m/key"),
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
# Proxies that append to X-Forwarded-For in front of the app: the client IP is read that many hops back
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
# (end of allauth settings)

# --- Internationalisation -------------------------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("kk", _("Kazakh")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True
MODELTRANSLATION_DEFAULT_LANGUAGE = "ru"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("ru",)

# --- Shop policy defaults (data, not literals in code; later issues move some into admin-editable policy) ------
SHOP_NAME = env.str("SHOP_NAME", default="Dala Shop")
SHOP_CURRENCY = "KZT"
SHOP_COUNTRY = "KZ"
SHOP_VAT_RATE = Decimal(env.str("SHOP_VAT_RATE", default="16"))
SHOP_PRODUCTS_PER_PAGE = env.int("SHOP_PRODUCTS_PER_PAGE", default=24)
SHOP_LOW_STOCK_THRESHOLD = env.int("SHOP_LOW_STOCK_THRESHOLD", default=5)
SHOP_WITHDRAWAL_DAYS = env.int("SHOP_WITHDRAWAL_DAYS", default=14)  # RET-1: calendar days after delivery
# Returns and refunds (returns/policy.py takes these as arguments through returns/deadlines.py). RET-5: calendar days
# from the request to send the goods back; RET-7: working days from receipt to answer the inspection.
SHOP_RETURN_SEND_BACK_DAYS = env.int("SHOP_RETURN_SEND_BACK_DAYS", default=14)
SHOP_RETURN_INSPECTION_WORKING_DAYS = env.int("SHOP_RETURN_INSPECTION_WORKING_DAYS", default=5)
# REF-5: refund deadlines from the claim, by the payment method's refund channel: card in working days on the
# Kazakhstan calendar, e-payment systems (Kaspi) and cash (cash on delivery too) in calendar days.
SHOP_REFUND_CARD_WORKING_DAYS = env.int("SHOP_REFUND_CARD_WORKING_DAYS", default=3)
SHOP_REFUND_EWALLET_DAYS = env.int("SHOP_REFUND_EWALLET_DAYS", default=10)
SHOP_REFUND_CASH_DAYS = env.int("SHOP_REFUND_CASH_DAYS", default=10)
# REF-2: delivery is refunded only for a defect; true for shops whose law also refunds the standard delivery when the
# whole order is withdrawn.
SHOP_REFUND_DELIVERY_ON_FULL_WITHDRAWAL = env.bool("SHOP_REFUND_DELIVERY_ON_FULL_WITHDRAWAL", default=False)
# CPN-3: a coupon is reactivated when the whole purchase is returned for a defect within this many days of delivery.
SHOP_COUPON_REACTIVATION_DAYS = env.int("SHOP_COUPON_REACTIVATION_DAYS", default=14)
# DLV-1..4 (orders/policy.py takes these as arguments): ETA in working days from processing start (ORD-8),
# pickup free from this goods total, express ordering hours (local "HH:MM", closes exclusive), heavy surcharge.
SHOP_DELIVERY_MIN_WORKING_DAYS = env.int("SHOP_DELIVERY_MIN_WORKING_DAYS", default=5)
SHOP_DELIVERY_MAX_WORKING_DAYS = env.int("SHOP_DELIVERY_MAX_WORKING_DAYS", default=10)
SHOP_PICKUP_FREE_FROM = Decimal(env.str("SHOP_PICKUP_FREE_FROM", default="20000"))
SHOP_EXPRESS_OPENS = env.str("SHOP_EXPRESS_OPENS", default="10:00")
SHOP_EXPRESS_CLOSES = env.str("SHOP_EXPRESS_CLOSES", default="22:00")
SHOP_HEAVY_THRESHOLD_KG = Decimal(env.str("SHOP_HEAVY_THRESHOLD_KG", default="30"))
SHOP_HEAVY_SURCHARGE_PER_KG = Decimal(env.str("SHOP_HEAVY_SURCHARGE_PER_KG", default="100"))
# Working-day calendar adjustments by government decree ("YYYY-MM-DD" lists): bridge days off, transfer working days.
SHOP_EXTRA_DAYS_OFF = env.list("SHOP_EXTRA_DAYS_OFF", default=[])
SHOP_EXTRA_WORKING_DAYS = env.list("SHOP_EXTRA_WORKING_DAYS", default=[])
# DLV-1: delivery methods this shop offers (courier, logistics, pickup, express) and its carrier adapter (DLV-2).
SHOP_DELIVERY_METHODS = env.list("SHOP_DELIVERY_METHODS", default=["courier", "logistics", "pickup", "express"])
SHOP_CARRIER = env.str("SHOP_CARRIER", default="orders.delivery.carriers.TableCarrier")
SHOP_TRACKING_URL = env.str("SHOP_TRACKING_URL", default="https://www.cdek.kz/ru/tracking?order_id={number}")
SHOP_LOGISTICS_MANAGER_PHONE = env.str("SHOP_LOGISTICS_MANAGER_PHONE", default="+7 727 000 00 00")
# PAY-1: payment adapters offered at checkout, in this order (the payments issue adds the online ones).
# An online adapter is offered only once its keys are set (the sandbox sets them in development and tests).
SHOP_PAYMENT_ADAPTERS = env.list(
    "SHOP_PAYMENT_ADAPTERS",
    default=[
        "payments.adapters.cloudpayments.CloudPayments",
        "payments.adapters.epay.Epay",
        "payments.adapters.kaspi.KaspiPay",
        "payments.adapters.cod.CashOnDelivery",
    ],
)
# CPN-2: the sources of the order's one discount (dotted paths to `orders.discount_sources.DiscountSource`s); the
# checkout asks each what it gives the cart and shows the better one. The loyalty app adds its bonuses here.
SHOP_DISCOUNT_SOURCES = env.list("SHOP_DISCOUNT_SOURCES", default=["orders.coupons.source.CouponSource"])
SHOP_COD_DELIVERY_METHODS = env.list("SHOP_COD_DELIVERY_METHODS", default=["courier", "pickup", "express"])
SHOP_COD_MAX_AMOUNT = Decimal(env.str("SHOP_COD_MAX_AMOUNT", default="1000000"))
# ORD-5: confirm orders automatically when placed (stock is reserved at placement), instead of by a manager.
SHOP_AUTO_CONFIRM_ORDERS = env.bool("SHOP_AUTO_CONFIRM_ORDERS", default=False)
# PAY-4: unpaid online orders are cancelled (stock released) after this; money arriving later is refunded.
SHOP_PAYMENT_TIMEOUT_MINUTES = env.int("SHOP_PAYMENT_TIMEOUT_MINUTES", default=30)
# RET-8/WAR-4: days the customer has to pay an exchange's price difference through its secret link
SHOP_EXCHANGE_PAYMENT_DAYS = env.int("SHOP_EXCHANGE_PAYMENT_DAYS", default=7)
# ORD-5: an online payment confirms a placed order (its stock is reserved), so it goes on to "paid" at once.
SHOP_CONFIRM_WHEN_PAID = env.bool("SHOP_CONFIRM_WHEN_PAID", default=True)
# Who is mailed when money needs a person (a payment for a cancelled order, a refund the provider refused).
SHOP_PAYMENT_ALERT_EMAILS = env.list(
    "SHOP_PAYMENT_ALERT_EMAILS", default=[] if IS_PRODUCTION else ["support@localhost"]
)
# PAY-6: the local fake gateways (payments/sandbox). On in development and tests; refused in production. Calls to
# SHOP_PAYMENT_SANDBOX_HOST never leave the process: they are served by the sandbox's own views.
SHOP_PAYMENT_SANDBOX = env.bool("SHOP_PAYMENT_SANDBOX", default=not IS_PRODUCTION)
if IS_PRODUCTION and SHOP_PAYMENT_SANDBOX:
    raise ImproperlyConfigured("SHOP_PAYMENT_SANDBOX cannot be on in production: it fakes payments")
SHOP_PAYMENT_SANDBOX_HOST = "payments-sandbox.invalid"
_SANDBOX_API = f"http://{SHOP_PAYMENT_SANDBOX_HOST}/payments/sandbox"


def _payment_setting(name: str, sandbox_default: str, production_default: str = "") -> str:
    return env.str(name, default=sandbox_default if SHOP_PAYMENT_SANDBOX else production_default)


# CloudPayments (TipTop Pay in Kazakhstan): keys from the merchant cabinet; notification URLs to register there:
# {SHOP_BASE_URL}/payments/notify/cloudpayments/{check,pay,fail,refund,confirm,cancel}/
CLOUDPAYMENTS_PUBLIC_ID = _payment_setting("CLOUDPAYMENTS_PUBLIC_ID", "pk_sandbox_public_id")
CLOUDPAYMENTS_API_SECRET = _payment_setting("CLOUDPAYMENTS_API_SECRET", "sandbox-api-secret")
CLOUDPAYMENTS_API_URL = _payment_setting("CLOUDPAYMENTS_API_URL", f"{_SANDBOX_API}/cloudpayments/api",
                                         "https://api.tiptoppay.kz")
CLOUDPAYMENTS_WIDGET_URL = _payment_setting("CLOUDPAYMENTS_WIDGET_URL", "/payments/sandbox/cloudpayments/widget.js",
                                            "https://widget.tiptoppay.kz/bundles/widget.js")
# Epay (Halyk Bank): terminal and OAuth client from the bank; postLink/failurePostLink are sent with each payment:
# {SHOP_BASE_URL}/payments/notify/epay/post/ and .../epay/failure/
EPAY_CLIENT_ID = _payment_setting("EPAY_CLIENT_ID", "sandbox-client")
EPAY_CLIENT_SECRET = _payment_setting("EPAY_CLIENT_SECRET", "sandbox-client-secret")
EPAY_TERMINAL_ID = _payment_setting("EPAY_TERMINAL_ID", "sandbox-terminal")
EPAY_OAUTH_URL = _payment_setting("EPAY_OAUTH_URL", f"{_SANDBOX_API}/epay/oauth2/token",
                                  "https://epay-oauth.homebank.kz/oauth2/token")
EPAY_API_URL = _payment_setting("EPAY_API_URL", f"{_SANDBOX_API}/epay/api", "https://epay-api.homebank.kz")
EPAY_PAYMENT_PAGE_JS = _payment_setting("EPAY_PAYMENT_PAGE_JS", "/payments/sandbox/epay/payment-api.js",
                                        "https://epay.homebank.kz/payform/payment-api.js")
# Kaspi Pay (Kaspi QR merchant API): organisation BIN, device token and the client certificate Kaspi issues.
KASPI_API_URL = _payment_setting("KASPI_API_URL", f"{_SANDBOX_API}/kaspi/qr")
KASPI_ORGANIZATION_BIN = _payment_setting("KASPI_ORGANIZATION_BIN", "000000000000")
KASPI_DEVICE_TOKEN = _payment_setting("KASPI_DEVICE_TOKEN", "sandbox-device-token")
KASPI_CLIENT_CERT = env.str("KASPI_CLIENT_CERT", default="")  # path to the PEM certificate (with its key)
KASPI_CLIENT_KEY = env.str("KASPI_CLIENT_KEY", default="")  # path to the key, if not in the certificate file
SHOP_COUPON_VALIDITY_DAYS = env.int("SHOP_COUPON_VALIDITY_DAYS", default=365)  # CPN-1: default validity
SHOP_DEFAULT_WARRANTY_MONTHS = env.int("SHOP_DEFAULT_WARRANTY_MONTHS", default=12)
SHOP_PAGE_CACHE_SECONDS = env.int("SHOP_PAGE_CACHE_SECONDS", default=600)
SHOP_PAGE_MEMORY_ENTRIES = env.int("SHOP_PAGE_MEMORY_ENTRIES", default=300)  # per process, ~20-40 KB each
# Issue 15: off renders every catalogue page from the database (to measure and test the cold path).
SHOP_PAGE_CACHE = env.bool("SHOP_PAGE_CACHE", default=True)
SHOP_CARD_CACHE_SECONDS = env.int("SHOP_CARD_CACHE_SECONDS", default=24 * 3600)  # keyed by the card's own data
SHOP_CARD_MEMORY_ENTRIES = env.int("SHOP_CARD_MEMORY_ENTRIES", default=4000)  # per process, ~1-2 KB each
# Issue 15: the product page's body cached by its own data (shop/product_fragment.py); false: rendered each time.
SHOP_PRODUCT_FRAGMENT_CACHE = env.bool("SHOP_PRODUCT_FRAGMENT_CACHE", default=True)
SHOP_PRODUCT_CACHE_SECONDS = env.int("SHOP_PRODUCT_CACHE_SECONDS", default=24 * 3600)
SHOP_PRODUCT_MEMORY_ENTRIES = env.int("SHOP_PRODUCT_MEMORY_ENTRIES", default=500)  # per process, ~10-20 KB each
SHOP_IMAGE_MAX_BYTES = env.int("SHOP_IMAGE_MAX_BYTES", default=8 * 1024 * 1024)
SHOP_IMAGE_MAX_PIXELS = env.int("SHOP_IMAGE_MAX_PIXELS", default=40_000_000)
SHOP_THUMBNAIL_SIZES = {"thumb": 400, "large": 1000}
# Issue 16, item 8: product images are also written at these sizes (each a box in pixels) in these formats, best
# first (AVIF only where the installed Pillow writes it); pages offer them in <picture> with srcset and sizes.
SHOP_IMAGE_RENDITION_WIDTHS = (200, 300, 400, 600, 800, 1000)
SHOP_IMAGE_RENDITION_FORMATS = ("avif", "webp")

# Slots a lower app offers and the apps above fill (dotted paths: the lower app reads them, importing none).
# ACC-3: the personal cabinet's sections besides accounts' own (overview, profile, addresses, my data), each a
# CabinetSection (accounts/cabinet.py) bringing its pages; shown by their position.
SHOP_CABINET_SECTIONS = ["orders.cabinet.section", "returns.cabinet.section", "loyalty.cabinet.section"]
# ACC-3: parts of the "my data" export besides accounts' own, each `part(user) -> (key, data)`, in this order.
SHOP_PERSONAL_DATA_PARTS = ["orders.cabinet.personal_data"]
SHOP_PERSONAL_DATA_PARTS += ["loyalty.cabinet.personal_data"]  # issue 14 (loyalty2): the bonus account and history
# The header's cart count on cached storefront pages: `count(request) -> int` (shop/hooks.py).
SHOP_CART_COUNT = "orders.cart.context_processors.cart_count"
# CAT-4: who may review a product, `has_received(*, user, product) -> bool` (shop/hooks.py).
SHOP_REVIEW_ELIGIBILITY = "orders.selectors.has_received_product"

# --- Support, legal pages, consent (accounts issue) ---------------------------------------------------------
# (cabinet settings)
SHOP_MAX_ADDRESSES = env.int("SHOP_MAX_ADDRESSES", default=20)  # ACC-3: saved delivery addresses per customer
# (support settings: below this line)
# SUP-1: contact-form tickets accepted per client IP in a fixed window: "<count>/<s|m|h|d>".
SHOP_CONTACT_RATE_LIMIT = env.str("SHOP_CONTACT_RATE_LIMIT", default="5/h")
# ORD-5: "find my order" (number + e-mail) lookups per client IP, same syntax.
SHOP_ORDER_LOOKUP_RATE_LIMIT = env.str("SHOP_ORDER_LOOKUP_RATE_LIMIT", default="20/h")
SHOP_PRODUCT_PAGE_REVIEWS = env.int("SHOP_PRODUCT_PAGE_REVIEWS", default=20)  # CAT-4: newest approved shown
# (legal and consent settings: below this line)
# Absolute links in e-mails (a worker has no request to build them from): the public address of the shop.
# Required in production; in development `runshop` (make run) points it at the address it serves unless it is set.
SHOP_BASE_URL = env.str("SHOP_BASE_URL", default="" if IS_PRODUCTION else "http://127.0.0.1:8000").rstrip("/")
SHOP_BASE_URL_IS_SET = bool(os.environ.get("SHOP_BASE_URL", "").strip())
if IS_PRODUCTION and not SHOP_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("production needs SHOP_BASE_URL, the shop's public address (https://shop.example.kz)")
# LEG-2 cookie consent: the visitor's choice ("necessary" or "analytics") is kept in this cookie for a year.
SHOP_CONSENT_COOKIE = env.str("SHOP_CONSENT_COOKIE", default="cookie_consent")
SHOP_CONSENT_COOKIE_AGE = env.int("SHOP_CONSENT_COOKIE_AGE", default=365 * 24 * 60 * 60)
# HTML of the analytics snippet, rendered only for visitors who accepted analytics cookies (empty: none), and the
# cookies it sets, deleted when a visitor chooses "necessary only".
SHOP_ANALYTICS_SNIPPET = env.str("SHOP_ANALYTICS_SNIPPET", default="")
SHOP_ANALYTICS_COOKIES = env.list("SHOP_ANALYTICS_COOKIES", default=[])
# LEG-2 safety net: a terms change whose notification was lost (broker down, worker killed) is mailed by this sweep.
CELERY_BEAT_SCHEDULE["payments-poll"] = {"task": "payments.tasks.poll_open_payments", "schedule": timedelta(seconds=5)}
CELERY_BEAT_SCHEDULE["payments-expire-unpaid"] = {
    "task": "payments.tasks.expire_unpaid_orders",
    "schedule": timedelta(minutes=1),
}
# ORD-6: the sweep behind the order signals — a paid cancelled or refused order always gets its refund due.
CELERY_BEAT_SCHEDULE["returns-missing-refunds-due"] = {
    "task": "returns.tasks.record_missing_refunds_due",
    "schedule": timedelta(minutes=10),
}
CELERY_BEAT_SCHEDULE["terms-change-notices"] = {
    "task": "shop.tasks.send_due_terms_notices",
    "schedule": timedelta(minutes=15),
}

# Issue 13 (FIN-1): the refund report's big exports — run as a background job from this many rows, written to a
# private directory (never MEDIA_ROOT: it may be served to anyone), kept this many days, then swept away.
SHOP_REFUND_EXPORT_BACKGROUND_FROM = env.int("SHOP_REFUND_EXPORT_BACKGROUND_FROM", default=10_000)
SHOP_REFUND_EXPORT_KEEP_DAYS = env.int("SHOP_REFUND_EXPORT_KEEP_DAYS", default=7)
SHOP_REFUND_EXPORT_DIR = Path(env.str("SHOP_REFUND_EXPORT_DIR", default=str(BASE_DIR / "private" / "refund-exports")))
CELERY_BEAT_SCHEDULE["returns-sweep-refund-exports"] = {
    "task": "returns.report.tasks.sweep_expired_refund_exports",
    "schedule": crontab(hour=4, minute=5),
}

# --- Warranty claims (issue 12: WAR-1..7) ---------------------------------------------------------------------
# WAR-2: a legal minimum warranty from delivery, in months (e.g. 24 where the law says 2 years; 0: none).
SHOP_WARRANTY_LEGAL_MINIMUM_MONTHS = env.int("SHOP_WARRANTY_LEGAL_MINIMUM_MONTHS", default=0)
SHOP_WARRANTY_REPORT_MONTHS = env.int("SHOP_WARRANTY_REPORT_MONTHS", default=2)  # WAR-2: from finding the defect
SHOP_WARRANTY_PRESUMPTION_MONTHS = env.int("SHOP_WARRANTY_PRESUMPTION_MONTHS", default=6)  # WAR-5
SHOP_WARRANTY_RESOLUTION_MONTHS = env.int("SHOP_WARRANTY_RESOLUTION_MONTHS", default=1)  # WAR-6
SHOP_WARRANTY_REPAIRS_BEFORE_REFUND = env.int("SHOP_WARRANTY_REPAIRS_BEFORE_REFUND", default=3)  # WAR-6
SHOP_WARRANTY_SEASON_MONTHS = env.int("SHOP_WARRANTY_SEASON_MONTHS", default=6)  # WAR-1: a season's length
SHOP_WARRANTY_MAX_ATTACHMENTS = env.int("SHOP_WARRANTY_MAX_ATTACHMENTS", default=5)  # WAR-3: files per claim
SHOP_WARRANTY_MAX_ATTACHMENT_BYTES = env.int("SHOP_WARRANTY_MAX_ATTACHMENT_BYTES", default=5 * 1024 * 1024)
# WAR-3: guest claim-form submissions (order number + e-mail) per client IP, "<count>/<s|m|h|d>".
SHOP_WARRANTY_CLAIM_RATE_LIMIT = env.str("SHOP_WARRANTY_CLAIM_RATE_LIMIT", default="10/h")
# SUP-2: who is told (once per claim) that claims went past the one-month clock.
SHOP_WARRANTY_ALERT_EMAILS = env.list("SHOP_WARRANTY_ALERT_EMAILS", default=SHOP_PAYMENT_ALERT_EMAILS)
# WAR-3: customers' claim attachments, never under MEDIA_ROOT (which may be served publicly).
SHOP_PRIVATE_MEDIA_ROOT = Path(env.str("SHOP_PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
# Task modules below the apps' own tasks.py (Celery autodiscovers only <app>.tasks).
CELERY_IMPORTS = [*globals().get("CELERY_IMPORTS", []), "returns.warranty.tasks", "returns.warranty.mail"]
CELERY_BEAT_SCHEDULE["warranty-overdue-claims"] = {
    "task": "returns.warranty.tasks.flag_overdue_claims",
    "schedule": timedelta(days=1),
}

# --- Static and media -----------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files served at the site root (favicon.ico: browsers ask for it on every site whatever the page says).
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
# Issue 16, item 8: files whose names change with their content are kept by browsers this long, `immutable`: the
# hashed static files (production's manifest storage) and, under these media folders, the product images.
SHOP_IMMUTABLE_MAX_AGE = 365 * 24 * 3600
SHOP_IMMUTABLE_MEDIA_PREFIXES = ("products/",)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o644

# --- Security -------------------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if IS_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)


# --- Loyalty programme (issue 14: LOY-1..10) --------------------------------------------------------------------
SHOP_DISCOUNT_SOURCES = [*SHOP_DISCOUNT_SOURCES, "loyalty.source.BonusSource"]  # CPN-2: bonuses, the second source
SHOP_LOYALTY_ACCRUAL_DELAY_DAYS = env.int("SHOP_LOYALTY_ACCRUAL_DELAY_DAYS", default=7)  # LOY-6
SHOP_LOYALTY_PURCHASE_EXPIRY_DAYS = env.int("SHOP_LOYALTY_PURCHASE_EXPIRY_DAYS", default=90)  # LOY-7
SHOP_LOYALTY_TIER_WINDOW_DAYS = env.int("SHOP_LOYALTY_TIER_WINDOW_DAYS", default=365)  # LOY-3
SHOP_LOYALTY_EXPIRING_SOON_DAYS = env.int("SHOP_LOYALTY_EXPIRING_SOON_DAYS", default=14)  # LOY-10 cabinet
SHOP_LOYALTY_EXPIRY_MAIL_DAYS = env.int("SHOP_LOYALTY_EXPIRY_MAIL_DAYS", default=7)  # mail: expiring within, weekly
SHOP_LOYALTY_JOIN_BONUS = env.int("SHOP_LOYALTY_JOIN_BONUS", default=0)  # LOY-7 useful action: never expires
SHOP_LOYALTY_SUPPORT_ADJUST_LIMIT = env.int("SHOP_LOYALTY_SUPPORT_ADJUST_LIMIT", default=5000)  # larger: superuser
SHOP_LOYALTY_SWEEP_BATCH = env.int("SHOP_LOYALTY_SWEEP_BATCH", default=500)
CELERY_BEAT_SCHEDULE.update(
    {
        "loyalty-accrue-due": {"task": "loyalty.tasks.accrue_due", "schedule": timedelta(minutes=15)},
        "loyalty-expire-lots": {"task": "loyalty.tasks.expire_lots", "schedule": crontab(hour=0, minute=10)},
        "loyalty-recompute-tiers": {"task": "loyalty.tasks.recompute_tiers", "schedule": crontab(hour=0, minute=30)},
    }
)
# Issue 14, LOY-1: joining by a one-time SMS code; the backend is pluggable (console/file in development).
SHOP_SMS_BACKEND = env.str(
    "SHOP_SMS_BACKEND",
    default="loyalty.sms.HttpSMSBackend" if IS_PRODUCTION else "loyalty.sms.ConsoleSMSBackend",
)
SHOP_SMS_FILE_PATH = env.str("SHOP_SMS_FILE_PATH", default=str(BASE_DIR / "var" / "sms.jsonl"))
SHOP_SMS_API_URL = env.str("SHOP_SMS_API_URL", default="https://api.mobizon.kz/service/message/sendsmsmessage")
SHOP_SMS_API_KEY = env.str("SHOP_SMS_API_KEY", default="")
SHOP_LOYALTY_OTP_TTL_SECONDS = env.int("SHOP_LOYALTY_OTP_TTL_SECONDS", default=300)  # the code lives 5 minutes
SHOP_LOYALTY_OTP_ATTEMPTS = env.int("SHOP_LOYALTY_OTP_ATTEMPTS", default=5)
SHOP_LOYALTY_OTP_PHONE_RATE = env.str("SHOP_LOYALTY_OTP_PHONE_RATE", default="3/h")  # codes sent per phone
SHOP_LOYALTY_OTP_IP_RATE = env.str("SHOP_LOYALTY_OTP_IP_RATE", default="10/h")  # codes sent per client IP
# --- Issue 11: return requests, refunds from decisions, their sweeps ----------------------------------------------
# RET-6: false — the refund waits until the goods are back; true — a proof of shipment (tracking number) is enough.
SHOP_RETURN_REFUND_ON_PROOF_OF_SHIPMENT = env.bool("SHOP_RETURN_REFUND_ON_PROOF_OF_SHIPMENT", default=False)
# RET-4: the customer's photos (checked with Pillow): bytes each, how many, pixels each (decompression bombs).
SHOP_RETURN_PHOTO_MAX_BYTES = env.int("SHOP_RETURN_PHOTO_MAX_BYTES", default=10 * 2**20)
SHOP_RETURN_PHOTO_MAX_COUNT = env.int("SHOP_RETURN_PHOTO_MAX_COUNT", default=5)
SHOP_RETURN_PHOTO_MAX_PIXELS = env.int("SHOP_RETURN_PHOTO_MAX_PIXELS", default=40_000_000)
# Guests find their order for a return by number + e-mail, this many tries per IP.
SHOP_RETURN_LOOKUP_RATE_LIMIT = env.str("SHOP_RETURN_LOOKUP_RATE_LIMIT", default="10/h")
# Where the daily digest of late returns and refunds goes (RET-5/7, REF-5).
SHOP_RETURNS_ALERT_EMAILS = env.list("SHOP_RETURNS_ALERT_EMAILS", default=SHOP_PAYMENT_ALERT_EMAILS)
CELERY_BEAT_SCHEDULE["returns-lapse-unsent"] = {
    "task": "returns.tasks.lapse_unsent_returns",
    "schedule": timedelta(hours=1),
}
CELERY_BEAT_SCHEDULE["returns-retry-refunds"] = {
    "task": "returns.tasks.retry_failed_refunds",
    "schedule": timedelta(minutes=15),
}
CELERY_BEAT_SCHEDULE["returns-daily-digest"] = {
    "task": "returns.tasks.flag_late_and_send_digest",
    "schedule": crontab(hour=9, minute=0),
}

# --- Issue 16 (polisha): error pages, headers and limits, logging -------------------------------------------------
# The shop's own 403 page when a form's CSRF check fails (config/errors.py; 400/403/404/500 are in config/urls.py);
# under DEBUG (make run) the shop's 404 page instead of Django's technical one.
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.common.CommonMiddleware") + 1,
                  "config.middleware.ShopNotFoundPageInDebug")

# Body caps (base/request_limits.py): a larger body is refused with 413 before anything reads it. Views marked
# @accepts_uploads (return and warranty photos: up to 5 x 10 MB) and the admin for staff accept the larger cap.
SHOP_MAX_REQUEST_BYTES = env.int("SHOP_MAX_REQUEST_BYTES", default=2 * 1024 * 1024)
SHOP_UPLOAD_MAX_REQUEST_BYTES = env.int(  # the most photos a return request or warranty claim takes, and the form
    "SHOP_UPLOAD_MAX_REQUEST_BYTES",
    default=max(SHOP_RETURN_PHOTO_MAX_COUNT * SHOP_RETURN_PHOTO_MAX_BYTES,
                SHOP_WARRANTY_MAX_ATTACHMENTS * SHOP_WARRANTY_MAX_ATTACHMENT_BYTES) + 5 * 1024 * 1024,
)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)  # form fields
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)  # then a temp file
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DATA_UPLOAD_MAX_NUMBER_FILES", default=20)
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware"),
                  "base.request_limits.RequestBodyLimitMiddleware")  # before the CSRF check reads the body
# Content-Security-Policy (django-csp): this site's own files, the payment providers' widgets and an inline script
# only with this response's nonce (the analytics block). SHOP_CSP_EXTRA_SOURCES adds origins (an analytics
# service, a CDN) to scripts, styles, images, fonts, frames and connections.
_CSP_EXTRA = sorted(
    {
        f"{parsed.scheme}://{parsed.netloc}"
        for parsed in map(urlparse, [CLOUDPAYMENTS_WIDGET_URL, EPAY_PAYMENT_PAGE_JS, MEDIA_URL, STATIC_URL])
        if parsed.scheme in {"http", "https"} and parsed.netloc
    }
) + env.list("SHOP_CSP_EXTRA_SOURCES", default=[])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE, *_CSP_EXTRA],
        "style-src": [csp.SELF, *_CSP_EXTRA],
        "img-src": [csp.SELF, "data:", *_CSP_EXTRA],
        "font-src": [csp.SELF, *_CSP_EXTRA],
        "connect-src": [csp.SELF, *_CSP_EXTRA],
        "frame-src": [csp.SELF, *_CSP_EXTRA],
        "form-action": [csp.SELF, *_CSP_EXTRA],
        "frame-ancestors": [csp.NONE],
        "base-uri": [csp.SELF],
        "object-src": [csp.NONE],
    }
}
INSTALLED_APPS.append("csp")
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
# Permissions-Policy and Cross-Origin-Resource-Policy (config/middleware.py; empty: not sent)
SHOP_PERMISSIONS_POLICY = env.str(
    "SHOP_PERMISSIONS_POLICY",
    default="accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), usb=(), "
    "browsing-topics=(), payment=(self" + "".join(f' "{origin}"' for origin in _CSP_EXTRA) + ")",
)
SHOP_CROSS_ORIGIN_RESOURCE_POLICY = env.str("SHOP_CROSS_ORIGIN_RESOURCE_POLICY", default="same-origin")
MIDDLEWARE.insert(MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1, "config.middleware.SecurityHeaders")
# Every HTML page says how it may be cached: never by a shared cache (config/middleware.py)
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                  "config.middleware.HtmlCacheControl")
# Dates and times per language (config/formats/<lang>/formats.py): "2 желтоқсан 2026, 18:12", a 24-hour clock
FORMAT_MODULE_PATH = ["config.formats"]
# Operations: a request id on every log line and in the tasks a request queues; LOG_FORMAT=json for one JSON object
# per line (config/observability.py); errors to Sentry when SENTRY_DSN is set.
MIDDLEWARE.insert(0, "config.observability.RequestIdMiddleware")
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env.str("LOG_LEVEL", default="INFO"))
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # workers log through LOGGING too: the same format, the task's request id
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=DJANGO_ENV,
        send_default_pii=False,  # no e-mails, IPs or cookies of customers leave for the tracker
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
