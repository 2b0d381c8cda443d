"""<picture> markup for product images (issue 16, item 8: pages light on the wire): an AVIF and a WebP <source>
with every rendition in srcset, the JPEG <img> as the fallback, `sizes` saying how wide the layout shows the image
(the browser then fetches the smallest file that is sharp enough) and width/height equal to the fallback file's
real pixels (the page does not jump while it loads). An image saved before the renditions existed has none: it is
shown as a plain <img>."""

from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .images import JPEG_TYPE, RENDITION_FORMATS


def media_url(name: str) -> str:
    return f"{settings.MEDIA_URL}{name}"


def _srcset(entries) -> str:
    """A srcset, "url 200w, url 400w, ...": one file per width (a small upload's two JPEGs are alike)."""
    by_width = {}
    for entry in entries:
        by_width.setdefault(entry["width"], entry)
    return ", ".join(f"{media_url(e['name'])} {width}w" for width, e in sorted(by_width.items()))


def picture(renditions, src: str, *, alt: str, sizes: str, loading: str = "", fetchpriority: str = "") -> SafeString:
    """The <picture> of one image: `renditions` as in ProductImage.renditions, `src` the JPEG the <img> falls
    back to (the thumbnail on cards, the large version on the product page)."""
    hints = (("loading", loading), ("fetchpriority", fetchpriority))
    extra = format_html_join("", ' {}="{}"', [(name, value) for name, value in hints if value])
    fallback = next((e for e in renditions or () if e["name"] == src), None)
    if fallback is None:
        return format_html('<img src="{}" alt="{}"{}>', media_url(src), alt, extra)
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        [
            (mime, _srcset(e for e in renditions if e["type"] == mime), sizes)
            for _pil, mime, _options in RENDITION_FORMATS.values()
            if any(e["type"] == mime for e in renditions)
        ],
    )
    jpegs = [e for e in renditions if e["type"] == JPEG_TYPE]
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}"{}></picture>',
        sources,
        media_url(src),
        _srcset(jpegs),
        sizes,
        alt,
        fallback["width"],
        fallback["height"],
        extra,
    )
