"""Loading a catalogue from spreadsheet exports (CAT-1, CAT-2): categories, products with their SKUs and images,
written idempotently and reported row by row.

One importer for two callers: `manage.py import_catalogue` (a shop owner's own catalogue) and `seed_demo` (the
demo catalogue in shop/demo_data/catalogue/). A products file has one row per SKU; rows naming the same product
(the `product` slug, else the product of an existing SKU, else the slug of `name_en`) are that product's variants,
and product columns left blank on a row take the value another row of the product gives. Categories come from the
database or from a categories file imported first; a product in an unknown category is refused, never guessed.

Idempotent: categories are keyed by slug, products by slug, variants by SKU, and a field is written only when it
differs from the file, so a second run of the same file writes nothing. Each product (with its SKUs and images) and
each category is written in its own transaction: a refused row is never written, a product whose write fails
leaves nothing behind, and the other rows still go in. Bad input never raises: whole-file problems (not UTF-8,
missing columns, no such image folder) raise `CatalogueFileError` with a plain message, bad rows land in the
report with their spreadsheet row number (the header is row 1) and the reason. Money is Decimal, never float.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_slug
from django.db import DatabaseError, transaction
from django.utils import translation
from django.utils.text import slugify

from .images import validate_image
from .models import Category, NonReturnableReason, Product, ProductImage, Variant
from .policy import is_valid_month_day
from .search import batched_refresh

PRICE_MAX = Decimal("9999999999.99")  # Variant.price: 12 digits, 2 of them decimals
WEIGHT_MAX = Decimal("99999.999")  # Variant.weight_kg: 8 digits, 3 of them decimals
SMALL_INT_MAX = 32_767  # PositiveSmallIntegerField
STOCK_MAX = 2_147_483_647  # PositiveIntegerField
YES = frozenset({"yes", "y", "true", "1", "да", "иә"})
NO = frozenset({"no", "n", "false", "0", "нет", "жоқ"})
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")

# Columns of a products file. Product columns may be blank on a product's other rows; variant columns are per row.
# `{lang}` stands for every language of settings.LANGUAGES.
PRODUCT_REQUIRED = ("sku", "category", "price", "name_{lang}")
PRODUCT_COLUMNS = (
    "product", "category", "name_{lang}", "description_{lang}", "brand", "is_active", "is_service", "returnable",
    "non_returnable_reason", "non_returnable_note_{lang}", "bonus_payable", "bonus_earning", "warranty_months",
    "season_start_month", "season_start_day",
)  # fmt: skip
VARIANT_COLUMNS = ("sku", "variant_{lang}", "price", "sale_price", "stock", "weight_kg", "bulky", "image")
CATEGORY_REQUIRED = ("slug", "name_{lang}")
CATEGORY_COLUMNS = (
    "slug", "parent", "position", "name_{lang}", "description_{lang}", "is_active", "returnable",
    "non_returnable_reason", "bonus_payable", "bonus_earning", "warranty_months",
)  # fmt: skip


class CatalogueFileError(Exception):
    """The file as a whole cannot be read (not UTF-8, not a table, required columns missing, no image folder)."""


class RowError(ValueError):
    """One row cannot be imported; the message says why, in words a shop owner acts on."""


@dataclass(frozen=True)
class RefusedRow:
    file: str
    row: int  # as the spreadsheet numbers it: the header is row 1
    key: str  # the SKU or the category slug, when the row has one
    reason: str

    def __str__(self):
        key = f" ({self.key})" if self.key else ""
        return f"{self.file} row {self.row}{key}: {self.reason}"


@dataclass
class ImportReport:
    """What an import did: per kind of object (category, product, SKU, image) how many were created, updated or
    left unchanged, and every refused row with the reason."""

    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    refused: list[RefusedRow] = field(default_factory=list)
    rows_read: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    def refuse(self, file: str, row: int, key: str, reason: str) -> None:
        self.refused.append(RefusedRow(file, row, key, reason))

    def total(self, outcome: str) -> int:
        return sum(counter[outcome] for counter in self.counts.values())

    @property
    def created(self) -> int:
        return self.total("created")

    @property
    def updated(self) -> int:
        return self.total("updated")

    @property
    def unchanged(self) -> int:
        return self.total("unchanged")

    def lines(self) -> list[str]:
        """The report as printed by `import_catalogue`."""
        imported = self.rows_read - len(self.refused)
        out = [f"Rows read: {self.rows_read} · imported: {imported} · refused: {len(self.refused)}"]
        for kind, label in (("category", "Categories"), ("product", "Products"), ("sku", "SKUs"), ("image", "Images")):
            counter = self.counts.get(kind, Counter())
            out.append(
                f"{label}: {counter['created']} created, {counter['updated']} updated, {counter['unchanged']} unchanged"
            )
        if self.ignored_columns:
            out.append(f"Ignored columns (not known to the importer): {', '.join(self.ignored_columns)}")
        if self.refused:
            out.append("Refused rows (nothing of them was written):")
            out.extend(f"  {refused}" for refused in sorted(self.refused, key=lambda r: (r.file, r.row)))
        return out


def differs(current, wanted) -> bool:
    """Whether a stored value must be rewritten to match the file (so an unchanged row writes nothing)."""
    if isinstance(wanted, str):
        return (current or "") != wanted  # translated text columns are nullable: NULL and "" are the same
    if isinstance(wanted, Decimal) and current is not None:
        return Decimal(current) != wanted
    return current != wanted


# -- reading tables -------------------------------------------------------------------------------------------------


@dataclass
class Table:
    name: str  # the file name, for the report
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, {column: stripped text})
    bad_rows: list[tuple[int, str]]  # rows refused while reading (NUL bytes, too many cells)
    ignored: list[str]  # columns the importer does not know


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _expand(columns: Iterable[str]) -> list[str]:
    return [column.format(lang=lang) for column in columns for lang in (_languages() if "{lang}" in column else [""])]


def read_table(path: Path | str, *, required: Iterable[str], known: Iterable[str]) -> Table:
    """A CSV file (a spreadsheet's "CSV UTF-8" export: comma, semicolon or tab separated) as stripped text cells."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueFileError(f"{path}: cannot read the file ({exc.strerror or exc}).") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CatalogueFileError(
            f"{path.name} is not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}). "
            'Save it from the spreadsheet as "CSV UTF-8" and import it again.'
        ) from exc
    if not text.strip():
        raise CatalogueFileError(f"{path.name} is empty: it needs a header row and one row per item.")
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise CatalogueFileError(f"{path.name} is not a readable CSV table: {exc}.") from exc

    columns = [cell.strip().lower() for cell in records[0]]
    repeated = sorted({column for column in columns if column and columns.count(column) > 1})
    if repeated:
        raise CatalogueFileError(f"{path.name}: the header names these columns twice: {', '.join(repeated)}.")
    missing = [column for column in _expand(required) if column not in columns]
    if missing:
        raise CatalogueFileError(
            f"{path.name}: the header lacks the required columns {', '.join(missing)} "
            f"(it has: {', '.join(c for c in columns if c) or 'nothing'})."
        )

    rows, bad_rows = [], []
    for number, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines at the end of a spreadsheet export
        if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
            bad_rows.append((number, f"the row has {len(cells)} cells but the header has {len(columns)} columns"))
            continue
        nul = next((i for i, cell in enumerate(cells) if "\x00" in cell), None)
        if nul is not None:
            where = (columns[nul] if nul < len(columns) else "") or f"column {nul + 1}"
            bad_rows.append((number, f"{where} contains a NUL character (0x00), which cannot be stored"))
            continue
        rows.append((number, {column: cell.strip() for column, cell in zip(columns, cells, strict=False) if column}))
    known_columns = set(_expand(known))
    return Table(path.name, columns, rows, bad_rows, [c for c in columns if c and c not in known_columns])


