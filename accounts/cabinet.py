"""The personal cabinet's frame (ACC-3): its sections in order, the layout with the sub-navigation every cabinet
page renders in, and the `cabinet_view` guard.

accounts owns the overview, profile, addresses and "my data" sections. The apps above it (orders, returns,
loyalty) contribute theirs through ``SHOP_CABINET_SECTIONS``, dotted paths to `CabinetSection` objects, so that
accounts imports none of them. A contributed section brings its own views as `urlpatterns`, mounted under
/cabinet/ in the "accounts" URL namespace (accounts/urls.py); the sub-navigation and the overview's tiles list the
sections by `position`."""

from dataclasses import dataclass
from functools import lru_cache, wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from django.urls import URLPattern, reverse
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache


@dataclass(frozen=True)
class CabinetSection:
    """One entry of the cabinet's sub-navigation and one tile on its overview."""

    key: str  # the `section` a page renders with, marking its entry as current
    label: str | Promise  # lazy: resolved in the visitor's language at render time
    url_name: str  # where the entry leads, e.g. "accounts:orders"
    position: int  # entries are shown by position (ties in the settings' order)
    summary: str | Promise = ""  # the overview tile's line under the label
    urlpatterns: tuple[URLPattern, ...] = ()  # the section's pages, mounted under /cabinet/ by accounts/urls.py


# accounts' own sections; positions leave room for the contributed ones (orders 20, returns 30, bonuses 40).
OVERVIEW = CabinetSection(key="overview", label=_("Overview"), url_name="accounts:overview", position=10)
PROFILE = CabinetSection(
    key="profile",
    label=_("Profile"),
    url_name="accounts:profile",
    position=50,
    summary=_("Name, phone, e-mail, password and newsletter."),
)
ADDRESSES = CabinetSection(
    key="addresses",
    label=_("Addresses"),
    url_name="accounts:addresses",
    position=60,
    summary=_("Save delivery addresses for a quicker checkout."),
)
MY_DATA = CabinetSection(
    key="data",
    label=_("My data"),
    url_name="accounts:data",
    position=70,
    summary=_("Download everything we hold about you, or delete your account."),
)
OWN_SECTIONS = (OVERVIEW, PROFILE, ADDRESSES, MY_DATA)


@lru_cache(maxsize=8)
def _sections(paths: tuple[str, ...]) -> tuple[CabinetSection, ...]:
    contributed = []
    for path in paths:
        section = import_string(path)
        if not isinstance(section, CabinetSection):
            raise ImproperlyConfigured(f"SHOP_CABINET_SECTIONS: {path} is not a CabinetSection")
        contributed.append(section)
    sections = (*OWN_SECTIONS, *contributed)
    keys = [section.key for section in sections]
    if len(set(keys)) != len(keys):
        raise ImproperlyConfigured(f"SHOP_CABINET_SECTIONS: two cabinet sections share a key ({', '.join(keys)})")
    return tuple(sorted(sections, key=lambda section: section.position))


def sections() -> tuple[CabinetSection, ...]:
    """Every cabinet section, accounts' own and those listed in SHOP_CABINET_SECTIONS, in the order shown."""
    return _sections(tuple(settings.SHOP_CABINET_SECTIONS))


def section_urlpatterns() -> list[URLPattern]:
    """The contributed sections' pages, for accounts/urls.py (read once, when the URL map is loaded)."""
    return [pattern for section in sections() for pattern in section.urlpatterns]


def cabinet_view(view):
    """Signed-in customers only (anonymous visitors go to the login page with ?next=), never cached anywhere:
    these pages carry personal data."""
    return wraps(view)(login_required(never_cache(view)))


def render_cabinet(request, template: str, section: str, context: dict | None = None, status: int = 200):
    """Render a page of the cabinet: `template` extends accounts/_layout.html, which shows the sub-navigation
    with `section` (a CabinetSection key) marked as current."""
    nav = [{"key": s.key, "url": reverse(s.url_name), "label": s.label, "summary": s.summary} for s in sections()]
    return render(request, template, {"section": section, "cabinet_sections": nav, **(context or {})}, status=status)
