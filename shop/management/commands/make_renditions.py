"""`manage.py make_renditions`: write the AVIF/WebP renditions (issue 16, item 8) of product images saved before
they existed, and of all of them with `--all` (after changing SHOP_IMAGE_RENDITION_WIDTHS or _FORMATS). Each
image gets new JPEGs and renditions named after its digest; its old derived files are deleted."""

from functools import partial

from django.core.management.base import BaseCommand
from django.db import transaction

from shop.models import ProductImage


def _delete(storage, names) -> None:
    for name in names:
        storage.delete(name)


class Command(BaseCommand):
    help = "Write the AVIF/WebP renditions of product images that have none (--all: of every image)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="write them again for every image")

    def handle(self, *args, **options):
        images = ProductImage.objects.exclude(image="").order_by("pk")
        if not options["all"]:
            images = images.filter(renditions=[])
        done = 0
        for image in images.iterator(chunk_size=100):
            old_files = set(image.stored_files()) - {image.image.name}
            with transaction.atomic():
                image.make_derived_files()
                image.save(update_fields=["thumbnail", "large", "renditions"])
                gone = old_files - set(image.stored_files())
                transaction.on_commit(partial(_delete, image.image.storage, gone))
            done += 1
        self.stdout.write(f"Renditions written for {done} image(s).")