# -- cell parsers: each returns a value or raises RowError with what is wrong ---------------------------------------


def _boolean(row: dict, column: str, default: bool | None) -> bool | None:
    text = row.get(column, "").lower()
    if not text:
        return default
    if text in YES:
        return True
    if text in NO:
        return False
    raise RowError(f"{column} {row[column]!r} is not yes or no")


_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")


def _decimal(row: dict, column: str, places: int) -> Decimal | None:
    """A number as a spreadsheet writes it: '45990', '45 990,50', '45990.5 ₸'; blank is None."""
    text = row.get(column, "")
    if not text:
        return None
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).removesuffix("₸").removesuffix("KZT")
    if not _NUMBER.match(cleaned):
        raise RowError(f"{column} {text!r} is not a number")
    try:
        value = Decimal(cleaned.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only valid numbers
        raise RowError(f"{column} {text!r} is not a number") from exc
    if value.as_tuple().exponent < -places:
        raise RowError(f"{column} {text!r} has more than {places} decimal places")
    return value.quantize(Decimal(1).scaleb(-places))


def _money(row: dict, column: str, *, required: bool) -> Decimal | None:
    value = _decimal(row, column, 2)
    if value is None:
        if required:
            raise RowError(f"{column} is required")
        return None
    if value < 0:
        raise RowError(f"{column} {row[column]!r} is negative")
    if value == 0:
        raise RowError(f"{column} must be above 0")
    if value > PRICE_MAX:
        raise RowError(f"{column} {row[column]!r} is too large")
    return value


def _integer(row: dict, column: str, *, minimum: int, maximum: int) -> int | None:
    text = row.get(column, "")
    if not text:
        return None
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text)
    if not re.fullmatch(r"-?\d+(?:[.,]0+)?", cleaned):
        raise RowError(f"{column} {text!r} is not a whole number")
    value = int(re.split(r"[.,]", cleaned)[0])
    if not minimum <= value <= maximum:
        raise RowError(f"{column} {text!r} must be between {minimum} and {maximum}")
    return value


