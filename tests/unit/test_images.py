"""CAT-1: only real, sane images get in; thumbnails are generated with Pillow."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shop.images import make_thumbnail, validate_image
from tests.factories import png_bytes


def upload(data: bytes, name="x.png"):
    return SimpleUploadedFile(name, data, content_type="image/png")


def test_cat1_real_png_and_jpeg_pass():
    validate_image(upload(png_bytes()))
    validate_image(upload(png_bytes(fmt="JPEG"), "x.jpg"))


def test_cat1_text_pretending_to_be_an_image_is_refused():
    with pytest.raises(ValidationError) as err:
        validate_image(upload(b"<?php echo 'hi'; ?>"))
    assert err.value.code == "invalid_image"


def test_cat1_truncated_image_is_refused():
    with pytest.raises(ValidationError):
        validate_image(upload(png_bytes()[:60]))


def test_cat1_gif_is_not_an_accepted_format():
    buffer = BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    with pytest.raises(ValidationError) as err:
        validate_image(upload(buffer.getvalue(), "x.gif"))
    assert err.value.code == "bad_format"


def test_cat1_oversized_file_is_refused(settings):
    settings.SHOP_IMAGE_MAX_BYTES = 100
    with pytest.raises(ValidationError) as err:
        validate_image(upload(png_bytes(size=(200, 200))))
    assert err.value.code == "too_large"


def test_cat1_decompression_bomb_is_refused(settings):
    settings.SHOP_IMAGE_MAX_PIXELS = 100 * 100
    with pytest.raises(ValidationError) as err:
        validate_image(upload(png_bytes(size=(101, 100))))
    assert err.value.code == "too_many_pixels"


def test_cat1_thumbnail_fits_the_box_and_flattens_transparency():
    buffer = BytesIO()
    Image.new("RGBA", (1200, 600), (255, 0, 0, 0)).save(buffer, format="PNG")
    thumb = make_thumbnail(upload(buffer.getvalue(), "wide.png"), 400, "thumb")
    with Image.open(BytesIO(thumb.read())) as img:
        assert img.format == "JPEG"
        assert img.size == (400, 200)
        assert img.getpixel((10, 10)) == (255, 255, 255)
    assert thumb.name == "wide-thumb.jpg"
