"""What every fake gateway shares: it exists only when the sandbox is on, and it calls us like the provider would."""

from functools import wraps

from django.conf import settings
from django.http import Http404

from payments import transport


def sandbox_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.SHOP_PAYMENT_SANDBOX:
            raise Http404("no payment sandbox here")
        return view(request, *args, **kwargs)

    return wrapper


def notify_shop(path: str, **kwargs) -> transport.Response:
    """POST to one of our own notification endpoints, as the provider's servers would (in-process)."""
    return transport.send("POST", f"http://{settings.SHOP_PAYMENT_SANDBOX_HOST}{path}", **kwargs)