def _limited(text: str, column: str, limit: int | None) -> str:
    if limit is not None and len(text) > limit:
        raise RowError(f"{column} has {len(text)} characters, at most {limit} fit")
    return text


def _texts(row: dict, prefix: str, *, required: bool, limit: int | None = None) -> dict[str, str]:
    """One text per language: all required, or (optional texts) all or none, so no page is half translated."""
    texts = {lang: _limited(row.get(f"{prefix}_{lang}", ""), f"{prefix}_{lang}", limit) for lang in _languages()}
    missing = [f"{prefix}_{lang}" for lang, text in texts.items() if not text]
    if missing and (required or len(missing) < len(texts)):
        raise RowError(f"missing translation: {', '.join(missing)} (needed in every language: {', '.join(texts)})")
    return texts


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _reason(row: dict, returnable: bool | None) -> str:
    reason = row.get("non_returnable_reason", "").lower()
    if reason and reason not in NonReturnableReason.values:
        raise RowError(f"non_returnable_reason {reason!r} is not one of {', '.join(NonReturnableReason.values)}")
    if returnable is False and not reason:
        raise RowError("returnable is no but non_returnable_reason is empty (say why: hygiene, digital, ...)")
    return reason


def _model_errors(exc: ValidationError) -> str:
    with translation.override("en"):
        if hasattr(exc, "error_dict"):
            return "; ".join(
                " ".join(msgs) if name == "__all__" else f"{name}: {' '.join(msgs)}"
                for name, msgs in exc.message_dict.items()
            )
        return " ".join(exc.messages)


# -- images ---------------------------------------------------------------------------------------------------------


