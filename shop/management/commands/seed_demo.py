"""`manage.py seed_demo`: load the demo shop (shop/demo_catalogue.py), staff groups and an admin.

Idempotent: everything is keyed by slug / SKU / e-mail / name and only written when it differs from the seed,
so a second run writes nothing and creates no duplicates. `--once` (used by `make run`) does nothing when the
shop already has products, so edits made in the admin survive restarts.

    python manage.py seed_demo                 # admin e-mail / password from DEMO_ADMIN_EMAIL / DEMO_ADMIN_PASSWORD
    python manage.py seed_demo --reset-admin   # also set the existing admin's password again
"""

import os
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import translation

from shop.demo_catalogue import CATALOGUE, LANGS, PAGES, STAFF_GROUPS, build_catalogue, differs, render_product_image
from shop.models import Category, Page, Product, ProductImage, Variant


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo catalogue, information pages, staff groups and an admin user."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Do nothing if the shop already has products (so `make run` keeps what you changed).",
        )
        parser.add_argument(
            "--reset-admin",
            action="store_true",
            help="Set the admin's password to DEMO_ADMIN_PASSWORD even if the admin already exists.",
        )

    def handle(self, *args, reset_admin=False, once=False, **options):
        if getattr(settings, "IS_PRODUCTION", False) and "DEMO_ADMIN_PASSWORD" not in os.environ:
            raise CommandError("In production set DEMO_ADMIN_PASSWORD explicitly; the default password is 'admin'.")
        if once and Product.objects.exists():
            self.stdout.write("Demo data already loaded (run `manage.py seed_demo` to restore it).")
            self.stdout.write(self.style.SUCCESS(self.admin_line()))
            return
        started = time.perf_counter()
        self.stats = {"created": 0, "updated": 0, "unchanged": 0, "images": 0}
        with translation.override(settings.LANGUAGE_CODE):  # the untranslated column gets the Russian text
            categories = self.seed_categories()
            self.seed_products(categories)
            self.seed_pages()
            groups = self.seed_groups()
            admin_line = self.seed_admin(reset_admin)
        elapsed = time.perf_counter() - started

        roots = Category.objects.filter(parent__isnull=True).count()
        self.stdout.write(
            f"Categories: {Category.objects.count()} ({roots} top-level) · Products: {Product.objects.count()} · "
            f"Variants: {Variant.objects.count()} · Images: {ProductImage.objects.count()} · "
            f"Pages: {Page.objects.count()} · Groups: {', '.join(groups)}"
        )
        self.stdout.write(
            f"This run: {self.stats['created']} created, {self.stats['updated']} updated, "
            f"{self.stats['unchanged']} unchanged, {self.stats['images']} images generated in {elapsed:.1f} s"
        )
        self.stdout.write(self.style.SUCCESS(admin_line))

    # -- generic upsert ------------------------------------------------------------------------------------------

    def upsert(self, model: type[models.Model], existing: dict, key_field: str, key, values: dict):
        """get-or-create by `key`, then write only the fields that differ from the seed (no write if none)."""
        obj = existing.get(key)
        if obj is None:
            obj = model(**{key_field: key}, **values)
            obj.save()
            existing[key] = obj
            self.stats["created"] += 1
            return obj
        changed = [name for name, value in values.items() if differs(getattr(obj, name), value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save()  # a full save keeps modeltranslation's untranslated column in step
            self.stats["updated"] += 1
        else:
            self.stats["unchanged"] += 1
        return obj

    # -- sections ----------------------------------------------------------------------------------------------

    def seed_categories(self) -> dict[str, Category]:
        existing = {c.slug: c for c in Category.objects.all()}
        with transaction.atomic():
            for position, root in enumerate(CATALOGUE, start=1):
                parent = self.upsert(Category, existing, "slug", root.slug, self._category_values(root, None, position))
                for sub_position, sub in enumerate(root.subs, start=1):
                    flags = {**root.flags, **sub.flags}
                    self.upsert(
                        Category, existing, "slug", sub.slug, self._category_values(sub, parent, sub_position, flags)
                    )
        return existing

    @staticmethod
    def _category_values(node, parent, position: int, flags: dict | None = None) -> dict:
        flags = node.flags if flags is None else flags
        values = {
            "parent_id": parent.pk if parent else None,
            **{f"name_{lang}": node.name[i] for i, lang in enumerate(LANGS)},
            **{f"description_{lang}": node.description[i] for i, lang in enumerate(LANGS)},
            "position": position * 10,
            "is_active": True,
            "returnable": flags.get("returnable", True),
            "non_returnable_reason": flags.get("non_returnable_reason", ""),
            "bonus_payable": flags.get("bonus_payable", True),
            "bonus_earning": flags.get("bonus_earning", True),
        }
        if "warranty_months" in flags:
            values["warranty_months"] = flags["warranty_months"]
        return values

    def seed_products(self, categories: dict[str, Category]) -> None:
        products = {p.slug: p for p in Product.objects.all()}
        variants = {v.sku: v for v in Variant.objects.all()}
        with_images = set(ProductImage.objects.values_list("product_id", flat=True))
        for seed in build_catalogue():
            existing = products.get(seed.slug)
            needs_image = existing is None or existing.pk not in with_images
            picture = render_product_image(seed) if needs_image else None  # rendered outside the transaction
            with transaction.atomic():
                values = {"category_id": categories[seed.category_slug].pk, **seed.values}
                product = self.upsert(Product, products, "slug", seed.slug, values)
                for variant in seed.variants:
                    self.upsert(Variant, variants, "sku", variant.sku, {"product_id": product.pk, **variant.values})
                if picture is not None:
                    image = ProductImage(
                        product=product, position=0, **{f"alt_{lang}": seed.alt[i] for i, lang in enumerate(LANGS)}
                    )
                    # ProductImage.save() makes the thumbnail and the large version from this file
                    image.image = ContentFile(picture, name=f"{seed.slug[:60]}.jpg")
                    image.save()
                    with_images.add(product.pk)
                    self.stats["images"] += 1

    def seed_pages(self) -> None:
        existing = {p.slug: p for p in Page.objects.all()}
        with transaction.atomic():
            for position, (kind, (title, body)) in enumerate(PAGES.items(), start=1):
                values = {
                    **{f"title_{lang}": title[i] for i, lang in enumerate(LANGS)},
                    **{f"body_{lang}": body[i].format(shop=settings.SHOP_NAME) for i, lang in enumerate(LANGS)},
                    "position": position * 10,
                    "is_published": True,
                }
                self.upsert(Page, existing, "slug", str(kind), values)

    def seed_groups(self) -> list[str]:
        for name in STAFF_GROUPS:
            _, created = Group.objects.get_or_create(name=name)
            self.stats["created" if created else "unchanged"] += 1
        return list(STAFF_GROUPS)

    def seed_admin(self, reset: bool) -> str:
        email = os.environ.get("DEMO_ADMIN_EMAIL", "admin@example.com").strip().lower()
        password = os.environ.get("DEMO_ADMIN_PASSWORD", "admin")
        user_model = get_user_model()
        url = self.admin_url()
        with transaction.atomic():
            user = user_model.objects.filter(email__iexact=email).first()
            if user is None:
                user = user_model.objects.create_superuser(email=email, password=password)
                self.stats["created"] += 1
            elif reset:
                user.set_password(password)
                user.is_staff = user.is_superuser = user.is_active = True
                user.save()
                self.stats["updated"] += 1
            else:
                self.stats["unchanged"] += 1
                return self.admin_line()
            self._verify_email(user)
        return f"Admin: {url} — {email} / {password}"

    @staticmethod
    def admin_url() -> str:
        return f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/admin/"

    def admin_line(self) -> str:
        email = os.environ.get("DEMO_ADMIN_EMAIL", "admin@example.com").strip().lower()
        password = os.environ.get("DEMO_ADMIN_PASSWORD", "admin")
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            return f"Admin: no user {email} (run `manage.py seed_demo`)"
        if user.check_password(password):
            return f"Admin: {self.admin_url()} — {email} / {password}"
        return f"Admin: {self.admin_url()} — {email} (password changed; --reset-admin sets it from DEMO_ADMIN_PASSWORD)"

    @staticmethod
    def _verify_email(user) -> None:
        """Mark the admin's address confirmed for allauth, so the same login also works on the storefront."""
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
