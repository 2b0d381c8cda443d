"""Checkout pages (ORD-2): to be written."""

from django.http import Http404


def checkout(request):
    raise Http404


def quote(request):
    raise Http404


def coupon(request):
    raise Http404
