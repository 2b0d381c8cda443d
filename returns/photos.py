"""RET-4: the customer's photos of the goods — real JPEG/PNG/WebP images only, checked with Pillow before anything is
saved: at most SHOP_RETURN_PHOTO_MAX_COUNT files of SHOP_RETURN_PHOTO_MAX_BYTES each, and no more pixels than
SHOP_RETURN_PHOTO_MAX_PIXELS (a decompression bomb is refused from its header, never decoded)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}


def validate_photo(file) -> None:
    name = getattr(file, "name", "") or _("the file")
    if file.size > settings.SHOP_RETURN_PHOTO_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is too large: at most %(mb)d MB per photo.")
            % {"name": name, "mb": settings.SHOP_RETURN_PHOTO_MAX_BYTES // 2**20},
            code="too_large",
        )
    try:
        file.seek(0)
        with Image.open(file) as image:
            fmt = image.format
            width, height = image.size
            if width * height > settings.SHOP_RETURN_PHOTO_MAX_PIXELS:
                raise ValidationError(_("%(name)s has too many pixels.") % {"name": name}, code="too_many_pixels")
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(_("%(name)s is not a photo.") % {"name": name}, code="not_an_image") from error
    finally:
        file.seek(0)
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(_("%(name)s: send JPEG, PNG or WebP photos.") % {"name": name}, code="bad_format")


def validate_photos(files) -> list:
    files = list(files)
    limit = settings.SHOP_RETURN_PHOTO_MAX_COUNT
    if len(files) > limit:
        raise ValidationError(
            ngettext("At most %(n)d photo.", "At most %(n)d photos.", limit) % {"n": limit}, code="too_many"
        )
    errors = []
    for file in files:
        try:
            validate_photo(file)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return files
