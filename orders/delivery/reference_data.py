"""Reference data the shop needs from its first migration: the cities of Kazakhstan (names in ru/kk/en).

Used by the data migration and by `seed_demo` (and the tests), so a database flushed by a transactional test or a
fresh install has the same cities; admins add or hide more in the admin."""

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


def ensure_cities(City) -> int:
    """Create or update every city of the list (idempotent); `City` may be the migration's historical model."""
    from django.utils import translation

    count = 0
    # Under Russian, modeltranslation maps `name` to `name_ru` on the live model; the historical model has the
    # plain column. Either way the row is found by its Russian name, whatever language the caller runs in.
    with translation.override("ru"):
        for position, (ru, kk, en, region) in enumerate(CITIES, start=1):
            City.objects.update_or_create(
                name_ru=ru,
                defaults={
                    "name": ru,
                    "name_kk": kk,
                    "name_en": en,
                    "region": region,
                    "region_ru": region,
                    "position": position * 10,
                    "is_active": True,
                },
            )
            count += 1
    return count
