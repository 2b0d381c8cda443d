"""`manage.py seed_demo`: load the demo shop — the catalogue and information pages (data files in shop/demo_data/,
the catalogue through shop.catalogue_import), delivery tariffs, pickup points, stores with stock and demo coupons
(data files in config/demo_data/), staff groups and an admin.

It lives in config, the composition root, because it writes every app's tables; the apps themselves stay
layered (shop never imports orders or accounts).

Idempotent: everything is keyed by slug / SKU / e-mail / name / code and only written when it differs from the
seed, so a second run writes nothing and creates no duplicates. `--once` (used by `make run`) does nothing when
the shop already has products, so edits made in the admin survive restarts — except that a shop seeded before
delivery existed (no tariff at all) gets the delivery and coupon demo data, so it can sell.

    python manage.py seed_demo                 # admin e-mail / password from DEMO_ADMIN_EMAIL / DEMO_ADMIN_PASSWORD
    python manage.py seed_demo --reset-admin   # also set the existing admin's password again
"""

import csv
import os
import time
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import timezone, translation

from accounts.staff_groups import sync_staff_groups
from orders.models import City, Coupon, DeliveryTariff, PickupPoint, Store, StoreStock
from shop.catalogue_import import ImportReport, differs, import_categories, import_products
from shop.demo_catalogue import CATEGORIES_FILE, PRODUCTS_FILE, demo_pages, demo_seller_details, render_demo_picture
from shop.models import Category, Page, Product, ProductImage, SellerDetails, Variant

ORDERS_DATA = Path(__file__).resolve().parents[2] / "demo_data"  # config/demo_data: what buying needs (DLV, CPN)