class ImageSource:
    """Image files named by the products file, from a folder or a zip archive; never reads outside it."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._zip: zipfile.ZipFile | None = None
        if self.path.is_dir():
            self._root = self.path.resolve()
        elif self.path.is_file() and zipfile.is_zipfile(self.path):
            try:
                self._zip = zipfile.ZipFile(self.path)
                self._members = {info.filename: info for info in self._zip.infolist() if not info.is_dir()}
            except (zipfile.BadZipFile, OSError) as exc:
                raise CatalogueFileError(f"{self.path.name}: cannot open the zip archive ({exc}).") from exc
        else:
            raise CatalogueFileError(f"{self.path}: the images must be a folder or a .zip archive.")

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def read(self, name: str) -> bytes:
        """The file's bytes; RowError when it is missing, unsafe to open or too large."""
        posix = PurePosixPath(name.replace("\\", "/"))
        if posix.is_absolute() or ".." in posix.parts or not posix.parts:
            raise RowError(f"image {name!r}: give a file name inside the images folder or zip")
        limit = settings.SHOP_IMAGE_MAX_BYTES
        too_large = f"image {name!r} is larger than {limit // 2**20} MB"
        if self._zip is None:
            path = (self._root / posix).resolve()
            if not path.is_relative_to(self._root) or not path.is_file():
                raise RowError(f"image {name!r} is not in {self.path}")
            if path.stat().st_size > limit:
                raise RowError(too_large)
            return path.read_bytes()
        info = self._members.get(str(posix)) or self._by_file_name(posix.name)
        if info is None:
            raise RowError(f"image {name!r} is not in {self.path.name}")
        if info.file_size > limit:
            raise RowError(too_large)
        try:
            with self._zip.open(info) as member:
                data = member.read(limit + 1)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
            raise RowError(f"image {name!r}: cannot be read from {self.path.name} ({exc})") from exc
        if len(data) > limit:
            raise RowError(too_large)
        return data

    def _by_file_name(self, file_name: str) -> zipfile.ZipInfo | None:
        """A zip made by "compress folder" holds images/x.jpg where the file says x.jpg: accept a unique match."""
        found = [info for path, info in self._members.items() if PurePosixPath(path).name == file_name]
        return found[0] if len(found) == 1 else None


def images_beside(path: Path | str) -> Path | None:
    """The default image source of a products file: an `images` folder or `images.zip` in the same folder."""
    folder = Path(path).resolve().parent
    for candidate in (folder / "images", folder / "images.zip"):
        if candidate.exists():
            return candidate
    return None


def _checked_image(source: ImageSource | None, name: str) -> bytes:
    if not name.lower().endswith(IMAGE_SUFFIXES):
        raise RowError(f"image {name!r}: use a .jpg, .png or .webp file")
    if source is None:
        raise RowError(f"image {name!r}: no images folder or zip given (--images)")
    data = source.read(name)
    try:
        with translation.override("en"):
            validate_image(ContentFile(data, name=name))
    except ValidationError as exc:
        raise RowError(f"image {name!r}: {_model_errors(exc)}") from exc
    return data


# -- categories -----------------------------------------------------------------------------------------------------


def import_categories(path: Path | str, report: ImportReport | None = None) -> ImportReport:
    """Write the categories of a categories file (parents before their children, or already in the shop)."""
    report = report or ImportReport()
    table = read_table(path, required=CATEGORY_REQUIRED, known=CATEGORY_COLUMNS)
    report.rows_read += len(table.rows) + len(table.bad_rows)
    report.ignored_columns += table.ignored
    for number, reason in table.bad_rows:
        report.refuse(table.name, number, "", reason)
    existing = {category.slug: category for category in Category.objects.all()}
    seen = Counter(row.get("slug", "") for _n, row in table.rows)
    with translation.override(settings.LANGUAGE_CODE):  # the untranslated column gets the default language
        for number, row in table.rows:
            slug = row.get("slug", "")
            try:
                if seen[slug] > 1:
                    rows = [str(n) for n, other in table.rows if other.get("slug") == slug]
                    raise RowError(f"slug {slug!r} is on rows {', '.join(rows)}: a category must be on one row only")
                values = _category_values(row, existing)
                _write_category(existing, slug, values, report)
            except RowError as exc:
                report.refuse(table.name, number, slug, str(exc))
    return report


