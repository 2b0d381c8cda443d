"""The customer's order pages (ORD-5..7): to be written."""

from django.http import Http404


def order_detail(request, token):
    raise Http404


def request_cancellation(request, token):
    raise Http404


def find_order(request):
    raise Http404
