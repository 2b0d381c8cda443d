"""Issue 16, item 8: the AVIF/WebP renditions of a product image and the real pixels of every derived file. Images
saved before get theirs from `manage.py make_renditions` (`make run` calls it); until then pages show their JPEG."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('shop', '0007_search_trigram_gist'),
    ]

    operations = [
        migrations.AddField(
            model_name='productimage',
            name='renditions',
            field=models.JSONField(blank=True, default=list, editable=False, verbose_name='renditions'),
        ),
    ]
