"""LOY-3: the initial tier table, from the programme's rules (seed 004): Basic, Regular, Partner, VIP."""

from decimal import Decimal

from django.db import migrations

TIERS = [
    # code, name, position, orders, sum, earn %, pay %
    ("basic", "Basic", 1, 0, "0", "3", "3"),
    ("regular", "Regular", 2, 3, "100000", "5", "5"),
    ("partner", "Partner", 3, 10, "500000", "7", "10"),
    ("vip", "VIP", 4, 15, "1000000", "10", "15"),
]


def seed(apps, schema_editor):
    Tier = apps.get_model("loyalty", "Tier")
    for code, name, position, orders, total, earn, pay in TIERS:
        Tier.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "position": position,
                "min_orders": orders,
                "min_sum": Decimal(total),
                "earn_percent": Decimal(earn),
                "pay_percent": Decimal(pay),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("loyalty", "0001_loyalty_ledger")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
