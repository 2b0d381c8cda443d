"""The personal cabinet ("Кабинет", ACC-3). The accounts issue fills in profile, addresses and data export."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def overview(request):
    return render(request, "accounts/overview.html")
