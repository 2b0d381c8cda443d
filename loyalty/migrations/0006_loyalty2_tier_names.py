"""The tier names customers see, in ru/kk/en (django-modeltranslation columns), filled for the seeded tiers with
the programme's names (seed 004: Базовый, Постоянный клиент, Партнер, VIP клиент); `name` keeps the Russian one,
modeltranslation's fallback language."""

from django.db import migrations, models

NAMES = {
    # code: (ru, kk, en)
    "basic": ("Базовый", "Базалық", "Basic"),
    "regular": ("Постоянный клиент", "Тұрақты клиент", "Regular"),
    "partner": ("Партнёр", "Серіктес", "Partner"),
    "vip": ("VIP клиент", "VIP клиент", "VIP"),
}


def fill_names(apps, schema_editor):
    Tier = apps.get_model("loyalty", "Tier")
    for code, (ru, kk, en) in NAMES.items():
        Tier.objects.filter(code=code).update(name=ru, name_ru=ru, name_kk=kk, name_en=en)


def english_names(apps, schema_editor):
    Tier = apps.get_model("loyalty", "Tier")
    for code, (_ru, _kk, en) in NAMES.items():
        Tier.objects.filter(code=code).update(name=en)


class Migration(migrations.Migration):
    dependencies = [("loyalty", "0005_loyalty2_closed_accounts")]

    operations = [
        migrations.AddField(
            model_name="tier",
            name="name_en",
            field=models.CharField(max_length=60, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="tier",
            name="name_kk",
            field=models.CharField(max_length=60, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="tier",
            name="name_ru",
            field=models.CharField(max_length=60, null=True, verbose_name="name"),
        ),
        migrations.RunPython(fill_names, english_names),
    ]
