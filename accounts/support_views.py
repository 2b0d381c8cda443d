"""The contact form "Создать обращение" (SUP-1) and its thank-you page. Works for guests and customers."""

import math

from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_safe

from base.ratelimit import client_ip

from .support_forms import ContactForm
from .support_services import contact_rate_limit, create_ticket

# The thank-you page shows the number of the ticket this session just sent, and nothing else: its URL is the
# same for everyone, so reusing it in another browser shows no one's ticket.
SESSION_TICKET_KEY = "support:last-ticket"


def _initial_for(user) -> dict:
    if not user.is_authenticated:
        return {}
    return {"name": user.get_full_name(), "email": user.email, "phone": user.phone}


@require_http_methods(["GET", "POST"])
def contact(request):
    if request.method == "GET":
        return render(request, "support/contact.html", {"form": ContactForm(initial=_initial_for(request.user))})

    form = ContactForm(request.POST)
    spam = form.is_spam()
    if spam or form.is_valid():
        ip = client_ip(request)
        if not contact_rate_limit.hit(ip):
            return _rate_limited(request, form)
        if spam:  # pretend it went through: bots learn nothing, nothing is stored or mailed
            request.session[SESSION_TICKET_KEY] = ""
            return redirect("support:thanks")
        ticket = create_ticket(
            **{k: form.cleaned_data[k] for k in ("name", "email", "phone", "topic", "order_number", "message")},
            user=request.user,
            language=get_language(),
            ip_address=ip,
        )
        request.session[SESSION_TICKET_KEY] = ticket.number
        return redirect("support:thanks")
    return render(request, "support/contact.html", {"form": form})


def _rate_limited(request, form):
    seconds = contact_rate_limit.seconds_left()
    context = {"form": form, "rate_limited": True, "minutes": math.ceil(seconds / 60)}
    response = render(request, "support/contact.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


@require_safe
def thanks(request):
    if SESSION_TICKET_KEY not in request.session:
        return redirect("support:contact")
    return render(request, "support/thanks.html", {"number": request.session[SESSION_TICKET_KEY]})
