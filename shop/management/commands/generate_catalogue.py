"""`manage.py generate_catalogue --products 20000`: a large made-up catalogue for the bench (issue 15)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from shop.generated_catalogue import generate_catalogue
from shop.models import Product


class Command(BaseCommand):
    help = "Add generated products (bulk inserts, search documents included) until the shop has --products."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, required=True, help="the number of active products wanted")

    def handle(self, *args, products: int, **options):
        if products < 0 or products > 1_000_000:
            raise CommandError("--products must be between 0 and 1 000 000")
        missing = products - Product.objects.filter(is_active=True).count()
        if missing <= 0:
            self.stdout.write(f"The shop already has {products} or more active products.")
            return
        started = time.monotonic()
        generate_catalogue(missing)
        if connection.vendor == "postgresql":
            # The bulk insert, then the search documents' update, leave one dead row per product and no statistics:
            # what autovacuum does some minutes later on a real shop, done now so the pages are measured as they run.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE shop_product")
                cursor.execute("VACUUM ANALYZE shop_variant")
        self.stdout.write(f"Generated {missing} products in {time.monotonic() - started:.1f} s.")
