"""The personal cabinet ("Кабинет", ACC-3): overview, profile, addresses, "my data" export and account deletion.
The other apps' sections (my orders, returns and claims, bonus account) come through accounts/cabinet.py.

Every view needs a signed-in customer and reads or writes only that customer's rows: objects are looked up
through selectors scoped to request.user, so someone else's id is a 404, never a 403 that confirms it exists.
Browsing and buying never need an account (ACC-2): nothing outside /cabinet/ is behind a login."""

import json
from contextlib import suppress

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import policy, selectors, services
from .cabinet import cabinet_view, render_cabinet
from .forms import AddressForm, DeletionConfirmForm, ProfileForm
from .models import Address, User


def _posted(request):
    """The submitted data for a bound form, or None on GET (an empty POST still binds, and fails validation)."""
    return request.POST if request.method == "POST" else None


@cabinet_view
@require_GET
def overview(request):
    default_address = selectors.addresses_of(request.user).filter(is_default=True).first()
    return render_cabinet(request, "accounts/overview.html", "overview", {"default_address": default_address})


# --- Profile ------------------------------------------------------------------------------------------------------


@cabinet_view
@require_http_methods(["GET", "POST"])
def profile(request):
    # The form works on its own copy: an invalid submission must not leak into request.user (the header).
    instance = User.objects.get(pk=request.user.pk)
    form = ProfileForm(_posted(request), instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    return render_cabinet(request, "accounts/profile.html", "profile", {"form": form})


# --- Addresses ----------------------------------------------------------------------------------------------------


def _own_address(request, pk: int) -> Address:
    return get_object_or_404(selectors.addresses_of(request.user), pk=pk)


@cabinet_view
@require_GET
def addresses(request):
    saved = list(selectors.addresses_of(request.user))
    for address in saved:
        address.phone_display = policy.display_phone(address.phone)
    return render_cabinet(
        request,
        "accounts/addresses.html",
        "addresses",
        {
            "addresses": saved,
            "can_add": services.can_add_address(user=request.user),
            "max_addresses": settings.SHOP_MAX_ADDRESSES,
        },
    )


def _save_address(request, form, save):
    """Run `save`; a rule it refuses (e.g. the address cap) becomes a form error, success a redirect."""
    try:
        save()
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    messages.success(request, _("The address has been saved."))
    return redirect("accounts:addresses")


@cabinet_view
@require_http_methods(["GET", "POST"])
def address_add(request):
    can_add = services.can_add_address(user=request.user)
    initial = {"recipient": request.user.full_name, "phone": request.user.phone}
    form = AddressForm(_posted(request), initial=initial, offer_default=True)
    if request.method == "POST" and form.is_valid():
        saved = _save_address(
            request,
            form,
            lambda: services.create_address(
                user=request.user, make_default=form.cleaned_data["make_default"], **form.address_fields()
            ),
        )
        if saved:
            return saved
    return render_cabinet(
        request,
        "accounts/address_form.html",
        "addresses",
        {"form": form, "adding": True, "can_add": can_add, "max_addresses": settings.SHOP_MAX_ADDRESSES},
    )


@cabinet_view
@require_http_methods(["GET", "POST"])
def address_edit(request, pk: int):
    address = _own_address(request, pk)
    form = AddressForm(_posted(request), instance=address)
    if request.method == "POST" and form.is_valid():
        saved = _save_address(
            request, form, lambda: services.update_address(address=address, **form.address_fields())
        )
        if saved:
            return saved
    return render_cabinet(
        request,
        "accounts/address_form.html",
        "addresses",
        {"form": form, "adding": False, "address": address, "can_add": True},
    )


@cabinet_view
@require_http_methods(["GET", "POST"])
def address_delete(request, pk: int):
    address = _own_address(request, pk)
    if request.method == "POST":
        with suppress(Address.DoesNotExist):  # deleted meanwhile in another tab: the outcome the customer wanted
            services.delete_address(user=request.user, address_id=address.pk)
        messages.success(request, _("The address has been deleted."))
        return redirect("accounts:addresses")
    address.phone_display = policy.display_phone(address.phone)
    return render_cabinet(request, "accounts/address_delete.html", "addresses", {"address": address})


@cabinet_view
@require_POST
def address_make_default(request, pk: int):
    address = _own_address(request, pk)
    try:
        services.set_default_address(user=request.user, address_id=address.pk)
    except Address.DoesNotExist:
        messages.error(request, _("That address no longer exists."))
    else:
        messages.success(request, _("This is now your default address."))
    return redirect("accounts:addresses")


# --- My data: export and deletion ---------------------------------------------------------------------------------


@cabinet_view
@require_http_methods(["GET", "POST"])
def my_data(request):
    """GET explains the export; POST returns it as a JSON download (a POST, so no link prefetcher, crawler or
    shared cache ever fetches a copy)."""
    if request.method == "GET":
        return render_cabinet(request, "accounts/data.html", "data")
    data = selectors.personal_data_export(request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = policy.export_filename(timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@cabinet_view
@require_http_methods(["GET", "POST"])
def delete_account(request):
    staff = request.user.is_staff or request.user.is_superuser
    form = DeletionConfirmForm(_posted(request), user=request.user)
    status, throttled = 200, False
    if request.method == "POST" and not staff:
        if not ratelimit.consume(request, action="reauthenticate", user=request.user):
            form, throttled, status = DeletionConfirmForm(user=request.user), True, 429
        elif form.is_valid():
            try:
                services.request_deletion(user=request.user)
            except services.DeletionNotAllowed as exc:
                form.add_error(None, str(exc))
            else:
                logout(request)
                messages.success(request, _("Your account has been deleted and your personal data removed."))
                return redirect("shop:home")
    return render_cabinet(
        request, "accounts/delete.html", "data", {"form": form, "staff": staff, "throttled": throttled}, status=status
    )
