"""FIN-1: the refund report as a command, for a scheduled job —

    manage.py export_refunds --from 2026-12-01 --to 2026-12-31 --method card --status done \
        --format csv|xlsx|pdf --output FILE

The filters are the admin page's (the same form checks them); CSV goes to stdout when no --output is given. Bad
arguments give a clear message and exit status 2. Every run is audited like an export from the admin."""

import getpass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from django.utils import translation

from orders.payment_methods import RefundChannel, all_adapters
from returns.models import RefundReportExport
from returns.report import audit, exporters, selectors
from returns.report.exporters import RowCounter
from returns.report.forms import RefundReportForm

USAGE_ERROR = 2


def _split(values: list[str]) -> list[str]:
    """--status done --status sent, or --status done,sent."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _methods(values: list[str]) -> list[str]:
    """Payment method codes; a refund channel's name (card, ewallet, cash) stands for every method refunded
    through it, so `--method card` is every card acquirer."""
    adapters = all_adapters()
    channels = {channel.value for channel in RefundChannel}
    codes = []
    for value in _split(values):
        if value not in adapters and value in channels:
            codes.extend(code for code, adapter in adapters.items() if adapter.refund_channel == value)
        else:
            codes.append(value)
    return list(dict.fromkeys(codes))


class Command(BaseCommand):
    help = "Export the finance refund report (FIN-1) as CSV, XLSX or a PDF summary."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD (shop time)")
        parser.add_argument("--to", dest="date_to", required=True, help="last day, YYYY-MM-DD (inclusive)")
        parser.add_argument("--period", default=selectors.CLAIMED, help="claimed (default) or refunded")
        parser.add_argument(
            "--method",
            action="append",
            default=[],
            help="payment method code(s), or a refund channel: card, ewallet, cash",
        )
        parser.add_argument(
            "--status", action="append", default=[], help="due, sent, done, failed or overdue (repeatable)"
        )
        parser.add_argument("--reason", action="append", default=[], help="cancellation, refused, return, warranty")
        parser.add_argument("--format", dest="fmt", choices=("csv", "xlsx", "pdf"), default="csv")
        parser.add_argument("--output", default="-", help="file to write; '-' (default) is stdout, CSV only")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the headers and labels (default: the shop's)",
        )

    def handle(self, *args, language, **options):
        with translation.override(language):
            self.export(**options)

    def export(self, *, date_from, date_to, period, method, status, reason, fmt, output, **options):
        query = QueryDict(mutable=True)
        query.update({"date_from": date_from, "date_to": date_to, "period": period})
        query.setlist("method", _methods(method))
        query.setlist("status", _split(status))
        query.setlist("reason", _split(reason))
        form = RefundReportForm(query)
        if not form.is_valid():
            problems = "; ".join(
                f"--{name.replace('date_', '')}: {' '.join(errors)}" if name != "__all__" else " ".join(errors)
                for name, errors in form.errors.items()
            )
            raise CommandError(f"bad arguments: {problems}", returncode=USAGE_ERROR)
        if fmt != "csv" and output == "-":
            raise CommandError(f"--format {fmt} needs --output FILE (it is not text)", returncode=USAGE_ERROR)
        spec = form.to_filter()
        record = audit.start(
            user=None,
            requested_by=f"manage.py export_refunds ({getpass.getuser()})",
            channel=RefundReportExport.Channel.COMMAND,
            fmt=fmt,
            spec=spec,
            total_rows=selectors.filtered_refunds(spec).count(),
        )
        rows = RowCounter(spec)
        try:
            if fmt == "csv":
                if output == "-":
                    written = exporters.write_csv(self.stdout, rows)
                else:
                    with open(output, "w", encoding="utf-8", newline="") as file:
                        written = exporters.write_csv(file, rows)
            elif fmt == "xlsx":
                written = exporters.write_xlsx(output, rows)
            else:
                pdf, written = exporters.render_pdf(spec, prepared_by="")
                with open(output, "wb") as file:
                    file.write(pdf)
        except OSError as error:
            audit.fail(record, rows=rows.count, error=str(error))
            raise CommandError(f"cannot write {output}: {error.strerror or error}", returncode=USAGE_ERROR) from error
        audit.finish(record, rows=written)
        if output != "-":
            self.stderr.write(f"{written} refunds written to {output}")
