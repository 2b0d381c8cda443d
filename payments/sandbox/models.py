"""What the fake gateways remember between calls: one row per provider-side payment (invoice, transaction)."""

from django.db import models


class SandboxTransaction(models.Model):
    provider = models.CharField(max_length=20)
    key = models.CharField(max_length=64)  # the provider's id: TransactionId, Epay id, QrPaymentId
    invoice_id = models.CharField(max_length=20, blank=True, db_index=True)
    status = models.CharField(max_length=20)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="KZT")
    refunded = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("provider", "key"), name="sandbox_provider_key_unique")]

    def __str__(self):
        return f"{self.provider} {self.key} {self.status}"
