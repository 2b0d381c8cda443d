"""`manage.py import_catalogue FILE`: load a shop owner's catalogue from a spreadsheet export (CAT-1, CAT-2).

    python manage.py import_catalogue goods.csv                          # images from ./images or ./images.zip
    python manage.py import_catalogue goods.csv --images photos.zip      # or a folder
    python manage.py import_catalogue goods.csv --categories categories.csv

One row per SKU; idempotent by SKU (a second run of the same file changes nothing); the rows it refuses are
printed with their row number and the reason, and the other rows are imported. The columns are described in
README.md ("Loading your own catalogue") and in shop/catalogue_import.py.
"""

from django.core.management.base import BaseCommand, CommandError

from shop.catalogue_import import CatalogueFileError, images_beside, import_catalogue


class Command(BaseCommand):
    help = "Import categories, products, SKUs and images from a CSV file (idempotent by SKU), with a report."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The products CSV: one row per SKU, UTF-8, with a header row.")
        parser.add_argument(
            "--images",
            metavar="DIR_OR_ZIP",
            help="A folder or .zip with the images the file names (default: images/ or images.zip beside FILE).",
        )
        parser.add_argument(
            "--categories",
            metavar="CSV",
            help="A categories CSV imported first (slug, parent, name_ru, name_kk, name_en, ...).",
        )

    def handle(self, *args, file, images=None, categories=None, **options):
        images = images or images_beside(file)
        try:
            report = import_catalogue(file, categories=categories, images=images)
        except CatalogueFileError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
        if report.refused:
            self.stdout.write(self.style.WARNING(f"{len(report.refused)} rows refused: fix them and run it again."))
        else:
            self.stdout.write(self.style.SUCCESS("Every row imported."))
