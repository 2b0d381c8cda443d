"""WAR-3 under real concurrency: ten customers file claims at the same instant, each in its own thread, connection and
transaction. The register's numbers for the year have no gaps and no duplicates (the locked counter row)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import City, Order
from returns.warranty import deadlines, services
from returns.warranty.models import WarrantyClaim, WarrantyClaimCounter
from tests import factories as f
from tests.concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup():
    # a transactional test starts from whatever the last flush left: the seeded city may be gone
    if not City.objects.filter(name_ru="Алматы").exists():
        City.objects.create(name="Алматы", name_ru="Алматы", name_kk="Алматы", name_en="Almaty")
    return f.delivery_setup(city_name="Алматы")


def claimant(order):
    def job():
        return services.file_claim(
            order=order,
            order_line=order.lines.get(),
            data=services.ClaimData(
                description="Не работает",
                defect_found_on=deadlines.today() - timedelta(days=1),
                preferred_remedy="repair",
                contact_name=order.full_name,
                contact_email=order.email,
            ),
        ).number

    return job


def test_war3_ten_concurrent_claims_get_ten_gapless_numbers(setup):
    # given: ten delivered orders, and no counter row for the year yet (the first claims race to create it)
    orders = []
    for n in range(10):
        order = f.placed_order(setup, email=f"c{n}@example.kz")
        Order.objects.filter(pk=order.pk).update(status="delivered", delivered_at=timezone.now() - timedelta(days=5))
        order.lines.update(warranty_months=12)
        orders.append(Order.objects.get(pk=order.pk))
    year = deadlines.today().year
    assert not WarrantyClaimCounter.objects.filter(year=year).exists()
    # when
    numbers, crashed = run_together([claimant(order) for order in orders])
    # then
    assert crashed == []
    assert sorted(numbers) == [f"W-{year}-{n:04d}" for n in range(1, 11)]
    assert sorted(WarrantyClaim.objects.values_list("sequence", flat=True)) == list(range(1, 11))
    assert WarrantyClaimCounter.objects.get(year=year).last_number == 10
