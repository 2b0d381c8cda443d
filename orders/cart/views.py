"""Cart pages (ORD-1): the cart, and the POSTs that add, change and remove lines — each scoped to the visitor's
own cart. Works without JavaScript: every POST redirects back with a message."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from base.origin import same_origin_post

from ..models import CartLine
from . import selectors, services
from .context_processors import remember_cart_count
from .forms import AddToCartForm, QuantityForm


def cart(request):
    cart_ = selectors.find_cart(request)
    lines = selectors.cart_lines(cart_)
    for line in lines:
        line.unit_price = line.variant.current_price  # not frozen: checkout freezes it
        line.total = line.unit_price * line.quantity
    remember_cart_count(request, sum(line.quantity for line in lines))
    context = {
        "lines": lines,
        "has_lines": bool(lines),
        "total": sum((line.total for line in lines), start=0),
        "item_count": sum(line.quantity for line in lines),
    }
    return render(request, "orders/cart.html", context)


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not safe:
        target = fallback
    return HttpResponseRedirect(target)


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _capped_message(request, change: services.CartChange) -> None:
    messages.warning(
        request,
        ngettext(
            "Only %(count)s left, we put %(count)s in your cart.",
            "Only %(count)s left, we put %(count)s in your cart.",
            change.quantity,
        )
        % {"count": change.quantity},
    )


@same_origin_post  # "Add to cart" sits on pages cached for everyone: checked by origin (base/origin.py)
@require_POST
def add(request):
    form = AddToCartForm(request.POST)
    fallback = reverse("shop:catalogue")
    if not form.is_valid():
        _form_errors(request, form)
        return _back(request, fallback)
    variant = services.sellable_variants().filter(pk=form.cleaned_data["variant"]).first()
    if variant is None:
        messages.error(request, _("This product is not available."))
        return _back(request, fallback)
    if variant.stock < 1:
        messages.error(request, _("Sorry, this product is out of stock."))
        return _back(request, fallback)
    cart_ = services.cart_for(request)
    try:
        change = services.add_to_cart(cart=cart_, variant=variant, quantity=form.cleaned_data["quantity"])
    except services.OutOfStock:
        messages.error(request, _("Sorry, this product is out of stock."))
    except services.CartError:
        messages.error(request, _("This product is not available."))
    else:
        if change.capped:
            _capped_message(request, change)
        else:
            messages.success(request, _("Added to your cart: %(name)s.") % {"name": variant})
    return _back(request, fallback)


def _own_line(request, line_id: int) -> CartLine:
    cart_ = selectors.find_cart(request)
    line = CartLine.objects.filter(pk=line_id, cart=cart_).select_related("cart").first() if cart_ else None
    if line is None:
        raise Http404(_("No such line in your cart."))
    return line


@require_POST
def update_line(request, line_id: int):
    line = _own_line(request, line_id)
    form = QuantityForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return HttpResponseRedirect(reverse("orders:cart"))
    try:
        change = services.set_quantity(line=line, quantity=form.cleaned_data["quantity"])
    except services.OutOfStock:
        messages.error(request, _("Sorry, this product is out of stock. Remove it from the cart."))
    else:
        if change.capped:
            _capped_message(request, change)
        else:
            messages.success(request, _("Quantity updated."))
    return HttpResponseRedirect(reverse("orders:cart"))


@require_POST
def remove_line(request, line_id: int):
    line = _own_line(request, line_id)
    services.remove_line(line=line)
    messages.success(request, _("Removed from your cart."))
    return HttpResponseRedirect(reverse("orders:cart"))