def _category_values(row: dict, existing: dict[str, Category]) -> dict:
    slug = row.get("slug", "")
    if not slug:
        raise RowError("slug is required")
    _limited(slug, "slug", _max_length(Category, "slug"))
    try:
        validate_slug(slug)
    except ValidationError as exc:
        raise RowError(f"slug {slug!r} may hold only Latin letters, digits, hyphens and underscores") from exc
    parent_slug = row.get("parent", "")
    parent = None
    if parent_slug:
        parent = existing.get(parent_slug)
        if parent is None:
            raise RowError(f"unknown parent category {parent_slug!r} (list a parent before its children)")
        by_pk = {category.pk: category for category in existing.values()}
        ancestor = parent
        while ancestor is not None:
            if ancestor.slug == slug:
                raise RowError(f"parent {parent_slug!r} is inside {slug!r}: a category cannot be its own ancestor")
            ancestor = by_pk.get(ancestor.parent_id)
    returnable = _boolean(row, "returnable", True)
    values = {
        "parent_id": parent.pk if parent else None,
        **{
            f"name_{lang}": t
            for lang, t in _texts(row, "name", required=True, limit=_max_length(Category, "name")).items()
        },
        **{f"description_{lang}": text for lang, text in _texts(row, "description", required=False).items()},
        "is_active": _boolean(row, "is_active", True),
        "returnable": returnable,
        "non_returnable_reason": _reason(row, returnable),
        "bonus_payable": _boolean(row, "bonus_payable", True),
        "bonus_earning": _boolean(row, "bonus_earning", True),
    }
    position = _integer(row, "position", minimum=0, maximum=STOCK_MAX)
    if position is not None:
        values["position"] = position
    warranty = _integer(row, "warranty_months", minimum=0, maximum=SMALL_INT_MAX)
    if warranty is not None:
        values["warranty_months"] = warranty
    return values


def _write_category(existing: dict[str, Category], slug: str, values: dict, report: ImportReport) -> None:
    category = existing.get(slug)
    if category is not None and not any(differs(getattr(category, k), v) for k, v in values.items()):
        report.count("category", "unchanged")
        return
    outcome = "created" if category is None else "updated"
    category = category or Category(slug=slug)
    for name, value in values.items():
        setattr(category, name, value)
    try:
        category.full_clean(exclude=["parent"], validate_unique=False, validate_constraints=False)
        with transaction.atomic():
            category.save()
    except ValidationError as exc:
        raise RowError(_model_errors(exc)) from exc
    except DatabaseError as exc:
        raise RowError(f"the database refused it: {str(exc).splitlines()[0]}") from exc
    existing[slug] = category
    report.count("category", outcome)


# -- products -------------------------------------------------------------------------------------------------------


@dataclass
class _Line:
    """One accepted SKU row, parsed."""

    number: int
    sku: str
    values: dict
    image: str


@dataclass
class _Group:
    """The rows of one product."""

    slug: str
    rows: list[tuple[int, dict]] = field(default_factory=list)


def import_products(
    path: Path | str,
    *,
    images: Path | str | None = None,
    render_missing: Callable[[str], bytes | None] | None = None,
    report: ImportReport | None = None,
) -> ImportReport:
    """Write the products and SKUs of a products file, with the images it names from `images` (a folder or a zip).
    `render_missing(product_slug)` may supply a picture for a product that has none (the demo draws one)."""
    report = report or ImportReport()
    table = read_table(path, required=PRODUCT_REQUIRED, known=(*PRODUCT_COLUMNS, *VARIANT_COLUMNS))
    report.rows_read += len(table.rows) + len(table.bad_rows)
    report.ignored_columns += table.ignored
    for number, reason in table.bad_rows:
        report.refuse(table.name, number, "", reason)
    source = ImageSource(images) if images else None
    try:
        groups = _group_rows(table, report)
        slugs = [group.slug for group in groups]
        skus = [row["sku"] for group in groups for _n, row in group.rows]
        state = _State(
            categories={category.slug: category for category in Category.objects.all()},
            products={product.slug: product for product in Product.objects.filter(slug__in=slugs)},
            variants={variant.sku: variant for variant in Variant.objects.filter(sku__in=skus)},
            images=defaultdict(dict),
        )
        for image in ProductImage.objects.filter(product__slug__in=slugs):
            state.images[image.product_id].setdefault(image.position, image)
        # The search documents (CAT-5) of every product written are rebuilt together at the end.
        with translation.override(settings.LANGUAGE_CODE), batched_refresh():
            for group in groups:
                _import_product(group, table.name, state, source, render_missing, report)
    finally:
        if source is not None:
            source.close()
    return report


