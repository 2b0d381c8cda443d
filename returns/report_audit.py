"""FIN-1 / STAFF-1: every export of the refund report (returns.report), audited — who, when, which filters, how many
rows; a big export run in the background keeps its progress and its file here (kept SHOP_REFUND_EXPORT_KEEP_DAYS).
It sits beside returns.models, not inside returns.report, because returns.models imports it and returns.report reads
returns.models: the package would otherwise import itself in a cycle (the acyclic_siblings contract)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RefundReportExport(models.Model):
    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        PDF = "pdf", "PDF"

    class Channel(models.TextChoices):
        DOWNLOAD = "download", _("Downloaded from the admin")
        BACKGROUND = "background", _("Prepared in the background")
        COMMAND = "command", _("Management command")

    class State(models.TextChoices):
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_by = models.CharField(_("requested by"), max_length=254, help_text=_("Kept when the user is deleted."))
    channel = models.CharField(_("how"), max_length=12, choices=Channel.choices)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    filters = models.JSONField(_("filters"), default=dict)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.RUNNING)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    total_rows = models.PositiveIntegerField(_("rows expected"), default=0)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    expires_at = models.DateTimeField(_("file kept until"), null=True, blank=True, db_index=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("refund report")
        verbose_name_plural = _("refund report")
        ordering = ("-created_at", "-id")
        # Nobody adds, changes or deletes audit rows in the admin: the only right is opening the report (STAFF-1).
        default_permissions = ()
        permissions = [("view_refund_report", _("Can open and export the refund report"))]

    def __str__(self):
        return f"{self.get_format_display()} {self.requested_by} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def progress_percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, self.rows * 100 // self.total_rows) if self.total_rows else 0
