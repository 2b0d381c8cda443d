"""FIN-1 / STAFF-1: the refund report in the admin, for the Finance group (returns.view_refund_report) and superusers
only — the page (filters, totals, chart, paged table), its exports (CSV, XLSX, PDF, each audited), big exports
prepared in the background, and the export log. Registered on the audit model, so "Refund report" sits under
"Returns and claims" on the admin's index; nobody may add, change or delete an audit row."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from base import export
from orders.admin import payment_label

from ..models import RefundReportExport
from . import audit, exporters, selectors, storage
from .chart import build_chart
from .exporters import RowCounter
from .forms import RefundReportForm, method_choices
from .tasks import export_in_background

PERMISSION = "returns.view_refund_report"
PER_PAGE = 50
FORMATS = ("csv", "xlsx", "pdf")


def may_use_report(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm(PERMISSION)


def audited_stream(lines, record: RefundReportExport, rows: RowCounter):
    """The CSV's bytes; the audit row learns how many refunds went out once the last one has (or that the
    download stopped half-way)."""
    finished = False
    try:
        for line in lines:
            yield line.encode("utf-8")
        finished = True
    finally:
        if finished:
            audit.finish(record, rows=rows.count)
        else:
            audit.fail(record, rows=rows.count, error="download interrupted")


@admin.register(RefundReportExport)
class RefundReportAdmin(admin.ModelAdmin):
    list_display = ("created_at", "requested_by", "channel", "format", "state", "rows", "filters")
    list_filter = ("channel", "format", "state")
    list_display_links = None
    date_hierarchy = "created_at"

    # -- least privilege: open the report and read the log, nothing else ------------------------------------------

    def has_module_permission(self, request):
        return may_use_report(request.user)

    def has_view_permission(self, request, obj=None):
        return may_use_report(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _check(self, request):
        if not may_use_report(request.user):
            raise PermissionDenied

    # -- URLs -------------------------------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("export/<str:fmt>/", wrap(self.export_view), name="returns_refundreport_export"),
            path("background/", wrap(self.background_view), name="returns_refundreport_background"),
            path("file/<int:pk>/", wrap(self.file_view), name="returns_refundreport_file"),
            path("log/", wrap(self.log_view), name="returns_refundreport_log"),
            *super().get_urls(),
        ]

    def log_view(self, request):
        """The export audit as Django's list (filters by channel, format, state; by date)."""
        self._check(request)
        return super().changelist_view(request, extra_context={"title": _("Refund report exports")})

    # -- the report page ----------------------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        self._check(request)
        form = RefundReportForm.from_query(request.GET)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Refund report"),
            "opts": self.opts,
            "form": form,
            "jobs": RefundReportExport.objects.filter(user=request.user, channel=RefundReportExport.Channel.BACKGROUND)[
                :5
            ],
            "background_from": storage.background_from(),
        }
        status = 200
        if form.is_valid():
            spec = form.to_filter()
            labels = dict(method_choices())
            labels_once = exporters.Labels()
            totals = selectors.totals(spec)
            unit, buckets = selectors.chart_buckets(spec, spec.date_from, spec.date_to)
            period = f"{spec.date_from:%d.%m.%Y}–{spec.date_to:%d.%m.%Y}"
            paginator = Paginator(selectors.report_values(spec), PER_PAGE)
            page = paginator.get_page(request.GET.get("page"))
            query = request.GET.copy()
            query.pop("page", None)
            context.update(
                spec=spec,
                per_method=[(payment_label(t.method), t) for t in totals.per_method],
                overall=totals.overall,
                chart=build_chart(unit, buckets, labels, period=period),
                buckets=[
                    (b, [(labels.get(code, code), amount) for code, amount in b.amounts.items()]) for b in buckets
                ],
                page=page,
                rows=[
                    exporters.report_row(values, spec.today, labels_once)
                    for values in selectors.with_items(list(page.object_list))
                ],
                query=query.urlencode(),
                formats=FORMATS,
            )
        else:
            status = 400
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "returns/report/report.html", context, status=status)

    # -- exports ------------------------------------------------------------------------------------------------

    def _spec_or_400(self, request):
        form = RefundReportForm.from_query(request.GET if request.method == "GET" else request.POST)
        if not form.is_valid():
            return None, HttpResponse(
                _("The report's filters are not valid: %(errors)s") % {"errors": form.errors.as_text()},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return form.to_filter(), None

    def export_view(self, request, fmt):
        """Exactly what the page shows, for download: CSV and XLSX streamed, the PDF summary; audited."""
        self._check(request)
        if fmt not in FORMATS:
            raise Http404
        spec, error = self._spec_or_400(request)
        if error:
            return error
        count = selectors.filtered_refunds(spec).count()
        record = audit.start(
            user=request.user, channel=RefundReportExport.Channel.DOWNLOAD, fmt=fmt, spec=spec, total_rows=count
        )
        if fmt == "csv":
            rows = RowCounter(spec)
            response = StreamingHttpResponse(
                audited_stream(exporters.csv_lines(rows), record, rows), content_type=export.CSV_CONTENT_TYPE
            )
            response["Content-Disposition"] = content_disposition_header(
                as_attachment=True, filename=exporters.filename(spec, "csv")
            )
            return response
        if fmt == "xlsx":
            rows = RowCounter(spec)
            file = storage.temporary_file()
            try:
                exporters.write_xlsx(file, rows)
            except BaseException as error:
                file.close()
                audit.fail(record, rows=rows.count, error=repr(error))
                raise
            audit.finish(record, rows=rows.count)
            file.seek(0)
            return FileResponse(
                file,
                as_attachment=True,
                filename=exporters.filename(spec, "xlsx"),
                content_type=export.XLSX_CONTENT_TYPE,
            )
        pdf, covered = exporters.render_pdf(
            spec, prepared_by=request.user.get_full_name() or request.user.get_username()
        )
        audit.finish(record, rows=covered)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=exporters.filename(spec, "pdf")
        )
        return response

    def background_view(self, request):
        """POST: prepare the export in a Celery job that mails Finance a link to the file (FIN-1 big periods)."""
        self._check(request)
        if request.method != "POST":
            return redirect(reverse("admin:returns_refundreportexport_changelist"))
        fmt = request.POST.get("format", "")
        if fmt not in ("csv", "xlsx"):
            return HttpResponse(_("Choose CSV or XLSX."), status=400, content_type="text/plain; charset=utf-8")
        spec, error = self._spec_or_400(request)
        if error:
            return error
        count = selectors.filtered_refunds(spec).count()
        record = audit.start(
            user=request.user, channel=RefundReportExport.Channel.BACKGROUND, fmt=fmt, spec=spec, total_rows=count
        )
        transaction.on_commit(lambda: export_in_background.delay(record.pk))
        self.message_user(
            request,
            _("The export is being prepared; a link will be mailed to you and shown here when it is ready."),
        )
        url = reverse("admin:returns_refundreportexport_changelist")
        query = request.POST.copy()
        for key in ("csrfmiddlewaretoken", "format"):
            query.pop(key, None)
        return redirect(f"{url}?{query.urlencode()}")

    def file_view(self, request, pk):
        """A background export's file: Finance only (the report's permission), while it is kept."""
        self._check(request)
        record = RefundReportExport.objects.filter(pk=pk, state=RefundReportExport.State.DONE).first()
        file = storage.open_kept(record) if record else None
        if file is None:
            raise Http404
        return FileResponse(
            file,
            as_attachment=True,
            filename=record.file_name,
            content_type=export.XLSX_CONTENT_TYPE if record.format == "xlsx" else export.CSV_CONTENT_TYPE,
        )