def import_catalogue(
    path: Path | str,
    *,
    categories: Path | str | None = None,
    images: Path | str | None = None,
    render_missing: Callable[[str], bytes | None] | None = None,
) -> ImportReport:
    """A categories file (optional) and then a products file, into one report."""
    report = ImportReport()
    if categories:
        import_categories(categories, report)
    return import_products(path, images=images, render_missing=render_missing, report=report)


@dataclass
class _State:
    categories: dict[str, Category]
    products: dict[str, Product]
    variants: dict[str, Variant]
    images: dict[int, dict[int, ProductImage]]  # product id -> position -> image


def _group_rows(table: Table, report: ImportReport) -> list[_Group]:
    """Rows by product, in file order; rows that cannot belong to a product (no or duplicate SKU) are refused."""
    counts = Counter(row.get("sku", "") for _n, row in table.rows)
    known_products = dict(
        Variant.objects.filter(sku__in=[sku for sku in counts if sku]).values_list("sku", "product__slug")
    )
    groups: dict[str, _Group] = {}
    for number, row in table.rows:
        sku = row.get("sku", "")
        try:
            if not sku:
                raise RowError("sku is required")
            _limited(sku, "sku", _max_length(Variant, "sku"))
            if counts[sku] > 1:
                rows = [str(n) for n, other in table.rows if other.get("sku") == sku]
                raise RowError(f"duplicate SKU: {sku!r} is on rows {', '.join(rows)} (one row per SKU)")
            slug = row.get("product", "")
            if slug:
                _limited(slug, "product", _max_length(Product, "slug"))
                try:
                    validate_slug(slug)
                except ValidationError as exc:
                    raise RowError(
                        f"product {slug!r} may hold only Latin letters, digits, hyphens and underscores"
                    ) from exc
            else:
                slug = known_products.get(sku) or slugify(row.get("name_en", "") or row.get("name_ru", ""))[:200]
            if not slug:
                raise RowError("no product slug and no name: cannot tell which product this SKU belongs to")
        except RowError as exc:
            report.refuse(table.name, number, sku, str(exc))
            continue
        groups.setdefault(slug, _Group(slug)).rows.append((number, row))
    return list(groups.values())


def _merged(group: _Group, table_name: str, report: ImportReport) -> tuple[dict, list[tuple[int, dict]]]:
    """The product's columns from all its rows (first non-blank value), and the rows that do not contradict it."""
    columns = [c for c in _expand(PRODUCT_COLUMNS) if c != "product"]
    merged: dict[str, str] = {}
    source: dict[str, int] = {}
    accepted = []
    for number, row in group.rows:
        clash = next(
            (c for c in columns if row.get(c) and c in merged and row[c] != merged[c]),
            None,
        )
        if clash is not None:
            report.refuse(
                table_name, number, row["sku"],
                f"{clash} {row[clash]!r} differs from {merged[clash]!r} on row {source[clash]} of the same product "
                f"{group.slug!r} (leave it blank or give the same value)",
            )  # fmt: skip
            continue
        for column in columns:
            if row.get(column) and column not in merged:
                merged[column], source[column] = row[column], number
        accepted.append((number, row))
    return merged, accepted


