"""The demo shop's content for `manage.py seed_demo`, kept as data files in shop/demo_data/: the category tree
and ~190 products with their SKUs (catalogue/*.csv, loaded by shop.catalogue_import like any shop owner's
catalogue) and the information pages in ru, kk and en (pages/<lang>/<slug>.txt) (CAT-1, CAT-2, LEG-1).

What stays code is what cannot be data: the product pictures, drawn here from a few words per product
(catalogue/images.csv) instead of shipping ~190 JPEGs.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from shop.models import Page

DATA_DIR = Path(__file__).resolve().parent / "demo_data"
CATEGORIES_FILE = DATA_DIR / "catalogue" / "categories.csv"
PRODUCTS_FILE = DATA_DIR / "catalogue" / "products.csv"
PICTURES_FILE = DATA_DIR / "catalogue" / "images.csv"
PAGES_DIR = DATA_DIR / "pages"
SELLER_FILE = DATA_DIR / "seller.json"  # LEG-3: the demo seller's details, plainly marked as demo
IMAGE_SIZE = 800
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


# -- information pages (LEG-1) ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageText:
    slug: str
    position: int
    title: dict[str, str]  # language -> text
    body: dict[str, str]  # plain text, blank lines between paragraphs (rendered with |linebreaks)


def demo_seller_details() -> dict[str, str]:
    """The demo seller's details (LEG-3) as model field values, one column per language."""
    return json.loads(SELLER_FILE.read_text(encoding="utf-8"))


def demo_pages(shop_name: str) -> list[PageText]:
    """Every page kind in the model's order, from pages/<lang>/<slug>.txt: the title, a blank line, the body.
    `{shop}` in a body becomes the shop's name."""
    pages = []
    for position, slug in enumerate(Page.Kind.values, start=1):
        title, body = {}, {}
        for lang, _name in settings.LANGUAGES:
            text = (PAGES_DIR / lang / f"{slug}.txt").read_text(encoding="utf-8")
            title[lang], _blank, rest = text.partition("\n\n")
            body[lang] = rest.rstrip("\n").format(shop=shop_name)
        pages.append(PageText(slug, position * 10, title, body))
    return pages


# -- product pictures -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Picture:
    """What a product's demo picture shows: the category colour, one of four shapes, a title and a subtitle."""

    colour: tuple[int, int, int]
    shape: int
    title: str
    subtitle: str


@cache
def _pictures() -> dict[str, Picture]:
    with PICTURES_FILE.open(encoding="utf-8", newline="") as fh:
        return {
            row["product"]: Picture(
                colour=tuple(int(row["colour"][i : i + 2], 16) for i in (1, 3, 5)),
                shape=int(row["shape"]),
                title=row["title"],
                subtitle=row["subtitle"],
            )
            for row in csv.DictReader(fh)
        }


def render_demo_picture(product_slug: str) -> bytes | None:
    """The picture of a demo product (the importer's `render_missing`); None for a product not in the demo."""
    picture = _pictures().get(product_slug)
    return render_product_image(picture) if picture else None


@cache
def _font(size: int, bold: bool = False):
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.is_file():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, max_lines: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
        while draw.textlength(lines[-1] + "…", font=font) > width and " " in lines[-1]:
            lines[-1] = lines[-1].rsplit(" ", 1)[0]
        lines[-1] += "…"
    return lines


def render_product_image(picture: Picture) -> bytes:
    """An 800×800 JPEG: a light tint of the category colour, a shape, the brand/short name and the model."""
    r, g, b = picture.colour
    background = tuple(int(c + (255 - c) * 0.82) for c in (r, g, b))
    dark = tuple(int(c * 0.45) for c in (r, g, b))
    img = Image.new("RGB", (IMAGE_SIZE, IMAGE_SIZE), background)
    draw = ImageDraw.Draw(img)
    box = (200, 90, 600, 490)
    if picture.shape == 0:
        draw.ellipse(box, fill=picture.colour)
    elif picture.shape == 1:
        draw.rounded_rectangle(box, radius=70, fill=picture.colour)
    elif picture.shape == 2:
        draw.polygon([(400, 80), (620, 490), (180, 490)], fill=picture.colour)
    else:
        draw.regular_polygon((400, 290, 210), n_sides=6, fill=picture.colour)
    draw.ellipse((330, 220, 470, 360), fill=background)

    title_font = _font(58, bold=True)
    y = 540
    for line in _wrap(draw, picture.title, title_font, 700, 2 if picture.subtitle else 3):
        draw.text((400, y), line, font=title_font, fill=dark, anchor="ma")
        y += 68
    if picture.subtitle and picture.subtitle != picture.title:
        sub_font = _font(40)
        for line in _wrap(draw, picture.subtitle, sub_font, 700, 1):
            draw.text((400, y + 6), line, font=sub_font, fill=dark, anchor="ma")
    draw.text((24, 20), settings.SHOP_NAME, font=_font(24), fill=dark)

    out = BytesIO()
    img.save(out, format="JPEG", quality=85)
    return out.getvalue()
