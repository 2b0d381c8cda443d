"""Image validation and thumbnails with Pillow: only real JPEG/PNG/WebP images of sane size get in (CAT-1); the
thumbnails and their AVIF/WebP renditions are what pages show (issue 16, item 8)."""

import hashlib
from io import BytesIO
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError, features

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}


def validate_image(file) -> None:
    """Reject anything that is not a real, reasonably sized JPEG, PNG or WebP (decompression bombs included)."""
    size = getattr(file, "size", None)
    if size is not None and size > settings.SHOP_IMAGE_MAX_BYTES:
        raise ValidationError(
            _("The image is too large: at most %(mb)d MB.") % {"mb": settings.SHOP_IMAGE_MAX_BYTES // 2**20},
            code="too_large",
        )
    try:
        file.seek(0)
        with Image.open(file) as img:
            fmt = img.format
            width, height = img.size
            if width * height > settings.SHOP_IMAGE_MAX_PIXELS:
                raise ValidationError(_("The image has too many pixels."), code="too_many_pixels")
            img.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The file is not a valid image."), code="invalid_image") from exc
    finally:
        file.seek(0)
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(_("Upload a JPEG, PNG or WebP image."), code="bad_format")


def make_thumbnail(field_file, max_side: int, suffix: str) -> ContentFile:
    """A JPEG no larger than max_side on either side, oriented per EXIF, on white where transparent."""
    field_file.open("rb")
    field_file.seek(0)
    with Image.open(field_file) as original:
        img = _flattened(original)
        img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        out = BytesIO()
        img.save(out, format="JPEG", quality=82, optimize=True, progressive=True)
    field_file.seek(0)
    stem = PurePath(field_file.name).stem
    return ContentFile(out.getvalue(), name=f"{stem}-{suffix}.jpg")


# -- renditions (issue 16, item 8: pages light on the wire) ------------------------------------------------------
# The formats a product image is also written in, best first: the browser takes the first it can show from the
# <picture>'s <source>s; the JPEG thumbnail and large version stay the <img>'s fallback. AVIF only when this
# server's Pillow can write it.
# Encoder effort: AVIF at speed 8 is twice as fast as its default for files ~5 % larger; WebP at its default method.
RENDITION_FORMATS = {
    "avif": ("AVIF", "image/avif", {"quality": 60, "speed": 8}),
    "webp": ("WEBP", "image/webp", {"quality": 80}),
}
JPEG_TYPE = "image/jpeg"


def rendition_formats() -> list[str]:
    """The formats of settings.SHOP_IMAGE_RENDITION_FORMATS this server's Pillow can write, in that order."""
    return [name for name in settings.SHOP_IMAGE_RENDITION_FORMATS if features.check(name)]


def source_digest(field_file) -> str:
    """A short digest of the uploaded file's bytes: the derived files' names change whenever the image does, so
    browsers may keep them for a year (`immutable`) without ever showing an old picture."""
    field_file.open("rb")
    field_file.seek(0)
    digest = hashlib.sha256(field_file.read()).hexdigest()[:10]
    field_file.seek(0)
    return digest


def image_size(content) -> tuple[int, int]:
    """(width, height) of an image file's real pixels."""
    content.seek(0)
    with Image.open(content) as img:
        size = img.size
    content.seek(0)
    return size


def _flattened(img: Image.Image) -> Image.Image:
    """RGB oriented per EXIF, on white where transparent."""
    img = ImageOps.exif_transpose(img)
    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        background = Image.new("RGB", img.size, (255, 255, 255))
        background.paste(img, mask=img.getchannel("A"))
        return background
    return img if img.mode == "RGB" else img.convert("RGB")


def make_renditions(field_file, widths, digest: str) -> list[tuple[ContentFile, dict]]:
    """The image in every format of rendition_formats() at every size of `widths` (each a box: no side larger,
    never enlarged; sizes that come out the same are written once). Each file with its entry for
    ProductImage.renditions: {"type", "width", "height"} — the file's real pixels, for srcset and width/height."""
    formats = rendition_formats()
    if not formats:
        return []
    field_file.open("rb")
    field_file.seek(0)
    stem = PurePath(field_file.name).stem
    out = []
    with Image.open(field_file) as original:
        img = _flattened(original)
        seen = set()
        for box in sorted(widths):
            resized = img.copy()
            resized.thumbnail((box, box), Image.Resampling.LANCZOS)
            if resized.size in seen:
                continue
            seen.add(resized.size)
            width, height = resized.size
            for name in formats:
                pil_format, mime, options = RENDITION_FORMATS[name]
                buffer = BytesIO()
                resized.save(buffer, format=pil_format, **options)
                entry = {"type": mime, "width": width, "height": height}
                out.append((ContentFile(buffer.getvalue(), name=f"{stem}-{digest}-{width}w.{name}"), entry))
    field_file.seek(0)
    return out