def _product_values(product: dict, categories: dict[str, Category]) -> dict:
    category = _category(product.get("category", ""), categories)
    returnable = _boolean(product, "returnable", None)
    month = _integer(product, "season_start_month", minimum=1, maximum=12)
    day = _integer(product, "season_start_day", minimum=1, maximum=31)
    if (month is None) != (day is None):
        raise RowError("give both season_start_month and season_start_day for a seasonal product, or neither")
    if month is not None and not is_valid_month_day(month, day):
        raise RowError(f"season start {day}.{month} is not a real date")
    reason = _reason(product, returnable)
    names = _texts(product, "name", required=True, limit=_max_length(Product, "name"))
    notes = _texts(product, "non_returnable_note", required=False, limit=_max_length(Product, "non_returnable_note"))
    return {
        "category_id": category.pk,
        **{f"name_{lang}": text for lang, text in names.items()},
        **{f"description_{lang}": text for lang, text in _texts(product, "description", required=False).items()},
        "brand": _limited(product.get("brand", ""), "brand", _max_length(Product, "brand")),
        "is_active": _boolean(product, "is_active", True),
        "is_service": _boolean(product, "is_service", False),
        "returnable": returnable,
        "non_returnable_reason": reason,
        **{f"non_returnable_note_{lang}": text for lang, text in notes.items()},
        "bonus_payable": _boolean(product, "bonus_payable", None),
        "bonus_earning": _boolean(product, "bonus_earning", None),
        "warranty_months": _integer(product, "warranty_months", minimum=0, maximum=SMALL_INT_MAX),
        "seasonal": month is not None,
        "season_start_month": month,
        "season_start_day": day,
    }


def _category(value: str, categories: dict[str, Category]) -> Category:
    """A category by slug, or by a path of slugs ("home/kitchen" or "home > kitchen") that must match the tree."""
    if not value:
        raise RowError("category is required")
    parts = [part for part in re.split(r"\s*[/>]\s*", value) if part]
    category = categories.get(parts[-1]) if parts else None
    if category is None:
        raise RowError(f"unknown category {value!r} (create it in the admin or in a categories file first)")
    by_pk = {c.pk: c for c in categories.values()} if len(parts) > 1 else {}
    node = category
    for expected in reversed(parts[:-1]):
        parent = by_pk.get(node.parent_id)
        if parent is None or parent.slug != expected:
            where = f"under {parent.slug!r}" if parent else "a top-level category"
            raise RowError(f"category path {value!r} does not match the tree: {node.slug!r} is {where}")
        node = parent
    return category


def _variant_values(row: dict, position: int) -> dict:
    price = _money(row, "price", required=True)
    sale_price = _money(row, "sale_price", required=False)
    if sale_price is not None and sale_price >= price:
        raise RowError(f"sale_price {row['sale_price']!r} must be below price {row['price']!r}")
    weight = _decimal(row, "weight_kg", 3)
    if weight is not None and not 0 <= weight <= WEIGHT_MAX:
        raise RowError(f"weight_kg {row['weight_kg']!r} must be between 0 and {WEIGHT_MAX}")
    stock = _integer(row, "stock", minimum=0, maximum=STOCK_MAX)
    return {
        **{
            f"name_{lang}": t
            for lang, t in _texts(row, "variant", required=False, limit=_max_length(Variant, "name")).items()
        },
        "price": price,
        "sale_price": sale_price,
        "stock": stock or 0,
        "weight_kg": Variant._meta.get_field("weight_kg").default if weight is None else weight,
        "is_bulky": _boolean(row, "bulky", False),
        "position": position,
    }


