"""Reference data: the cities of Kazakhstan the shop delivers to (names in ru/kk/en); admins add or hide more."""

from django.db import migrations

from orders.delivery.reference_data import CITIES, ensure_cities


def add_cities(apps, schema_editor):
    ensure_cities(apps.get_model("orders", "City"))


def remove_cities(apps, schema_editor):
    apps.get_model("orders", "City").objects.filter(name__in=[c[0] for c in CITIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("orders", "0002_city_coupon_deliverytariff_order_orderevent_and_more")]
    operations = [migrations.RunPython(add_cities, remove_cities)]
