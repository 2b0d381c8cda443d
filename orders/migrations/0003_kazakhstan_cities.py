"""Reference data: the cities of Kazakhstan the shop delivers to (names in ru/kk/en); admins add or hide more."""

from django.db import migrations

CITIES = [
    # (ru, kk, en, region ru)
    ("Алматы", "Алматы", "Almaty", "город республиканского значения"),
    ("Астана", "Астана", "Astana", "город республиканского значения"),
    ("Шымкент", "Шымкент", "Shymkent", "город республиканского значения"),
    ("Караганда", "Қарағанды", "Karaganda", "Карагандинская область"),
    ("Актобе", "Ақтөбе", "Aktobe", "Актюбинская область"),
    ("Тараз", "Тараз", "Taraz", "Жамбылская область"),
    ("Павлодар", "Павлодар", "Pavlodar", "Павлодарская область"),
    ("Усть-Каменогорск", "Өскемен", "Oskemen", "Восточно-Казахстанская область"),
    ("Семей", "Семей", "Semey", "Абайская область"),
    ("Атырау", "Атырау", "Atyrau", "Атырауская область"),
    ("Костанай", "Қостанай", "Kostanay", "Костанайская область"),
    ("Кызылорда", "Қызылорда", "Kyzylorda", "Кызылординская область"),
    ("Уральск", "Орал", "Oral", "Западно-Казахстанская область"),
    ("Петропавловск", "Петропавл", "Petropavl", "Северо-Казахстанская область"),
    ("Актау", "Ақтау", "Aktau", "Мангистауская область"),
    ("Темиртау", "Теміртау", "Temirtau", "Карагандинская область"),
    ("Туркестан", "Түркістан", "Turkistan", "Туркестанская область"),
    ("Кокшетау", "Көкшетау", "Kokshetau", "Акмолинская область"),
    ("Талдыкорган", "Талдықорған", "Taldykorgan", "Жетысуская область"),
    ("Экибастуз", "Екібастұз", "Ekibastuz", "Павлодарская область"),
    ("Рудный", "Рудный", "Rudny", "Костанайская область"),
    ("Жезказган", "Жезқазған", "Zhezkazgan", "Улытауская область"),
    ("Конаев", "Қонаев", "Konaev", "Алматинская область"),
    ("Балхаш", "Балқаш", "Balkhash", "Карагандинская область"),
]


def add_cities(apps, schema_editor):
    City = apps.get_model("orders", "City")
    for position, (ru, kk, en, region) in enumerate(CITIES, start=1):
        City.objects.update_or_create(
            name=ru,
            defaults={
                "name_ru": ru, "name_kk": kk, "name_en": en, "region": region, "region_ru": region,
                "position": position * 10, "is_active": True,
            },
        )


def remove_cities(apps, schema_editor):
    apps.get_model("orders", "City").objects.filter(name__in=[c[0] for c in CITIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("orders", "0002_city_coupon_deliverytariff_order_orderevent_and_more")]
    operations = [migrations.RunPython(add_cities, remove_cities)]