def _import_product(
    group: _Group,
    table_name: str,
    state: _State,
    source: ImageSource | None,
    render_missing: Callable[[str], bytes | None] | None,
    report: ImportReport,
) -> None:
    merged, rows = _merged(group, table_name, report)
    if not rows:
        return
    try:
        product_values = _product_values(merged, state.categories)
    except RowError as exc:
        for number, row in rows:
            report.refuse(table_name, number, row["sku"], f"product {group.slug!r}: {exc}")
        return

    # Each row on its own: its SKU's values and the image it names (read and checked before the transaction).
    accepted = {number for number, _row in rows}
    lines: list[_Line] = []
    pictures: dict[str, bytes] = {}
    for position, (number, row) in enumerate(group.rows):  # positions follow the file, refused rows included
        if number not in accepted:
            continue
        try:
            values = _variant_values(row, position)
            image = row.get("image", "")
            if image and image not in pictures:
                pictures[image] = _checked_image(source, image)
        except RowError as exc:
            report.refuse(table_name, number, row["sku"], str(exc))
            continue
        lines.append(_Line(number, row["sku"], values, image))
    if not lines:
        return
    names = list(dict.fromkeys(line.image for line in lines if line.image))
    product = state.products.get(group.slug)
    if not names and render_missing is not None and (product is None or not state.images.get(product.pk)):
        picture = render_missing(group.slug)  # drawn outside the transaction
        if picture is not None:
            names = [f"{group.slug[:60]}.jpg"]
            pictures[names[0]] = picture

    counted: Counter = Counter()
    try:
        with transaction.atomic():
            product = _upsert(Product, state.products, group.slug, {"slug": group.slug}, product_values, counted)
            for line in lines:
                values = {"product_id": product.pk, **line.values}
                _upsert(Variant, state.variants, line.sku, {"sku": line.sku}, values, counted, kind="sku")
            for position, name in enumerate(names):
                _put_image(product, position, name, pictures[name], names=product_values, state=state, counted=counted)
    except (ValidationError, DatabaseError, OSError) as exc:  # OSError: the image storage failed
        if isinstance(exc, ValidationError):
            reason = _model_errors(exc)
        else:
            where = "the database" if isinstance(exc, DatabaseError) else "the image storage"
            reason = f"{where} refused it: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        for line in lines:
            report.refuse(table_name, line.number, line.sku, f"product {group.slug!r}: {reason}")
        _reload(state, group.slug, [line.sku for line in lines])
        return
    for (kind, outcome), n in counted.items():
        report.counts[kind][outcome] += n


def _reload(state: _State, slug: str, skus: list[str]) -> None:
    """After a rolled-back product, forget the in-memory objects and take them again from the database."""
    state.products.pop(slug, None)
    for sku in skus:
        state.variants.pop(sku, None)
    product = Product.objects.filter(slug=slug).first()
    if product is not None:
        state.products[slug] = product
        state.images[product.pk] = {}
        for image in ProductImage.objects.filter(product=product):
            state.images[product.pk].setdefault(image.position, image)
    state.variants.update({variant.sku: variant for variant in Variant.objects.filter(sku__in=skus)})


def _upsert(model, existing: dict, key: str, identity: dict, values: dict, counted: Counter, kind: str = ""):
    """Get-or-create by `key`, then write only the fields that differ from the file (no write if none)."""
    kind = kind or model._meta.model_name
    obj = existing.get(key)
    if obj is None:
        obj = model(**identity, **values)
        outcome = "created"
    else:
        changed = [name for name, value in values.items() if differs(getattr(obj, name), value)]
        if not changed:
            counted[kind, "unchanged"] += 1
            return obj
        for name in changed:
            setattr(obj, name, values[name])
        outcome = "updated"
    # The foreign keys come from this import's own lookups: no need to query them again.
    obj.full_clean(exclude=["category", "product"], validate_unique=False, validate_constraints=False)
    obj.save()  # a full save keeps modeltranslation's untranslated column in step
    existing[key] = obj
    counted[kind, outcome] += 1
    return obj


def _put_image(
    product: Product, position: int, name: str, data: bytes, *, names: dict, state: _State, counted: Counter
) -> None:
    """The file's image at `position`: unchanged when the stored file has the same bytes, else replaced."""
    current = state.images[product.pk].get(position)
    if current is not None and _stored_digest(current) == hashlib.sha256(data).digest():
        counted["image", "unchanged"] += 1
        return
    alt = {f"alt_{lang}": _capitalised(names[f"name_{lang}"]) for lang in _languages()}
    image = current or ProductImage(product=product, position=position, **alt)
    old_files = image.stored_files() if current else []
    # ProductImage.save() makes the thumbnail and the large version from this file
    image.image = ContentFile(data, name=PurePosixPath(name).name)
    image.save()
    state.images[product.pk][position] = image
    counted["image", "updated" if current else "created"] += 1
    if old_files:
        storage = image.image.storage
        transaction.on_commit(lambda: [storage.delete(old) for old in old_files])


def _stored_digest(image: ProductImage) -> bytes | None:
    try:
        with image.image.open("rb") as stored:
            return hashlib.sha256(stored.read()).digest()
    except (OSError, ValueError):
        return None  # the stored file is gone: write it again


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
