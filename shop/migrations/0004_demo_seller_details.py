"""LEG-3: the one row of seller's details, with values plainly marked as demo until the owner edits them."""

from django.db import migrations

DEMO = {
    "company_name_ru": "ТОО «Dala Shop» (демо)",
    "company_name_kk": "«Dala Shop» ЖШС (демо)",
    "company_name_en": "Dala Shop LLP (demo)",
    "bin": "000000000000",
    "legal_address_ru": "010000, г. Астана, ул. Демонстрационная, 1 (демо-адрес)",
    "legal_address_kk": "010000, Астана қ., Демонстрациялық к-сі, 1 (демо мекенжай)",
    "legal_address_en": "1 Demonstration St, Astana 010000 (demo address)",
    "bank_name_ru": "АО «Демо Банк» (демо)",
    "bank_name_kk": "«Демо Банк» АҚ (демо)",
    "bank_name_en": "Demo Bank JSC (demo)",
    "iik": "KZ070000000000000000",
    "bik": "DEMOKZKA",
    "phone": "+7 (700) 000-00-00",
    "email": "info@dala-shop.example",
    "opening_hours_ru": "пн–пт 9:00–18:00, сб 10:00–16:00",
    "opening_hours_kk": "дс–жм 9:00–18:00, сб 10:00–16:00",
    "opening_hours_en": "Mon–Fri 9:00–18:00, Sat 10:00–16:00",
}
TRANSLATED = ("company_name", "legal_address", "bank_name", "opening_hours")


def create_demo_row(apps, schema_editor):
    SellerDetails = apps.get_model("shop", "SellerDetails")
    # The historical model has the untranslated column too; modeltranslation keeps it equal to the Russian one.
    values = {**DEMO, **{name: DEMO[f"{name}_ru"] for name in TRANSLATED}}
    SellerDetails.objects.get_or_create(id=1, defaults=values)


class Migration(migrations.Migration):
    dependencies = [("shop", "0003_seller_details")]

    operations = [migrations.RunPython(create_demo_row, migrations.RunPython.noop)]