@cache
def demo_rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of config/demo_data/<name>.csv as {column: text}."""
    with (ORDERS_DATA / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def _langs() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class CouponSeed:
    code: str
    kind: str  # "percent" or "fixed"
    value: Decimal
    min_goods_total: Decimal
    about: str  # for the seed summary
    categories: tuple[str, ...]  # category slugs; empty: every category
    max_uses: int | None
    expired: bool  # shows the "expired" message at checkout


def demo_coupons() -> list[CouponSeed]:
    return [
        CouponSeed(
            code=row["code"],
            kind=row["kind"],
            value=Decimal(row["value"]),
            min_goods_total=Decimal(row["min_goods_total"]),
            about=row["about"],
            categories=tuple(row["categories"].split()),
            max_uses=int(row["max_uses"]) if row["max_uses"] else None,
            expired=row["expired"] == "yes",
        )
        for row in demo_rows("coupons")
    ]


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
        self.stats = {"created": 0, "updated": 0, "unchanged": 0, "images": 0}
        if once and Product.objects.exists():
            self.stdout.write("Demo data already loaded (run `manage.py seed_demo` to restore it).")
            if not DeliveryTariff.objects.exists():  # a shop seeded before checkout existed could not sell
                with translation.override(settings.LANGUAGE_CODE):
                    self.seed_delivery()
                    self.seed_coupons()
                self.stdout.write(self.delivery_summary())
            self.stdout.write(self.coupon_summary())
            self.stdout.write(self.style.SUCCESS(self.admin_line()))
            return
        started = time.perf_counter()
        with translation.override(settings.LANGUAGE_CODE):  # the untranslated column gets the Russian text
            self.seed_catalogue()
            self.seed_pages()
            self.seed_seller_details()
            self.seed_delivery()
            self.seed_coupons()
            groups = self.seed_groups()
            admin_line = self.seed_admin(reset_admin)
        elapsed = time.perf_counter() - started

        roots = Category.objects.filter(parent__isnull=True).count()
        self.stdout.write(
            f"Categories: {Category.objects.count()} ({roots} top-level) · Products: {Product.objects.count()} · "
            f"Variants: {Variant.objects.count()} · Images: {ProductImage.objects.count()} · "
            f"Pages: {Page.objects.count()} · Groups: {', '.join(groups)}"
        )
        self.stdout.write(self.delivery_summary())
        self.stdout.write(self.coupon_summary())
        self.stdout.write(
            f"This run: {self.stats['created']} created, {self.stats['updated']} updated, "
            f"{self.stats['unchanged']} unchanged, {self.stats['images']} images generated in {elapsed:.1f} s"
        )
        self.stdout.write(self.style.SUCCESS(admin_line))

    # -- generic upsert ------------------------------------------------------------------------------------------

    def upsert(self, model: type[models.Model], existing: dict, key_field: str, key, values: dict):
        """get-or-create by `key`, then write only the fields that differ from the seed (no write if none)."""
        return self.upsert_keyed(model, existing, key, {key_field: key}, values)

    def upsert_keyed(self, model: type[models.Model], existing: dict, key, identity: dict, values: dict):
        """`upsert` for rows known by several fields: `existing[key]`, created with `identity` + `values`."""
        obj = existing.get(key)
        if obj is None:
            obj = model(**identity, **values)
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

    def seed_catalogue(self) -> None:
        """CAT-1, CAT-2: the demo categories and products, loaded by the same importer a shop owner uses; the
        products get a drawn picture when they have none."""
        report = import_categories(CATEGORIES_FILE, ImportReport())
        import_products(PRODUCTS_FILE, render_missing=render_demo_picture, report=report)
        if report.refused:
            raise CommandError("The demo catalogue has bad rows:\n" + "\n".join(map(str, report.refused)))
        for kind in ("category", "product", "sku"):  # images are counted apart, as generated
            for outcome in ("created", "updated", "unchanged"):
                self.stats[outcome] += report.counts[kind][outcome]
        self.stats["images"] += report.counts["image"]["created"]

    def seed_pages(self) -> None:
        existing = {p.slug: p for p in Page.objects.all()}
        with transaction.atomic():
            for page in demo_pages(settings.SHOP_NAME):
                values = {
                    **{f"title_{lang}": text for lang, text in page.title.items()},
                    **{f"body_{lang}": text for lang, text in page.body.items()},
                    "position": page.position,
                    "is_published": True,
                }
                self.upsert(Page, existing, "slug", page.slug, values)

    def seed_seller_details(self) -> None:
        """LEG-3: the demo seller's details when the row is missing; details the owner has edited are kept."""
        if not SellerDetails.objects.exists():
            SellerDetails.objects.create(id=SellerDetails.SINGLE_ROW, **demo_seller_details())
            self.stats["created"] += 1

    def seed_delivery(self) -> None:
        """DLV-1..3: the tariff table (every method for every city, cheaper in the store cities), pickup points
        and the two stores with stock for express delivery. Rows of a city the admin removed are skipped."""
        cities = {c.name_ru: c for c in City.objects.all()}
        with transaction.atomic():
            tariffs = {(t.method, t.city_id): t for t in DeliveryTariff.objects.all()}
            for seed in demo_rows("tariffs"):
                city = cities.get(seed["city"]) if seed["city"] else None
                if seed["city"] and city is None:
                    continue
                city_id = city.pk if city else None
                values = {
                    "base_cost": Decimal(seed["base_cost"]),
                    "per_kg": Decimal(seed["per_kg"]),
                    "bulky_surcharge": Decimal(seed["bulky_surcharge"]),
                    "free_from": Decimal(seed["free_from"]) if seed["free_from"] else None,
                    "is_active": True,
                }
                identity = {"method": seed["method"], "city_id": city_id}
                self.upsert_keyed(DeliveryTariff, tariffs, (seed["method"], city_id), identity, values)

            points = {(p.city_id, p.name_ru): p for p in PickupPoint.objects.all()}
            for seed in demo_rows("pickup_points"):
                if seed["city"] not in cities:
                    continue
                city_id = cities[seed["city"]].pk
                values = {
                    **{f"{column}_{lang}": seed[f"{column}_{lang}"] for column in ("address", "hours", "name")
                       for lang in _langs()},
                    "is_active": True,
                }  # fmt: skip
                self.upsert_keyed(PickupPoint, points, (city_id, seed["name_ru"]), {"city_id": city_id}, values)

            stores = {s.name_ru: s for s in Store.objects.all()}
            for seed in demo_rows("stores"):
                if seed["city"] not in cities:
                    continue
                values = {
                    "city_id": cities[seed["city"]].pk,
                    **{f"{column}_{lang}": seed[f"{column}_{lang}"] for column in ("address", "name")
                       for lang in _langs()},
                    "is_active": True,
                }  # fmt: skip
                self.upsert_keyed(Store, stores, seed["name_ru"], {}, values)
            self.seed_store_stock(stores)

    def seed_store_stock(self, stores: dict[str, Store]) -> None:
        """The quantity of each SKU in each store (store_stock.csv: a fixed share of the goods in stock, a few
        pieces each), written in bulk (a few hundred rows)."""
        variant_ids = dict(Variant.objects.values_list("sku", "pk"))
        existing = {(row.store_id, row.variant_id): row for row in StoreStock.objects.all()}
        new, changed = [], []
        for seed in demo_rows("store_stock"):
            store, variant_id = stores.get(seed["store"]), variant_ids.get(seed["sku"])
            if store is None or variant_id is None:
                continue
            quantity = int(seed["quantity"])
            row = existing.get((store.pk, variant_id))
            if row is None:
                new.append(StoreStock(store=store, variant_id=variant_id, quantity=quantity))
            elif row.quantity != quantity:
                row.quantity = quantity
                changed.append(row)
            else:
                self.stats["unchanged"] += 1
        StoreStock.objects.bulk_create(new)
        StoreStock.objects.bulk_update(changed, ["quantity"])
        self.stats["created"] += len(new)
        self.stats["updated"] += len(changed)

    def seed_coupons(self) -> None:
        """CPN-1: the demo coupons. Dates are set when a coupon is created, and renewed only when a coupon meant
        to be valid has run out (a demo database a year old), so a second run writes nothing."""
        now = timezone.now()
        validity = timedelta(days=settings.SHOP_COUPON_VALIDITY_DAYS)
        coupons = demo_coupons()
        categories = {c.slug: c for c in Category.objects.filter(slug__in={s for c in coupons for s in c.categories})}
        with transaction.atomic():
            existing = {c.code: c for c in Coupon.objects.filter(code__in=[c.code for c in coupons])}
            for seed in coupons:
                values = {
                    "kind": seed.kind,
                    "value": seed.value,
                    "min_goods_total": seed.min_goods_total,
                    "max_uses": seed.max_uses,
                    "is_active": True,
                }
                coupon = existing.get(seed.code)
                if seed.expired and (coupon is None or coupon.valid_until > now):
                    values |= {"valid_from": now - timedelta(days=120), "valid_until": now - timedelta(days=30)}
                elif not seed.expired and (coupon is None or coupon.valid_until <= now):
                    values |= {"valid_from": now, "valid_until": now + validity}
                coupon = self.upsert(Coupon, existing, "code", seed.code, values)
                wanted = {categories[slug].pk for slug in seed.categories if slug in categories}
                if set(coupon.categories.values_list("pk", flat=True)) != wanted:
                    coupon.categories.set(wanted)
                    self.stats["updated"] += 1

    def delivery_summary(self) -> str:
        return (
            f"Delivery: {DeliveryTariff.objects.count()} tariffs · "
            f"{PickupPoint.objects.filter(is_active=True).count()} pickup points · "
            f"{Store.objects.filter(is_active=True).count()} stores with "
            f"{StoreStock.objects.filter(quantity__gt=0).count()} SKUs in stock (express same day)"
        )

    def coupon_summary(self) -> str:
        coupons = demo_coupons()
        found = {c.code for c in Coupon.objects.filter(code__in=[c.code for c in coupons])}
        listed = [f"{c.code} ({c.about})" for c in coupons if c.code in found]
        return f"Demo coupons: {' · '.join(listed)}" if listed else "Demo coupons: none"

    def seed_groups(self) -> list[str]:
        """STAFF-1: the groups' permissions, kept as data in accounts.staff_groups."""
        groups = sync_staff_groups()
        for group in groups:
            self.stats[group.outcome] += 1
        return [group.name for group in groups]

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
        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
