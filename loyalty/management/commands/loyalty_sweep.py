"""Run one loyalty sweep "as of" a moment, for support and tests: ``manage.py loyalty_sweep accrue --as-of
2027-03-10T12:00``. Without --as-of the sweep runs as of now, like the scheduled one."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from base.workdays import shop_tz
from loyalty import services, sweeps

SWEEPS = ("accrue", "expire", "tiers")


def parse_moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--as-of must be an ISO date or date-time, not {text!r}") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=shop_tz())


class Command(BaseCommand):
    help = "Run a loyalty sweep (accrue, expire, tiers) as of a given date or time in the shop's zone."

    def add_arguments(self, parser):
        parser.add_argument("sweep", choices=SWEEPS)
        parser.add_argument("--as-of", dest="as_of", default="", help="ISO date or date-time (shop's time zone)")
        parser.add_argument("--batch", type=int, default=None)

    def handle(self, *args, sweep, as_of, batch, **options):
        now = parse_moment(as_of) if as_of else timezone.now()
        if sweep == "accrue":
            result = sweeps.accrue_due(now=now, batch=batch)
            self.stdout.write(f"{result} bonuses accrued as of {now.isoformat()}")
        elif sweep == "expire":
            result = sweeps.expire_lots(now=now, batch=batch)
            self.stdout.write(f"{result} bonuses expired as of {now.isoformat()}")
        else:
            result = sweeps.recompute_tiers(today=services.local_date(now), batch=batch)
            self.stdout.write(f"{result} tiers changed as of {services.local_date(now).isoformat()}")
