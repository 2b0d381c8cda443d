"""A payment refund names what it is for with an opaque reference the caller gives, instead of a foreign key to
the returns app's table (payments sits below returns and knows none of its tables)."""

from django.db import migrations, models


def references_from_refunds_due(apps, schema_editor):
    PaymentRefund = apps.get_model("payments", "PaymentRefund")
    for refund in PaymentRefund.objects.exclude(refund_due=None).only("pk", "refund_due_id").iterator():
        PaymentRefund.objects.filter(pk=refund.pk).update(reference=f"returns.refund:{refund.refund_due_id}")


class Migration(migrations.Migration):

    dependencies = [
        ("payments", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="paymentrefund",
            name="reference",
            field=models.CharField(blank=True, db_index=True, max_length=80, verbose_name="refund for"),
        ),
        migrations.RunPython(references_from_refunds_due, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="paymentrefund",
            name="refund_due",
        ),
    ]
