"""Image validation and thumbnails with Pillow: only real JPEG/PNG/WebP images of sane size get in (CAT-1)."""

from io import BytesIO
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

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
    with Image.open(field_file) as img:
        img = ImageOps.exif_transpose(img)
        if img.mode in ("RGBA", "LA", "P"):
            img = img.convert("RGBA")
            background = Image.new("RGB", img.size, (255, 255, 255))
            background.paste(img, mask=img.getchannel("A"))
            img = background
        elif img.mode != "RGB":
            img = img.convert("RGB")
        img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        out = BytesIO()
        img.save(out, format="JPEG", quality=82, optimize=True, progressive=True)
    field_file.seek(0)
    stem = PurePath(field_file.name).stem
    return ContentFile(out.getvalue(), name=f"{stem}-{suffix}.jpg")
