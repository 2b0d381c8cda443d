"""The demo shop's content for `manage.py seed_demo`: the category tree, ~190 products with SKUs, their
generated images and the information pages, in ru, kk and en (CAT-1, CAT-2, LEG-1), and what buying needs:
delivery tariffs, pickup points, stores with stock and coupons (DLV-1..3, CPN-1).

Idempotent: everything is keyed by slug / SKU / e-mail / name and only written when it differs from the seed,
so a second run writes nothing, creates no duplicates and generates no images (products that already have an
image keep it). The catalogue is deterministic (random.Random(42)), so SKUs and prices are the same every run.

    python manage.py seed_demo                 # admin e-mail / password from DEMO_ADMIN_EMAIL / DEMO_ADMIN_PASSWORD
    python manage.py seed_demo --reset-admin   # also set the existing admin's password again
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont

from shop.models import NonReturnableReason, Page

T = tuple[str, str, str]  # the same text in ru, kk, en
LANGS = ("ru", "kk", "en")
SEED = 42
STAFF_GROUPS = ("Support", "Finance")
IMAGE_SIZE = 800
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
MIN_PRICE, MAX_PRICE = 1_590, 899_990

# --------------------------------------------------------------------------------------------------------------
# Catalogue data
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """A kind of product (generated as kind + brand + model), or with fixed=True one concrete product."""

    name: T
    feature: T
    axis: str
    price: tuple[int, int]
    season: tuple[int, int] | None = None
    non_returnable: tuple[str, T] | None = None  # (NonReturnableReason, note)
    weight: str | None = None
    bulky: bool = False
    fixed: bool = False
    brand: str = ""


@dataclass(frozen=True)
class Sub:
    slug: str
    prefix: str  # SKU prefix, unique per subcategory
    name: T
    description: T
    kinds: tuple[Kind, ...]
    count: int = 0  # generated products; 0 = one product per (fixed) kind
    brands: tuple[str, ...] = ()
    series: tuple[str, ...] = ("Nova", "Air", "Lite", "Max", "Neo", "Flex", "Prime", "Edge", "One", "Pro")
    numbers: tuple[str, ...] = ("2", "3", "5", "7", "8", "10", "12", "15", "20", "S", "X")
    weight: str = "0.5"
    flags: dict = field(default_factory=dict)
    pool: str = "goods"  # which generic sentences the descriptions use
    service: bool = False
    unlimited: bool = False  # services and digital goods: never out of stock, never on sale


@dataclass(frozen=True)
class Root:
    slug: str
    name: T
    description: T
    colour: tuple[int, int, int]
    subs: tuple[Sub, ...]
    flags: dict = field(default_factory=dict)


def _opts(*rows):
    return [((ru, kk, en), mult) for ru, kk, en, mult in rows]


def _same(text: str, mult: float):
    return (text, text, text, mult)


AXES: dict[str, list[tuple[T, float]]] = {
    "none": _opts(("", "", "", 1.0)),
    "colour": _opts(
        ("Чёрный", "Қара", "Black", 1.0),
        ("Белый", "Ақ", "White", 1.0),
        ("Серый", "Сұр", "Grey", 1.0),
        ("Синий", "Көк", "Blue", 1.0),
        ("Красный", "Қызыл", "Red", 1.0),
        ("Зелёный", "Жасыл", "Green", 1.0),
    ),
    "storage": _opts(
        ("128 ГБ", "128 ГБ", "128 GB", 1.0), ("256 ГБ", "256 ГБ", "256 GB", 1.15), ("512 ГБ", "512 ГБ", "512 GB", 1.35)
    ),
    "laptop": _opts(
        ("8 ГБ / 256 ГБ SSD", "8 ГБ / 256 ГБ SSD", "8 GB / 256 GB SSD", 1.0),
        ("16 ГБ / 512 ГБ SSD", "16 ГБ / 512 ГБ SSD", "16 GB / 512 GB SSD", 1.25),
        ("32 ГБ / 1 ТБ SSD", "32 ГБ / 1 ТБ SSD", "32 GB / 1 TB SSD", 1.6),
    ),
    "screen": _opts(
        ("24 дюйма", "24 дюйм", "24 inches", 1.0),
        ("27 дюймов", "27 дюйм", "27 inches", 1.25),
        ("32 дюйма", "32 дюйм", "32 inches", 1.6),
    ),
    "pan": _opts(
        ("Ø 24 см", "Ø 24 см", "Ø 24 cm", 1.0),
        ("Ø 26 см", "Ø 26 см", "Ø 26 cm", 1.1),
        ("Ø 28 см", "Ø 28 см", "Ø 28 cm", 1.2),
    ),
    "pot": _opts(("2 л", "2 л", "2 l", 1.0), ("3 л", "3 л", "3 l", 1.2), ("5 л", "5 л", "5 l", 1.45)),
    "kazan": _opts(("6 л", "6 л", "6 l", 1.0), ("8 л", "8 л", "8 l", 1.2), ("12 л", "12 л", "12 l", 1.5)),
    "bed": _opts(
        ("1,5-спальный", "Бір жарым кісілік", "Single", 1.0),
        ("2-спальный", "Екі кісілік", "Double", 1.25),
        ("Евро", "Евро", "King size", 1.4),
    ),
    "ml": _opts(
        ("50 мл", "50 мл", "50 ml", 1.0), ("100 мл", "100 мл", "100 ml", 1.7), ("200 мл", "200 мл", "200 ml", 2.9)
    ),
    "shampoo": _opts(
        ("250 мл", "250 мл", "250 ml", 1.0), ("400 мл", "400 мл", "400 ml", 1.4), ("1 л", "1 л", "1 l", 2.8)
    ),
    "tube": _opts(("75 мл", "75 мл", "75 ml", 1.0), ("100 мл", "100 мл", "100 ml", 1.25)),
    "nappy": _opts(
        ("Размер 3 (4–9 кг)", "3 өлшем (4–9 кг)", "Size 3 (4–9 kg)", 1.0),
        ("Размер 4 (7–14 кг)", "4 өлшем (7–14 кг)", "Size 4 (7–14 kg)", 1.05),
        ("Размер 5 (11–25 кг)", "5 өлшем (11–25 кг)", "Size 5 (11–25 kg)", 1.1),
    ),
    "weight": _opts(("5 кг", "5 кг", "5 kg", 1.0), ("10 кг", "10 кг", "10 kg", 1.8), ("15 кг", "15 кг", "15 kg", 2.5)),
    "frame": _opts(
        ("Рама S", "S рама", "Frame S", 1.0),
        ("Рама M", "M рама", "Frame M", 1.0),
        ("Рама L", "L рама", "Frame L", 1.05),
    ),
    "ski": _opts(
        ("160 см", "160 см", "160 cm", 1.0), ("175 см", "175 см", "175 cm", 1.05), ("190 см", "190 см", "190 cm", 1.1)
    ),
    "shoe": _opts(
        ("Размер 38", "38 өлшем", "Size 38", 1.0),
        ("Размер 41", "41 өлшем", "Size 41", 1.0),
        ("Размер 44", "44 өлшем", "Size 44", 1.0),
    ),
    "tent": _opts(
        ("2-местная", "2 орындық", "2-person", 1.0),
        ("3-местная", "3 орындық", "3-person", 1.3),
        ("4-местная", "4 орындық", "4-person", 1.6),
    ),
    "tyre": _opts(_same("205/55 R16", 1.0), _same("215/60 R17", 1.2), _same("225/45 R18", 1.45)),
    "screenwash": _opts(("4 л", "4 л", "4 l", 1.0), ("5 л", "5 л", "5 l", 1.2)),
    "carwash": _opts(("1 л", "1 л", "1 l", 1.0), ("5 л", "5 л", "5 l", 3.5)),
    "cover": _opts(
        ("Твёрдый переплёт", "Қатты мұқаба", "Hardcover", 1.0), ("Мягкая обложка", "Жұмсақ мұқаба", "Paperback", 0.7)
    ),
    "licence": _opts(
        ("1 устройство, 1 год", "1 құрылғы, 1 жыл", "1 device, 1 year", 1.0),
        ("3 устройства, 1 год", "3 құрылғы, 1 жыл", "3 devices, 1 year", 1.8),
        ("5 устройств, 1 год", "5 құрылғы, 1 жыл", "5 devices, 1 year", 2.5),
    ),
    "period": _opts(("1 год", "1 жыл", "1 year", 1.0), ("2 года", "2 жыл", "2 years", 1.8)),
    # gift cards: the "multiplier" is the face value itself
    "gift": _opts(
        ("5 000 ₸", "5 000 ₸", "5,000 ₸", 5_000),
        ("10 000 ₸", "10 000 ₸", "10,000 ₸", 10_000),
        ("20 000 ₸", "20 000 ₸", "20,000 ₸", 20_000),
    ),
    "gift_large": _opts(
        ("50 000 ₸", "50 000 ₸", "50,000 ₸", 50_000),
        ("100 000 ₸", "100 000 ₸", "100,000 ₸", 100_000),
        ("200 000 ₸", "200 000 ₸", "200,000 ₸", 200_000),
    ),
}
FIXED_PRICE_AXES = {"gift", "gift_large"}

HYGIENE = NonReturnableReason.HYGIENE.value
PERSONALISED = NonReturnableReason.PERSONALISED.value
DIGITAL = NonReturnableReason.DIGITAL.value
NO_NOTE: T = ("", "", "")
WINTER, SPRING, SUMMER, AUTUMN, SCHOOL = (11, 1), (4, 1), (5, 1), (10, 1), (8, 1)

ENGRAVING_NOTE: T = (
    "Гравировка наносится по тексту покупателя.",
    "Ойып жазу сатып алушының мәтіні бойынша жасалады.",
    "The engraving is made from the customer's text.",
)
EMBROIDERY_NOTE: T = (
    "Вышивка выполняется по тексту покупателя.",
    "Кесте сатып алушының мәтіні бойынша тігіледі.",
    "The embroidery is made from the customer's text.",
)
EAR_TIPS_NOTE: T = (
    "Амбушюры контактируют с кожей.",
    "Құлаққап жастықшалары теріге тиеді.",
    "The ear tips touch the skin.",
)
LICENCE_NOTE: T = (
    "Ключ активации отправляется на e-mail; после отправки ключа покупку вернуть нельзя.",
    "Белсендіру кілті e-mail-ге жіберіледі; кілт жіберілгеннен кейін сатып алуды қайтаруға болмайды.",
    "The activation key is sent by e-mail; once it has been sent the purchase cannot be returned.",
)

GENERIC: dict[str, list[T]] = {
    "goods": [
        (
            "Подходит для ежедневного использования и прослужит долго.",
            "Күнделікті пайдалануға жарамды және ұзақ қызмет етеді.",
            "Suitable for everyday use and built to last.",
        ),
        (
            "Товар сертифицирован для продажи в Казахстане.",
            "Тауар Қазақстанда сатуға сертификатталған.",
            "Certified for sale in Kazakhstan.",
        ),
        (
            "В комплекте инструкция на русском и казахском языках.",
            "Жиынтықта орыс және қазақ тілдеріндегі нұсқаулық бар.",
            "Comes with instructions in Russian and Kazakh.",
        ),
        ("Отличный выбор для подарка.", "Сыйлыққа тамаша таңдау.", "A great choice for a gift."),
        (
            "Проверено нашими покупателями: надёжно и удобно.",
            "Сатып алушыларымыз тексерген: сенімді әрі ыңғайлы.",
            "Tried and trusted by our customers: reliable and convenient.",
        ),
    ],
    "book": [
        (
            "Качественная печать на плотной бумаге.",
            "Тығыз қағазға сапалы басылған.",
            "Well printed on good, heavy paper.",
        ),
        (
            "Книга, которую стоит перечитывать.",
            "Қайта-қайта оқуға тұрарлық кітап.",
            "A book worth reading again and again.",
        ),
    ],
    "digital": [
        (
            "Ключ активации придёт на e-mail сразу после оплаты.",
            "Белсендіру кілті төлемнен кейін бірден e-mail-ге келеді.",
            "The activation key arrives by e-mail right after payment.",
        ),
    ],
    "service": [
        (
            "Работу выполняют опытные специалисты.",
            "Жұмысты тәжірибелі мамандар атқарады.",
            "The work is done by experienced specialists.",
        ),
        (
            "Бонусы за услуги не начисляются.",
            "Қызметтер үшін бонус есептелмейді.",
            "Services do not earn bonuses.",
        ),
    ],
}

MONTHS_RU = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
             "ноября", "декабря")  # fmt: skip
MONTHS_KK_FROM = ("қаңтардан", "ақпаннан", "наурыздан", "сәуірден", "мамырдан", "маусымнан", "шілдеден",
                  "тамыздан", "қыркүйектен", "қазаннан", "қарашадан", "желтоқсаннан")  # fmt: skip
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")  # fmt: skip

K = Kind  # short alias for the table below

CATALOGUE: tuple[Root, ...] = (
    Root(
        "smartphones-and-gadgets",
        ("Смартфоны и гаджеты", "Смартфондар мен гаджеттер", "Smartphones and gadgets"),
        (
            "Смартфоны, наушники, умные часы и аксессуары для связи каждый день.",
            "Күнделікті байланысқа арналған смартфондар, құлаққаптар, смарт сағаттар және аксессуарлар.",
            "Smartphones, headphones, smartwatches and accessories for staying connected every day.",
        ),
        (33, 150, 243),
        (
            Sub(
                "smartphones",
                "PHN",
                ("Смартфоны", "Смартфондар", "Smartphones"),
                (
                    "Смартфоны на Android и кнопочные телефоны.",
                    "Android смартфондары және түймелі телефондар.",
                    "Android smartphones and feature phones.",
                ),
                (
                    K(
                        ("Смартфон", "Смартфон", "smartphone"),
                        (
                            "яркий экран, быстрая камера и ёмкий аккумулятор на целый день",
                            "жарқын экран, жылдам камера және күні бойы жететін сыйымды аккумулятор",
                            "a bright screen, a fast camera and a battery that lasts all day",
                        ),
                        "storage",
                        (59_000, 520_000),
                        weight="0.2",
                    ),
                    K(
                        ("Кнопочный телефон", "Түймелі телефон", "feature phone"),
                        (
                            "крупные кнопки, громкий динамик и заряд на неделю",
                            "үлкен түймелер, қатты дауысты динамик және бір аптаға жететін заряд",
                            "large keys, a loud speaker and a week of battery life",
                        ),
                        "colour",
                        (6_000, 19_000),
                        weight="0.1",
                    ),
                ),
                count=8,
                brands=("Voltis", "Nuvia", "Kestra", "Orbix"),
            ),
            Sub(
                "headphones",
                "HPH",
                ("Наушники", "Құлаққаптар", "Headphones"),
                (
                    "Беспроводные и проводные наушники и гарнитуры.",
                    "Сымсыз және сымды құлаққаптар мен гарнитуралар.",
                    "Wireless and wired headphones and headsets.",
                ),
                (
                    K(
                        ("Беспроводные наушники", "Сымсыз құлаққап", "wireless headphones"),
                        (
                            "активное шумоподавление и до 30 часов работы с кейсом",
                            "белсенді шуды басу және кейспен бірге 30 сағатқа дейін жұмыс",
                            "active noise cancelling and up to 30 hours of playback with the case",
                        ),
                        "colour",
                        (9_000, 120_000),
                    ),
                    K(
                        ("Внутриканальные наушники", "Құлақ ішіне салынатын құлаққап", "in-ear earbuds"),
                        (
                            "плотная посадка, чистый звук и защита от брызг",
                            "тығыз отырады, дыбысы таза және шашыраудан қорғалған",
                            "a snug fit, clear sound and splash protection",
                        ),
                        "colour",
                        (5_000, 45_000),
                        non_returnable=(HYGIENE, EAR_TIPS_NOTE),
                    ),
                    K(
                        ("Накладные наушники", "Құлақ үстіне киілетін құлаққап", "on-ear headphones"),
                        (
                            "мягкие амбушюры и складная конструкция",
                            "жұмсақ жастықшалар және жиналмалы құрылым",
                            "soft ear cushions and a foldable design",
                        ),
                        "colour",
                        (7_000, 69_000),
                    ),
                ),
                count=6,
                brands=("Sonora", "Voltis", "Auralis", "Bassway"),
                weight="0.3",
            ),
            Sub(
                "smartwatches",
                "WCH",
                ("Умные часы и браслеты", "Смарт сағаттар мен білезіктер", "Smartwatches and fitness bands"),
                (
                    "Следят за пульсом, сном и тренировками.",
                    "Пульсті, ұйқыны және жаттығуларды бақылайды.",
                    "Track your heart rate, sleep and workouts.",
                ),
                (
                    K(
                        ("Умные часы", "Смарт сағат", "smartwatch"),
                        (
                            "пульсометр, GPS и уведомления со смартфона",
                            "пульсометр, GPS және смартфоннан келетін хабарламалар",
                            "a heart-rate monitor, GPS and smartphone notifications",
                        ),
                        "colour",
                        (19_000, 190_000),
                    ),
                    K(
                        ("Фитнес-браслет", "Фитнес-білезік", "fitness band"),
                        (
                            "шагомер, контроль сна и до 14 дней без подзарядки",
                            "қадам санағыш, ұйқыны бақылау және қайта зарядтаусыз 14 күнге дейін жұмыс",
                            "a step counter, sleep tracking and up to 14 days between charges",
                        ),
                        "colour",
                        (9_000, 35_000),
                    ),
                ),
                count=5,
                brands=("Nuvia", "Stepix", "Kestra", "Zerno"),
                weight="0.1",
            ),
            Sub(
                "phone-accessories",
                "ACC",
                ("Аксессуары", "Аксессуарлар", "Accessories"),
                (
                    "Зарядные устройства, чехлы и внешние аккумуляторы.",
                    "Зарядтау құрылғылары, қаптар және сыртқы аккумуляторлар.",
                    "Chargers, cases and power banks.",
                ),
                (
                    K(
                        ("Зарядное устройство", "Зарядтау құрылғысы", "charger"),
                        (
                            "быстрая зарядка мощностью 65 Вт и два порта USB-C",
                            "65 Вт жылдам зарядтау және екі USB-C порты",
                            "65 W fast charging and two USB-C ports",
                        ),
                        "colour",
                        (4_000, 19_000),
                    ),
                    K(
                        ("Внешний аккумулятор", "Сыртқы аккумулятор", "power bank"),
                        (
                            "ёмкости 20 000 мА·ч хватит на несколько зарядок смартфона",
                            "20 000 мА·сағ сыйымдылығы смартфонды бірнеше рет зарядтауға жетеді",
                            "20,000 mAh is enough for several smartphone charges",
                        ),
                        "colour",
                        (7_000, 29_000),
                    ),
                    K(
                        (
                            "Чехол для телефона с гравировкой имени",
                            "Есім ойып жазылған телефон қабы",
                            "phone case with name engraving",
                        ),
                        (
                            "прочный силикон и точные вырезы под камеру и кнопки",
                            "берік силикон, камера мен түймелерге арналған дәл ойықтар",
                            "durable silicone with precise cut-outs for the camera and buttons",
                        ),
                        "colour",
                        (5_000, 12_000),
                        non_returnable=(PERSONALISED, ENGRAVING_NOTE),
                    ),
                ),
                count=6,
                brands=("Voltis", "Chargo", "Ampero", "Casely"),
                weight="0.2",
            ),
        ),
    ),
    Root(
        "laptops-and-computers",
        ("Ноутбуки и компьютеры", "Ноутбуктер мен компьютерлер", "Laptops and computers"),
        (
            "Ноутбуки, мониторы и периферия для работы, учёбы и игр.",
            "Жұмысқа, оқуға және ойынға арналған ноутбуктер, мониторлар және перифериялық құрылғылар.",
            "Laptops, monitors and peripherals for work, study and gaming.",
        ),
        (63, 81, 181),
        (
            Sub(
                "laptops",
                "LAP",
                ("Ноутбуки", "Ноутбуктер", "Laptops"),
                (
                    "Лёгкие ультрабуки и мощные игровые ноутбуки.",
                    "Жеңіл ультрабуктар мен қуатты ойын ноутбуктері.",
                    "Light ultrabooks and powerful gaming laptops.",
                ),
                (
                    K(
                        ("Ноутбук", "Ноутбук", "laptop"),
                        (
                            "экран 15,6 дюйма, SSD-накопитель и клавиатура с подсветкой",
                            "15,6 дюймдік экран, SSD жинақтағышы және жарығы бар пернетақта",
                            "a 15.6-inch screen, an SSD and a backlit keyboard",
                        ),
                        "laptop",
                        (180_000, 480_000),
                    ),
                    K(
                        ("Игровой ноутбук", "Ойын ноутбугі", "gaming laptop"),
                        (
                            "дискретная видеокарта и экран с частотой 144 Гц",
                            "дискретті бейнекарта және жиілігі 144 Гц экран",
                            "a discrete graphics card and a 144 Hz display",
                        ),
                        "laptop",
                        (380_000, 560_000),
                    ),
                ),
                count=7,
                brands=("Arclight", "Nordis", "Lumio", "Quantex"),
                weight="2.0",
                flags={"warranty_months": 24},
            ),
            Sub(
                "monitors",
                "MON",
                ("Мониторы", "Мониторлар", "Monitors"),
                (
                    "Мониторы для офиса, дизайна и игр.",
                    "Кеңсеге, дизайнға және ойындарға арналған мониторлар.",
                    "Monitors for the office, design and gaming.",
                ),
                (
                    K(
                        ("Монитор", "Монитор", "monitor"),
                        (
                            "IPS-матрица, тонкие рамки и регулировка наклона",
                            "IPS матрицасы, жіңішке жақтаулар және еңкіштікті реттеу",
                            "an IPS panel, thin bezels and tilt adjustment",
                        ),
                        "screen",
                        (55_000, 260_000),
                    ),
                ),
                count=5,
                brands=("Lumio", "Visiona", "Nordis", "Pixmo"),
                weight="5.0",
            ),
            Sub(
                "keyboards-and-mice",
                "PER",
                ("Клавиатуры и мыши", "Пернетақталар мен тінтуірлер", "Keyboards and mice"),
                (
                    "Клавиатуры, мыши и веб-камеры.",
                    "Пернетақталар, тінтуірлер және веб-камералар.",
                    "Keyboards, mice and webcams.",
                ),
                (
                    K(
                        ("Беспроводная клавиатура", "Сымсыз пернетақта", "wireless keyboard"),
                        (
                            "тихие клавиши и до года работы от одного комплекта батареек",
                            "дыбыссыз пернелер және бір жинақ батареямен бір жылға дейін жұмыс",
                            "quiet keys and up to a year on one set of batteries",
                        ),
                        "colour",
                        (6_000, 39_000),
                    ),
                    K(
                        ("Компьютерная мышь", "Компьютер тінтуірі", "computer mouse"),
                        (
                            "точный сенсор и удобная форма под правую руку",
                            "дәл сенсор және оң қолға ыңғайлы пішін",
                            "a precise sensor and a comfortable right-handed shape",
                        ),
                        "colour",
                        (3_000, 29_000),
                    ),
                    K(
                        ("Веб-камера", "Веб-камера", "webcam"),
                        (
                            "видео Full HD и встроенный микрофон",
                            "Full HD бейне және кірістірілген микрофон",
                            "Full HD video and a built-in microphone",
                        ),
                        "none",
                        (9_000, 39_000),
                    ),
                ),
                count=6,
                brands=("Keyra", "Clickton", "Lumio", "Nordis"),
                weight="0.4",
            ),
        ),
    ),
    Root(
        "home-appliances",
        ("Бытовая техника", "Тұрмыстық техника", "Home appliances"),
        (
            "Крупная и мелкая техника для кухни и дома.",
            "Ас үй мен үйге арналған ірі және шағын техника.",
            "Large and small appliances for the kitchen and home.",
        ),
        (0, 150, 136),
        (
            Sub(
                "large-appliances",
                "LRG",
                ("Крупная техника", "Ірі техника", "Large appliances"),
                (
                    "Холодильники, стиральные и посудомоечные машины.",
                    "Тоңазытқыштар, кір жуғыш және ыдыс жуғыш машиналар.",
                    "Refrigerators, washing machines and dishwashers.",
                ),
                (
                    K(
                        ("Холодильник", "Тоңазытқыш", "refrigerator"),
                        (
                            "система No Frost и класс энергопотребления A+",
                            "No Frost жүйесі және A+ энергия тұтыну класы",
                            "a No Frost system and A+ energy class",
                        ),
                        "colour",
                        (160_000, 690_000),
                        weight="65.0",
                        bulky=True,
                    ),
                    K(
                        ("Стиральная машина", "Кір жуғыш машина", "washing machine"),
                        (
                            "загрузка 7 кг, 15 программ и отжим до 1200 об/мин",
                            "7 кг жүктеме, 15 бағдарлама және минутына 1200 айналымға дейін сығу",
                            "a 7 kg load, 15 programmes and a spin speed of up to 1,200 rpm",
                        ),
                        "none",
                        (140_000, 420_000),
                        weight="60.0",
                        bulky=True,
                    ),
                    K(
                        ("Посудомоечная машина", "Ыдыс жуғыш машина", "dishwasher"),
                        (
                            "вмещает 12 комплектов посуды и работает тихо",
                            "12 ыдыс жиынтығын сыйғызады және тыныш жұмыс істейді",
                            "holds 12 place settings and runs quietly",
                        ),
                        "none",
                        (150_000, 390_000),
                        weight="45.0",
                        bulky=True,
                    ),
                ),
                count=6,
                brands=("Nordfrost", "Homevia", "Aqualine", "Kelvion"),
                flags={"warranty_months": 24},
            ),
            Sub(
                "kitchen-appliances",
                "KIT",
                ("Техника для кухни", "Ас үйге арналған техника", "Kitchen appliances"),
                (
                    "Чайники, микроволновые печи, блендеры и кофемашины.",
                    "Шәйнектер, микротолқынды пештер, блендерлер және кофе машиналары.",
                    "Kettles, microwave ovens, blenders and coffee machines.",
                ),
                (
                    K(
                        ("Электрический чайник", "Электр шәйнегі", "electric kettle"),
                        (
                            "объём 1,7 л и автоотключение при закипании",
                            "көлемі 1,7 л, қайнағанда өздігінен сөнеді",
                            "a 1.7 l capacity and automatic switch-off when it boils",
                        ),
                        "colour",
                        (5_000, 29_000),
                    ),
                    K(
                        ("Микроволновая печь", "Микротолқынды пеш", "microwave oven"),
                        (
                            "объём 20 л, гриль и быстрый старт",
                            "көлемі 20 л, гриль және жылдам іске қосу",
                            "a 20 l cavity, a grill and quick start",
                        ),
                        "colour",
                        (29_000, 99_000),
                        weight="12.0",
                    ),
                    K(
                        ("Блендер", "Блендер", "blender"),
                        (
                            "мощность 1000 Вт и чаша из прочного стекла",
                            "қуаты 1000 Вт және берік шыныдан жасалған тостаған",
                            "1,000 W of power and a strong glass jug",
                        ),
                        "none",
                        (12_000, 59_000),
                    ),
                    K(
                        ("Кофемашина", "Кофе машинасы", "coffee machine"),
                        (
                            "встроенная кофемолка и капучинатор",
                            "кірістірілген кофе ұнтақтағыш және капучинатор",
                            "a built-in grinder and a milk frother",
                        ),
                        "none",
                        (89_000, 450_000),
                        weight="9.0",
                    ),
                ),
                count=8,
                brands=("Homevia", "Kitchenova", "Brisa", "Samal"),
                weight="2.5",
            ),
            Sub(
                "climate",
                "CLI",
                ("Климатическая техника", "Климаттық техника", "Climate control"),
                (
                    "Кондиционеры, вентиляторы и обогреватели.",
                    "Кондиционерлер, желдеткіштер және жылытқыштар.",
                    "Air conditioners, fans and heaters.",
                ),
                (
                    K(
                        ("Кондиционер", "Кондиционер", "air conditioner"),
                        (
                            "инверторный компрессор, охлаждение и обогрев помещений до 35 м²",
                            "инверторлы компрессор, 35 м²-ге дейінгі бөлмені салқындату және жылыту",
                            "an inverter compressor that cools and heats rooms up to 35 m²",
                        ),
                        "none",
                        (149_000, 490_000),
                        season=SUMMER,
                        weight="35.0",
                        bulky=True,
                    ),
                    K(
                        ("Напольный вентилятор", "Еденге қойылатын желдеткіш", "floor fan"),
                        (
                            "три скорости, поворот корпуса и таймер",
                            "үш жылдамдық, корпустың бұрылуы және таймер",
                            "three speeds, oscillation and a timer",
                        ),
                        "colour",
                        (9_000, 39_000),
                        season=SUMMER,
                    ),
                    K(
                        ("Масляный обогреватель", "Майлы жылытқыш", "oil-filled heater"),
                        (
                            "девять секций, терморегулятор и защита от перегрева",
                            "тоғыз секция, терморегулятор және қызып кетуден қорғау",
                            "nine fins, a thermostat and overheating protection",
                        ),
                        "none",
                        (19_000, 59_000),
                        season=AUTUMN,
                    ),
                ),
                count=6,
                brands=("Samal", "Kelvion", "Brisa", "Aircool"),
                weight="6.0",
            ),
        ),
    ),
    Root(
        "home-goods",
        ("Товары для дома", "Үйге арналған тауарлар", "Home goods"),
        (
            "Посуда, текстиль и освещение для уютного дома.",
            "Жайлы үйге арналған ыдыс-аяқ, тоқыма бұйымдары және жарықтандыру.",
            "Cookware, textiles and lighting for a cosy home.",
        ),
        (255, 152, 0),
        (
            Sub(
                "cookware",
                "CKW",
                ("Посуда", "Ыдыс-аяқ", "Cookware"),
                (
                    "Сковороды, кастрюли, казаны и наборы ножей.",
                    "Табалар, кәстрөлдер, қазандар және пышақ жиынтықтары.",
                    "Frying pans, saucepans, cauldrons and knife sets.",
                ),
                (
                    K(
                        ("Сковорода", "Таба", "frying pan"),
                        (
                            "антипригарное покрытие, подходит для индукционных плит",
                            "күйіп жабыспайтын жабын, индукциялық плиталарға жарамды",
                            "a non-stick coating, suitable for induction hobs",
                        ),
                        "pan",
                        (6_000, 29_000),
                    ),
                    K(
                        ("Кастрюля", "Кәстрөл", "saucepan"),
                        (
                            "нержавеющая сталь и стеклянная крышка",
                            "тот баспайтын болат және шыны қақпақ",
                            "stainless steel with a glass lid",
                        ),
                        "pot",
                        (7_000, 35_000),
                    ),
                    K(
                        ("Казан", "Қазан", "cast-iron kazan"),
                        (
                            "чугунный казан для плова и бешбармака",
                            "палау мен бешбармаққа арналған шойын қазан",
                            "a cast-iron cauldron for plov and beshbarmak",
                        ),
                        "kazan",
                        (12_000, 49_000),
                        weight="6.0",
                    ),
                    K(
                        ("Набор ножей", "Пышақтар жиынтығы", "knife set"),
                        (
                            "пять ножей из закалённой стали и подставка",
                            "шыңдалған болаттан жасалған бес пышақ және тұғыр",
                            "five hardened-steel knives and a block",
                        ),
                        "none",
                        (9_000, 49_000),
                    ),
                ),
                count=7,
                brands=("Qazan Master", "Ironhill", "Cuprina", "Homevia"),
                weight="1.5",
            ),
            Sub(
                "home-textiles",
                "TXT",
                ("Домашний текстиль", "Үй тоқыма бұйымдары", "Home textiles"),
                (
                    "Постельное бельё, полотенца и пледы.",
                    "Төсек жабдықтары, сүлгілер және пледтер.",
                    "Bed linen, towels and throws.",
                ),
                (
                    K(
                        ("Комплект постельного белья", "Төсек жабдықтарының жиынтығы", "bed linen set"),
                        (
                            "100% хлопок, сатин плотного плетения",
                            "100% мақта, тығыз тоқылған сатин",
                            "100% cotton, tightly woven sateen",
                        ),
                        "bed",
                        (12_000, 59_000),
                    ),
                    K(
                        ("Плед", "Плед", "throw"),
                        (
                            "мягкая микрофибра, не линяет после стирки",
                            "жұмсақ микрофибра, жуғаннан кейін оңбайды",
                            "soft microfibre that keeps its colour after washing",
                        ),
                        "colour",
                        (6_000, 25_000),
                    ),
                    K(
                        ("Полотенце с вышивкой имени", "Есім кестеленген сүлгі", "towel with an embroidered name"),
                        (
                            "плотная махра 500 г/м² и вышивка по вашему тексту",
                            "тығыздығы 500 г/м² түкті мата және сіздің мәтініңіз бойынша кесте",
                            "dense 500 g/m² terry with embroidery from your text",
                        ),
                        "colour",
                        (4_000, 12_000),
                        non_returnable=(PERSONALISED, EMBROIDERY_NOTE),
                    ),
                ),
                count=6,
                brands=("Maqta Home", "Softline", "Dalatex", "Yurta Home"),
                weight="1.2",
            ),
            Sub(
                "lighting",
                "LGT",
                ("Освещение", "Жарықтандыру", "Lighting"),
                (
                    "Люстры, настольные лампы и умные лампочки.",
                    "Аспалы шамдар, үстел шамдары және ақылды шамдар.",
                    "Chandeliers, desk lamps and smart bulbs.",
                ),
                (
                    K(
                        ("Настольная лампа", "Үстел шамы", "desk lamp"),
                        (
                            "регулируемая яркость, тёплый или холодный свет",
                            "жарықтығы реттеледі, жылы немесе суық жарық",
                            "adjustable brightness with warm or cool light",
                        ),
                        "colour",
                        (5_000, 29_000),
                    ),
                    K(
                        ("Люстра", "Аспалы шам", "chandelier"),
                        (
                            "светодиодная люстра с пультом управления",
                            "басқару пульті бар жарықдиодты аспалы шам",
                            "an LED chandelier with a remote control",
                        ),
                        "none",
                        (25_000, 150_000),
                        weight="4.0",
                    ),
                    K(
                        ("Умная лампочка", "Ақылды шам", "smart bulb"),
                        (
                            "управление со смартфона и 16 миллионов оттенков",
                            "смартфоннан басқару және 16 миллион түс реңкі",
                            "smartphone control and 16 million colours",
                        ),
                        "none",
                        (3_000, 9_000),
                        weight="0.1",
                    ),
                ),
                count=5,
                brands=("Lumen House", "Shyraq", "Lumio", "Brightly"),
                weight="1.0",
            ),
        ),
    ),
    Root(
        "beauty-and-health",
        ("Красота и здоровье", "Сұлулық және денсаулық", "Beauty and health"),
        (
            "Косметика, средства гигиены и техника для ухода. По гигиеническим причинам эти товары не подлежат "
            "возврату после вскрытия упаковки.",
            "Косметика, гигиена құралдары және күтімге арналған техника. Гигиеналық себептермен бұл тауарлар "
            "қаптамасы ашылғаннан кейін қайтарылмайды.",
            "Cosmetics, hygiene products and personal-care appliances. For hygiene reasons these goods cannot be "
            "returned once opened.",
        ),
        (233, 30, 99),
        (
            Sub(
                "skin-care",
                "SKN",
                ("Уход за кожей", "Тері күтімі", "Skin care"),
                (
                    "Кремы, сыворотки и солнцезащитные средства.",
                    "Кремдер, сарысулар және күннен қорғайтын құралдар.",
                    "Creams, serums and sunscreens.",
                ),
                (
                    K(
                        ("Крем для лица", "Бетке арналған крем", "face cream"),
                        (
                            "увлажняет и защищает кожу в течение дня",
                            "теріні күні бойы ылғалдандырады және қорғайды",
                            "moisturises and protects the skin all day",
                        ),
                        "ml",
                        (3_000, 12_000),
                    ),
                    K(
                        ("Сыворотка для лица", "Бетке арналған сарысу", "face serum"),
                        (
                            "гиалуроновая кислота и витамин C",
                            "гиалурон қышқылы және С дәрумені",
                            "hyaluronic acid and vitamin C",
                        ),
                        "ml",
                        (5_000, 14_000),
                    ),
                    K(
                        ("Солнцезащитный крем SPF 50", "Күннен қорғайтын крем SPF 50", "SPF 50 sunscreen"),
                        (
                            "защищает от UVA- и UVB-лучей и не оставляет белых следов",
                            "UVA және UVB сәулелерінен қорғайды, ақ із қалдырмайды",
                            "protects against UVA and UVB rays and leaves no white marks",
                        ),
                        "ml",
                        (4_000, 9_000),
                        season=SUMMER,
                    ),
                ),
                count=6,
                brands=("Aiya Beauty", "Dermalis", "Floressa", "Tabigi"),
                series=("Hydra", "Fresh", "Gentle", "Glow", "Pure"),
                numbers=("", "Plus", "Care", "24h"),
                weight="0.2",
                flags={"returnable": False, "non_returnable_reason": HYGIENE},
            ),
            Sub(
                "hair-care",
                "HAI",
                ("Уход за волосами", "Шаш күтімі", "Hair care"),
                (
                    "Шампуни, фены и выпрямители.",
                    "Сусабындар, шаш кептіргіштер және шаш түзеткіштер.",
                    "Shampoos, hair dryers and straighteners.",
                ),
                (
                    K(
                        ("Шампунь", "Сусабын", "shampoo"),
                        (
                            "мягко очищает и подходит для ежедневного применения",
                            "жұмсақ тазартады және күнделікті қолдануға жарамды",
                            "cleanses gently and is suitable for daily use",
                        ),
                        "shampoo",
                        (1_800, 6_000),
                    ),
                    K(
                        ("Фен", "Шаш кептіргіш", "hair dryer"),
                        (
                            "мощность 2200 Вт, ионизация и три режима нагрева",
                            "қуаты 2200 Вт, иондау және үш қыздыру режимі",
                            "2,200 W, ionisation and three heat settings",
                        ),
                        "colour",
                        (9_000, 69_000),
                    ),
                    K(
                        ("Выпрямитель для волос", "Шаш түзеткіш", "hair straightener"),
                        (
                            "керамические пластины и нагрев до 230 °C",
                            "керамикалық пластиналар және 230 °C-қа дейін қызу",
                            "ceramic plates that heat up to 230 °C",
                        ),
                        "colour",
                        (9_000, 45_000),
                    ),
                ),
                count=6,
                brands=("Dermalis", "Sheen", "Floressa", "Styla"),
                series=("Silk", "Volume", "Repair", "Shine", "Style"),
                numbers=("", "2", "3", "Pro", "Plus"),
                weight="0.6",
                flags={"returnable": False, "non_returnable_reason": HYGIENE},
            ),
            Sub(
                "personal-hygiene",
                "HYG",
                ("Личная гигиена", "Жеке гигиена", "Personal hygiene"),
                (
                    "Зубные щётки, бритвы и зубные пасты.",
                    "Тіс щеткалары, ұстаралар және тіс пасталары.",
                    "Toothbrushes, shavers and toothpastes.",
                ),
                (
                    K(
                        ("Электрическая зубная щётка", "Электр тіс щеткасы", "electric toothbrush"),
                        (
                            "звуковая технология, таймер на 2 минуты и две насадки",
                            "дыбыстық технология, 2 минуттық таймер және екі саптама",
                            "sonic technology, a 2-minute timer and two brush heads",
                        ),
                        "colour",
                        (9_000, 59_000),
                    ),
                    K(
                        ("Электробритва", "Электр ұстара", "electric shaver"),
                        (
                            "три плавающие головки, влажное и сухое бритьё",
                            "үш қозғалмалы бас, ылғалды және құрғақ қырыну",
                            "three floating heads for wet and dry shaving",
                        ),
                        "none",
                        (15_000, 89_000),
                    ),
                    K(
                        ("Зубная паста", "Тіс пастасы", "toothpaste"),
                        (
                            "укрепляет эмаль и освежает дыхание",
                            "кіреукені нығайтады және тынысты сергітеді",
                            "strengthens enamel and freshens breath",
                        ),
                        "tube",
                        (1_600, 3_900),
                        weight="0.1",
                    ),
                ),
                count=6,
                brands=("Smilex", "Dentora", "Barbera", "Sheen"),
                series=("Sonic", "Fresh", "White", "Smooth", "Active"),
                numbers=("", "3", "5", "7", "Pro"),
                weight="0.4",
                flags={"returnable": False, "non_returnable_reason": HYGIENE},
            ),
        ),
        flags={"returnable": False, "non_returnable_reason": HYGIENE},
    ),
    Root(
        "kids",
        ("Детские товары", "Балаларға арналған тауарлар", "Kids' goods"),
        (
            "Игрушки, товары для малышей и всё для школы.",
            "Ойыншықтар, нәрестелерге арналған тауарлар және мектепке қажеттінің бәрі.",
            "Toys, baby products and everything for school.",
        ),
        (255, 193, 7),
        (
            Sub(
                "toys",
                "TOY",
                ("Игрушки", "Ойыншықтар", "Toys"),
                (
                    "Конструкторы, мягкие игрушки и настольные игры.",
                    "Конструкторлар, жұмсақ ойыншықтар және үстел ойындары.",
                    "Building sets, soft toys and board games.",
                ),
                (
                    K(
                        ("Конструктор", "Конструктор", "building set"),
                        (
                            "более 500 деталей и подробная инструкция",
                            "500-ден астам бөлшек және толық нұсқаулық",
                            "over 500 pieces and detailed instructions",
                        ),
                        "none",
                        (5_000, 69_000),
                    ),
                    K(
                        ("Мягкая игрушка", "Жұмсақ ойыншық", "soft toy"),
                        (
                            "гипоаллергенный наполнитель, можно стирать",
                            "гипоаллергенді толтырғыш, жууға болады",
                            "hypoallergenic filling, machine washable",
                        ),
                        "colour",
                        (3_000, 19_000),
                    ),
                    K(
                        ("Настольная игра", "Үстел ойыны", "board game"),
                        (
                            "для всей семьи, от 2 до 6 игроков",
                            "бүкіл отбасына арналған, 2-ден 6-ға дейін ойыншы",
                            "for the whole family, 2 to 6 players",
                        ),
                        "none",
                        (5_000, 25_000),
                    ),
                    K(
                        ("Радиоуправляемая машина", "Радиомен басқарылатын машина", "remote-control car"),
                        (
                            "скорость до 25 км/ч и аккумулятор в комплекте",
                            "жылдамдығы сағатына 25 км-ге дейін, аккумулятор жиынтықта бар",
                            "up to 25 km/h, battery included",
                        ),
                        "colour",
                        (9_000, 45_000),
                    ),
                ),
                count=8,
                brands=("Oiyn", "Brickly", "Toyland", "Funbee"),
                series=("City", "Safari", "Rocket", "Castle", "Space"),
                numbers=("", "2", "3", "Junior", "Max"),
                weight="0.8",
            ),
            Sub(
                "baby",
                "BAB",
                ("Товары для малышей", "Нәрестелерге арналған тауарлар", "Baby products"),
                (
                    "Коляски, подгузники и всё для ухода за малышом.",
                    "Арбалар, жаялықтар және нәрестені күтуге қажеттінің бәрі.",
                    "Prams, nappies and everything for baby care.",
                ),
                (
                    K(
                        ("Детская коляска", "Балалар арбасы", "pram"),
                        (
                            "лёгкая рама, большие колёса и складывание одной рукой",
                            "жеңіл рама, үлкен дөңгелектер және бір қолмен жиналады",
                            "a light frame, large wheels and one-hand folding",
                        ),
                        "colour",
                        (59_000, 320_000),
                        weight="11.0",
                        bulky=True,
                    ),
                    K(
                        ("Подгузники", "Жаялықтар", "nappies"),
                        (
                            "дышащий материал и защита от протекания до 12 часов",
                            "ауа өткізетін материал және 12 сағатқа дейін ағып кетуден қорғау",
                            "breathable material and up to 12 hours of leak protection",
                        ),
                        "nappy",
                        (4_000, 12_000),
                        non_returnable=(HYGIENE, NO_NOTE),
                        weight="1.5",
                    ),
                    K(
                        ("Пустышка", "Емізік", "dummy"),
                        (
                            "ортодонтическая форма, силикон без BPA",
                            "ортодонтиялық пішін, құрамында BPA жоқ силикон",
                            "an orthodontic shape, BPA-free silicone",
                        ),
                        "colour",
                        (1_600, 4_900),
                        non_returnable=(HYGIENE, NO_NOTE),
                        weight="0.05",
                    ),
                ),
                count=6,
                brands=("Babycare", "Bopek", "Tiny Steps", "Softy"),
                series=("Soft", "Comfort", "Dream", "Cloud", "Sunny"),
                numbers=("", "2", "3", "Plus"),
            ),
            Sub(
                "school",
                "SCH",
                ("Товары для школы", "Мектепке арналған тауарлар", "School supplies"),
                (
                    "Рюкзаки, пеналы и наборы для рисования.",
                    "Рюкзактар, қаламсауыттар және сурет салуға арналған жиынтықтар.",
                    "Backpacks, pencil cases and art sets.",
                ),
                (
                    K(
                        ("Школьный рюкзак", "Мектеп рюкзагы", "school backpack"),
                        (
                            "ортопедическая спинка и светоотражающие элементы",
                            "ортопедиялық арқа және жарық шағылыстыратын элементтер",
                            "an orthopaedic back panel and reflective details",
                        ),
                        "colour",
                        (9_000, 39_000),
                        season=SCHOOL,
                    ),
                    K(
                        ("Набор для рисования", "Сурет салуға арналған жиынтық", "art set"),
                        (
                            "краски, карандаши и фломастеры в удобном кейсе",
                            "бояулар, қарындаштар және фломастерлер ыңғайлы қорапта",
                            "paints, pencils and felt-tip pens in a handy case",
                        ),
                        "none",
                        (3_000, 15_000),
                    ),
                    K(
                        ("Пенал", "Қаламсауыт", "pencil case"),
                        (
                            "два отделения и прочная молния",
                            "екі бөлімше және берік сырма",
                            "two compartments and a strong zip",
                        ),
                        "colour",
                        (1_600, 6_900),
                    ),
                ),
                count=5,
                brands=("Mektep", "Kidpack", "Artway", "Kalam"),
                series=("Start", "Smart", "Bright", "Junior", "Class"),
                numbers=("", "1", "2", "5"),
                weight="0.7",
            ),
        ),
    ),
    Root(
        "sports-and-leisure",
        ("Спорт и отдых", "Спорт және демалыс", "Sports and leisure"),
        (
            "Тренажёры, велосипеды, снаряжение для зимнего спорта и туризма.",
            "Тренажерлар, велосипедтер, қысқы спорт пен туризмге арналған жабдықтар.",
            "Fitness equipment, bicycles, winter sports and camping gear.",
        ),
        (76, 175, 80),
        (
            Sub(
                "fitness",
                "FIT",
                ("Фитнес", "Фитнес", "Fitness"),
                (
                    "Гантели, коврики и тренажёры для дома.",
                    "Гантельдер, кілемшелер және үйге арналған тренажерлар.",
                    "Dumbbells, mats and home exercise machines.",
                ),
                (
                    K(
                        ("Гантель", "Гантель", "dumbbell"),
                        (
                            "прорезиненное покрытие и удобная рукоять",
                            "резеңкеленген жабын және ыңғайлы сап",
                            "a rubber coating and a comfortable grip",
                        ),
                        "weight",
                        (4_000, 12_000),
                        weight="5.0",
                    ),
                    K(
                        ("Коврик для йоги", "Йога кілемшесі", "yoga mat"),
                        (
                            "нескользящая поверхность толщиной 6 мм",
                            "қалыңдығы 6 мм тайғанамайтын бет",
                            "a 6 mm non-slip surface",
                        ),
                        "colour",
                        (4_000, 19_000),
                    ),
                    K(
                        ("Беговая дорожка", "Жүгіру жолы", "treadmill"),
                        (
                            "скорость до 16 км/ч и складная рама",
                            "жылдамдығы сағатына 16 км-ге дейін және жиналмалы рама",
                            "up to 16 km/h and a foldable frame",
                        ),
                        "none",
                        (190_000, 690_000),
                        weight="70.0",
                        bulky=True,
                    ),
                    K(
                        ("Боксёрская капа", "Бокс капасы", "boxing mouthguard"),
                        (
                            "термопластичный материал, подгоняется по зубам",
                            "термопластикалық материал, тіске қарай пішінделеді",
                            "thermoplastic material that moulds to your teeth",
                        ),
                        "none",
                        (1_900, 6_900),
                        non_returnable=(HYGIENE, NO_NOTE),
                        weight="0.05",
                    ),
                ),
                count=7,
                brands=("Kuat", "Fitline", "Ironhill", "Yogana"),
                weight="1.0",
            ),
            Sub(
                "bicycles",
                "BIK",
                ("Велосипеды и самокаты", "Велосипедтер мен самокаттар", "Bicycles and scooters"),
                (
                    "Горные и городские велосипеды, самокаты.",
                    "Тау және қалалық велосипедтер, самокаттар.",
                    "Mountain and city bikes and kick scooters.",
                ),
                (
                    K(
                        ("Горный велосипед", "Тау велосипеді", "mountain bike"),
                        (
                            "алюминиевая рама, 21 скорость и дисковые тормоза",
                            "алюминий рама, 21 жылдамдық және дискілі тежегіштер",
                            "an aluminium frame, 21 speeds and disc brakes",
                        ),
                        "frame",
                        (89_000, 390_000),
                        season=SPRING,
                        weight="14.0",
                        bulky=True,
                    ),
                    K(
                        ("Городской велосипед", "Қалалық велосипед", "city bike"),
                        (
                            "корзина, крылья и удобное седло",
                            "себет, қалқандар және ыңғайлы ершік",
                            "a basket, mudguards and a comfortable saddle",
                        ),
                        "frame",
                        (69_000, 220_000),
                        season=SPRING,
                        weight="16.0",
                        bulky=True,
                    ),
                    K(
                        ("Самокат", "Самокат", "kick scooter"),
                        (
                            "складная рама и колёса 200 мм",
                            "жиналмалы рама және 200 мм дөңгелектер",
                            "a folding frame and 200 mm wheels",
                        ),
                        "colour",
                        (15_000, 69_000),
                        season=SPRING,
                        weight="5.0",
                    ),
                ),
                count=6,
                brands=("Steppe Rider", "Velox", "Trailmark", "Urbana"),
                series=("Trail", "Ridge", "Urban", "Canyon", "Breeze"),
                numbers=("1.0", "2.0", "3.0", "500", "700"),
            ),
            Sub(
                "winter-sports",
                "WSP",
                ("Зимний спорт", "Қысқы спорт", "Winter sports"),
                (
                    "Лыжи, коньки и санки.",
                    "Шаңғылар, коньки және шаналар.",
                    "Skis, skates and sledges.",
                ),
                (
                    K(
                        ("Беговые лыжи", "Жүгіруге арналған шаңғы", "cross-country skis"),
                        (
                            "лёгкие лыжи для классического хода",
                            "классикалық жүріске арналған жеңіл шаңғы",
                            "light skis for the classic style",
                        ),
                        "ski",
                        (25_000, 120_000),
                        season=WINTER,
                        weight="2.5",
                    ),
                    K(
                        ("Коньки", "Коньки", "ice skates"),
                        (
                            "тёплый ботинок и лезвие из нержавеющей стали",
                            "жылы бәтеңке және тот баспайтын болаттан жасалған жүз",
                            "a warm boot and a stainless-steel blade",
                        ),
                        "shoe",
                        (15_000, 69_000),
                        season=WINTER,
                        weight="1.8",
                    ),
                    K(
                        ("Санки", "Шана", "sledge"),
                        (
                            "прочный пластик и верёвка для буксировки",
                            "берік пластик және сүйреуге арналған арқан",
                            "tough plastic and a tow rope",
                        ),
                        "colour",
                        (5_000, 25_000),
                        season=WINTER,
                        weight="3.0",
                    ),
                ),
                count=6,
                brands=("Alatau", "Nordski", "Icedge", "Polarway"),
                series=("Snow", "Ice", "Glide", "Frost", "Arctic"),
                numbers=("", "2", "3", "Pro", "Junior"),
            ),
            Sub(
                "camping",
                "CMP",
                ("Туризм и кемпинг", "Туризм және кемпинг", "Camping and hiking"),
                (
                    "Палатки, спальные мешки и всё для отдыха на природе.",
                    "Шатырлар, ұйықтау қаптары және табиғатта демалуға қажеттінің бәрі.",
                    "Tents, sleeping bags and everything for the outdoors.",
                ),
                (
                    K(
                        ("Туристическая палатка", "Туристік шатыр", "camping tent"),
                        (
                            "водонепроницаемый тент и быстрая установка",
                            "су өткізбейтін тент және жылдам орнату",
                            "a waterproof flysheet and quick pitching",
                        ),
                        "tent",
                        (25_000, 150_000),
                        season=SUMMER,
                        weight="3.5",
                    ),
                    K(
                        ("Спальный мешок", "Ұйықтау қабы", "sleeping bag"),
                        (
                            "комфортная температура до +5 °C",
                            "+5 °C-қа дейін жайлы температура",
                            "comfortable down to +5 °C",
                        ),
                        "colour",
                        (9_000, 49_000),
                        season=SUMMER,
                        weight="1.5",
                    ),
                    K(
                        ("Мангал", "Мангал", "barbecue grill"),
                        (
                            "складной мангал из толстой стали",
                            "қалың болаттан жасалған жиналмалы мангал",
                            "a folding grill made of thick steel",
                        ),
                        "none",
                        (7_000, 39_000),
                        season=SUMMER,
                        weight="6.0",
                    ),
                ),
                count=6,
                brands=("Trailmark", "Tau Outdoor", "Campfire", "Nomad Gear"),
                series=("Trek", "Base", "Summit", "Valley", "Steppe"),
                numbers=("", "2", "3", "Light", "Plus"),
            ),
        ),
    ),
    Root(
        "car-goods",
        ("Автотовары", "Автотауарлар", "Car goods"),
        (
            "Шины, автоэлектроника и средства ухода за автомобилем.",
            "Шиналар, автоэлектроника және автокөлік күтіміне арналған құралдар.",
            "Tyres, car electronics and car care products.",
        ),
        (96, 125, 139),
        (
            Sub(
                "winter-tyres",
                "WTY",
                ("Зимние шины", "Қысқы шиналар", "Winter tyres"),
                (
                    "Шипованные и фрикционные шины для зимы.",
                    "Қысқа арналған шипті және фрикциялық шиналар.",
                    "Studded and studless winter tyres.",
                ),
                (
                    K(
                        ("Зимняя шипованная шина", "Қысқы шипті шина", "studded winter tyre"),
                        (
                            "шипы обеспечивают уверенное сцепление на льду",
                            "шиптер мұзда сенімді ілінісуді қамтамасыз етеді",
                            "studs give a confident grip on ice",
                        ),
                        "tyre",
                        (25_000, 95_000),
                        season=WINTER,
                    ),
                    K(
                        ("Зимняя фрикционная шина", "Қысқы фрикциялық шина", "studless winter tyre"),
                        (
                            "мягкая резина и ламели для снега и слякоти",
                            "жұмсақ резеңке және қар мен лайсаңға арналған ламельдер",
                            "soft rubber and sipes for snow and slush",
                        ),
                        "tyre",
                        (25_000, 95_000),
                        season=WINTER,
                    ),
                ),
                count=6,
                brands=("Nordrim", "Polarway", "Taigatrek", "Roadmax"),
                series=("IceGrip", "SnowTrack", "Arctic", "WinterPro"),
                numbers=("2", "3", "5", "7"),
                weight="9.5",
            ),
            Sub(
                "summer-tyres",
                "STY",
                ("Летние шины", "Жазғы шиналар", "Summer tyres"),
                (
                    "Шины для тёплого сезона.",
                    "Жылы маусымға арналған шиналар.",
                    "Tyres for the warm season.",
                ),
                (
                    K(
                        ("Летняя шина", "Жазғы шина", "summer tyre"),
                        (
                            "низкий уровень шума и хорошее торможение на мокрой дороге",
                            "шу деңгейі төмен, дымқыл жолда жақсы тежейді",
                            "low noise and good braking on wet roads",
                        ),
                        "tyre",
                        (22_000, 85_000),
                        season=SPRING,
                    ),
                ),
                count=5,
                brands=("Nordrim", "Roadmax", "Sunway", "Taigatrek"),
                series=("Sport", "Comfort", "Eco", "Road"),
                numbers=("2", "3", "5", "7"),
                weight="9.0",
            ),
            Sub(
                "car-electronics",
                "CEL",
                ("Автоэлектроника", "Автоэлектроника", "Car electronics"),
                (
                    "Видеорегистраторы, автомагнитолы и компрессоры.",
                    "Бейнетіркегіштер, автомагнитолалар және компрессорлар.",
                    "Dashcams, car stereos and tyre inflators.",
                ),
                (
                    K(
                        ("Видеорегистратор", "Бейнетіркегіш", "dashcam"),
                        (
                            "запись в Full HD, ночной режим и датчик удара",
                            "Full HD жазу, түнгі режим және соққы датчигі",
                            "Full HD recording, night mode and a shock sensor",
                        ),
                        "none",
                        (12_000, 69_000),
                    ),
                    K(
                        ("Автомагнитола", "Автомагнитола", "car stereo"),
                        (
                            "Bluetooth, USB и громкая связь",
                            "Bluetooth, USB және қолды босататын байланыс",
                            "Bluetooth, USB and hands-free calling",
                        ),
                        "none",
                        (15_000, 89_000),
                    ),
                    K(
                        ("Автомобильный компрессор", "Автокөлік компрессоры", "tyre inflator"),
                        (
                            "накачивает колесо за 4 минуты, есть манометр",
                            "дөңгелекті 4 минутта үрлейді, манометрі бар",
                            "inflates a tyre in 4 minutes and has a pressure gauge",
                        ),
                        "none",
                        (8_000, 35_000),
                        weight="2.0",
                    ),
                ),
                count=6,
                brands=("Roadmax", "Drivecam", "Autovox", "Aircomp"),
                weight="0.6",
            ),
            Sub(
                "car-care",
                "CAR",
                ("Автохимия и уход", "Автохимия және күтім", "Car care"),
                (
                    "Омывающие жидкости, автошампуни и полироли.",
                    "Әйнек жуғыш сұйықтықтар, автокөлік сусабындары және жылтыратқыштар.",
                    "Screenwash, car shampoos and polishes.",
                ),
                (
                    K(
                        ("Незамерзающая жидкость для омывателя", "Қатпайтын әйнек жуғыш сұйықтық", "winter screenwash"),
                        (
                            "не замерзает до −30 °C и не оставляет разводов",
                            "−30 °C-қа дейін қатпайды және дақ қалдырмайды",
                            "does not freeze down to −30 °C and leaves no streaks",
                        ),
                        "screenwash",
                        (1_900, 4_500),
                        season=AUTUMN,
                        weight="4.5",
                    ),
                    K(
                        ("Автошампунь", "Автокөлікке арналған сусабын", "car shampoo"),
                        (
                            "густая пена бережно удаляет грязь",
                            "қою көбік кірді ұқыпты кетіреді",
                            "thick foam removes dirt gently",
                        ),
                        "carwash",
                        (2_500, 6_000),
                    ),
                    K(
                        ("Полироль для кузова", "Кузовқа арналған жылтыратқыш", "body polish"),
                        (
                            "восковая защита и глубокий блеск",
                            "балауыз қорғанысы және терең жылтыр",
                            "wax protection and a deep shine",
                        ),
                        "none",
                        (3_000, 12_000),
                    ),
                ),
                count=5,
                brands=("Carclean", "Glanz", "Roadmax", "Shine Pro"),
                series=("Clear", "Foam", "Wax", "Shine"),
                numbers=("", "1", "2", "Max"),
                weight="1.0",
            ),
        ),
    ),
    Root(
        "books-and-digital",
        ("Книги и цифровые товары", "Кітаптар және цифрлық тауарлар", "Books and digital goods"),
        (
            "Печатные книги, программы и электронные подарочные сертификаты.",
            "Баспа кітаптары, бағдарламалар және электрондық сыйлық сертификаттары.",
            "Printed books, software and e-gift cards.",
        ),
        (121, 85, 72),
        (
            Sub(
                "books",
                "BOK",
                ("Книги", "Кітаптар", "Books"),
                (
                    "Классика казахской и мировой литературы.",
                    "Қазақ және әлем әдебиетінің классикасы.",
                    "Classics of Kazakh and world literature.",
                ),
                (
                    K(
                        (
                            "Абай Кунанбаев. Слова назидания",
                            "Абай Құнанбайұлы. Қара сөздер",
                            "Abai Kunanbayuly. Book of Words",
                        ),
                        (
                            "философские размышления великого казахского поэта",
                            "ұлы қазақ ақынының философиялық толғаныстары",
                            "philosophical reflections of the great Kazakh poet",
                        ),
                        "cover",
                        (3_000, 6_000),
                        fixed=True,
                        brand="Altyn Kitap",
                    ),
                    K(
                        ("Мухтар Ауэзов. Путь Абая", "Мұхтар Әуезов. Абай жолы", "Mukhtar Auezov. The Path of Abai"),
                        (
                            "роман-эпопея о жизни Абая и казахской степи XIX века",
                            "Абайдың өмірі мен XIX ғасырдағы қазақ даласы туралы роман-эпопея",
                            "an epic novel about Abai's life and the 19th-century Kazakh steppe",
                        ),
                        "cover",
                        (6_000, 12_000),
                        fixed=True,
                        brand="Altyn Kitap",
                    ),
                    K(
                        (
                            "Ильяс Есенберлин. Кочевники",
                            "Ілияс Есенберлин. Көшпенділер",
                            "Ilyas Yesenberlin. The Nomads",
                        ),
                        (
                            "историческая трилогия о Казахском ханстве",
                            "Қазақ хандығы туралы тарихи трилогия",
                            "a historical trilogy about the Kazakh Khanate",
                        ),
                        "cover",
                        (7_000, 12_000),
                        fixed=True,
                        brand="Dala Press",
                    ),
                    K(
                        (
                            "Лев Толстой. Война и мир",
                            "Лев Толстой. Соғыс және бейбітшілік",
                            "Leo Tolstoy. War and Peace",
                        ),
                        (
                            "великий роман о войне 1812 года и судьбах людей",
                            "1812 жылғы соғыс және адамдар тағдыры туралы ұлы роман",
                            "the great novel of the war of 1812 and the lives caught up in it",
                        ),
                        "cover",
                        (5_000, 11_000),
                        fixed=True,
                        brand="Steppe Books",
                    ),
                    K(
                        (
                            "Фёдор Достоевский. Преступление и наказание",
                            "Фёдор Достоевский. Қылмыс пен жаза",
                            "Fyodor Dostoevsky. Crime and Punishment",
                        ),
                        (
                            "психологический роман о совести и искуплении",
                            "ар-ождан мен күнәні өтеу туралы психологиялық роман",
                            "a psychological novel about conscience and redemption",
                        ),
                        "cover",
                        (3_500, 7_000),
                        fixed=True,
                        brand="Steppe Books",
                    ),
                    K(
                        (
                            "Антуан де Сент-Экзюпери. Маленький принц",
                            "Антуан де Сент-Экзюпери. Кішкентай ханзада",
                            "Antoine de Saint-Exupery. The Little Prince",
                        ),
                        (
                            "добрая сказка для детей и взрослых с рисунками автора",
                            "автордың суреттерімен безендірілген, балалар мен үлкендерге арналған мейірімді ертегі",
                            "a gentle tale for children and adults with the author's own drawings",
                        ),
                        "cover",
                        (2_500, 5_000),
                        fixed=True,
                        brand="Dala Press",
                    ),
                    K(
                        (
                            "Жюль Верн. Двадцать тысяч льё под водой",
                            "Жюль Верн. Су астында жиырма мың лье",
                            "Jules Verne. Twenty Thousand Leagues Under the Seas",
                        ),
                        (
                            "приключения капитана Немо и его подводной лодки «Наутилус»",
                            "Капитан Немо мен оның «Наутилус» сүңгуір қайығының шытырман оқиғалары",
                            "the adventures of Captain Nemo and his submarine, the Nautilus",
                        ),
                        "cover",
                        (3_500, 7_000),
                        fixed=True,
                        brand="Steppe Books",
                    ),
                    K(
                        (
                            "Александр Пушкин. Евгений Онегин",
                            "Александр Пушкин. Евгений Онегин",
                            "Alexander Pushkin. Eugene Onegin",
                        ),
                        (
                            "роман в стихах — энциклопедия русской жизни",
                            "өлеңмен жазылған роман, орыс өмірінің энциклопедиясы",
                            "a novel in verse, an encyclopaedia of Russian life",
                        ),
                        "cover",
                        (3_000, 6_000),
                        fixed=True,
                        brand="Altyn Kitap",
                    ),
                ),
                weight="0.6",
                pool="book",
            ),
            Sub(
                "software",
                "SFT",
                ("Программы и подписки", "Бағдарламалар мен жазылымдар", "Software and subscriptions"),
                (
                    "Лицензионные ключи приходят на e-mail после оплаты.",
                    "Лицензиялық кілттер төлемнен кейін e-mail-ге келеді.",
                    "Licence keys are delivered by e-mail after payment.",
                ),
                (
                    K(
                        (
                            "Антивирус Shieldex Total Security",
                            "Антивирус Shieldex Total Security",
                            "Shieldex Total Security antivirus",
                        ),
                        (
                            "защита от вирусов и фишинга для Windows, macOS и Android",
                            "Windows, macOS және Android үшін вирустар мен фишингтен қорғау",
                            "protection against viruses and phishing for Windows, macOS and Android",
                        ),
                        "licence",
                        (9_000, 15_000),
                        non_returnable=(DIGITAL, LICENCE_NOTE),
                        fixed=True,
                        brand="Shieldex",
                    ),
                    K(
                        (
                            "Антивирус Shieldex Internet Security",
                            "Антивирус Shieldex Internet Security",
                            "Shieldex Internet Security antivirus",
                        ),
                        (
                            "защита покупок и банковских операций в интернете",
                            "интернеттегі сатып алулар мен банк операцияларын қорғау",
                            "protection for online shopping and banking",
                        ),
                        "licence",
                        (6_000, 10_000),
                        non_returnable=(DIGITAL, LICENCE_NOTE),
                        fixed=True,
                        brand="Shieldex",
                    ),
                    K(
                        (
                            "Офисный пакет Paperleaf Office Home",
                            "Кеңсе бағдарламалар пакеті Paperleaf Office Home",
                            "Paperleaf Office Home office suite",
                        ),
                        (
                            "текстовый редактор, таблицы и презентации",
                            "мәтіндік редактор, кестелер және презентациялар",
                            "a word processor, spreadsheets and presentations",
                        ),
                        "period",
                        (19_000, 35_000),
                        non_returnable=(DIGITAL, LICENCE_NOTE),
                        fixed=True,
                        brand="Paperleaf",
                    ),
                    K(
                        (
                            "Офисный пакет Paperleaf Office Business",
                            "Кеңсе бағдарламалар пакеті Paperleaf Office Business",
                            "Paperleaf Office Business office suite",
                        ),
                        (
                            "совместная работа с документами и корпоративная почта",
                            "құжаттармен бірлесіп жұмыс істеу және корпоративтік пошта",
                            "shared documents and business e-mail",
                        ),
                        "period",
                        (39_000, 89_000),
                        non_returnable=(DIGITAL, LICENCE_NOTE),
                        fixed=True,
                        brand="Paperleaf",
                    ),
                    K(
                        (
                            "Облачное хранилище Cloudara 1 ТБ",
                            "Бұлттық қойма Cloudara 1 ТБ",
                            "Cloudara 1 TB cloud storage",
                        ),
                        (
                            "место для фото, видео и документов с доступом с любого устройства",
                            "кез келген құрылғыдан қолжетімді фото, бейне және құжаттарға арналған орын",
                            "space for photos, videos and documents, reachable from any device",
                        ),
                        "period",
                        (12_000, 25_000),
                        non_returnable=(DIGITAL, LICENCE_NOTE),
                        fixed=True,
                        brand="Cloudara",
                    ),
                    K(
                        (
                            "Графический редактор Pixela Studio",
                            "Графикалық редактор Pixela Studio",
                            "Pixela Studio graphics editor",
                        ),
                        (
                            "слои, маски и обработка RAW-фотографий",
                            "қабаттар, маскалар және RAW фотосуреттерін өңдеу",
                            "layers, masks and RAW photo editing",
                        ),
                        "licence",
                        (15_000, 39_000),
                        non_returnable=(DIGITAL, LICENCE_NOTE),
                        fixed=True,
                        brand="Pixela",
                    ),
                ),
                weight="0",
                pool="digital",
                unlimited=True,
                flags={"returnable": False, "non_returnable_reason": DIGITAL},
            ),
            Sub(
                "gift-cards",
                "GFT",
                ("Подарочные сертификаты", "Сыйлық сертификаттары", "Gift cards"),
                (
                    "Электронный сертификат приходит на e-mail и действует один год.",
                    "Электрондық сертификат e-mail-ге келеді және бір жыл бойы жарамды.",
                    "The e-gift card arrives by e-mail and is valid for one year.",
                ),
                (
                    K(
                        ("Электронный подарочный сертификат", "Электрондық сыйлық сертификаты", "e-gift card"),
                        (
                            "сертификат приходит на e-mail и действует 1 год с даты покупки",
                            "сертификат e-mail-ге келеді және сатып алған күннен бастап 1 жыл жарамды",
                            "the card arrives by e-mail and is valid for 1 year from the date of purchase",
                        ),
                        "gift",
                        (0, 0),
                        fixed=True,
                    ),
                    K(
                        (
                            "Подарочный сертификат на технику",
                            "Техникаға арналған сыйлық сертификаты",
                            "gift card for electronics and appliances",
                        ),
                        (
                            "можно потратить на любую технику в нашем магазине",
                            "біздің дүкендегі кез келген техникаға жұмсауға болады",
                            "can be spent on any gadget or appliance in our shop",
                        ),
                        "gift_large",
                        (0, 0),
                        fixed=True,
                    ),
                ),
                weight="0",
                pool="digital",
                unlimited=True,
                flags={
                    "returnable": False,
                    "non_returnable_reason": DIGITAL,
                    "bonus_payable": False,
                    "bonus_earning": False,
                },
            ),
        ),
    ),
    Root(
        "services",
        ("Услуги", "Қызметтер", "Services"),
        (
            "Доставка с подъёмом на этаж, установка и настройка техники. За услуги бонусы не начисляются.",
            "Қабатқа көтеріп жеткізу, техниканы орнату және баптау. Қызметтер үшін бонус есептелмейді.",
            "Delivery with carrying upstairs, installation and set-up of appliances. Services do not earn bonuses.",
        ),
        (156, 39, 176),
        (
            Sub(
                "delivery-services",
                "DLV",
                ("Доставка и подъём", "Жеткізу және көтеру", "Delivery and carrying"),
                (
                    "Дополнительные услуги к доставке крупной техники.",
                    "Ірі техниканы жеткізуге қосымша қызметтер.",
                    "Extra services for delivering large appliances.",
                ),
                (
                    K(
                        (
                            "Подъём крупногабаритного товара на этаж",
                            "Ірі габаритті тауарды қабатқа көтеру",
                            "Carrying bulky goods upstairs",
                        ),
                        (
                            "грузчики поднимут холодильник, стиральную машину или мебель на любой этаж",
                            "жүк тасушылар тоңазытқышты, кір жуғыш машинаны немесе жиһазды кез келген қабатқа көтереді",
                            "our movers carry a fridge, washing machine or furniture up to any floor",
                        ),
                        "none",
                        (3_000, 6_000),
                        fixed=True,
                    ),
                    K(
                        (
                            "Доставка в двухчасовой интервал",
                            "Екі сағаттық аралықта жеткізу",
                            "Delivery in a two-hour slot",
                        ),
                        (
                            "курьер приедет в выбранный вами двухчасовой интервал",
                            "курьер сіз таңдаған екі сағаттық аралықта келеді",
                            "the courier arrives in the two-hour slot you choose",
                        ),
                        "none",
                        (1_900, 3_000),
                        fixed=True,
                    ),
                    K(
                        (
                            "Вывоз и утилизация старой техники",
                            "Ескі техниканы әкету және кәдеге жарату",
                            "Removal and recycling of old appliances",
                        ),
                        (
                            "заберём старую технику при доставке новой и сдадим её на переработку",
                            "жаңа техниканы жеткізгенде ескісін алып кетіп, қайта өңдеуге тапсырамыз",
                            "we take away the old appliance when delivering the new one and send it for recycling",
                        ),
                        "none",
                        (4_000, 9_000),
                        fixed=True,
                    ),
                ),
                weight="0",
                pool="service",
                service=True,
                unlimited=True,
                flags={"bonus_earning": False},
            ),
            Sub(
                "installation",
                "INS",
                ("Установка и настройка", "Орнату және баптау", "Installation and set-up"),
                (
                    "Установка, подключение и настройка купленной техники.",
                    "Сатып алынған техниканы орнату, қосу және баптау.",
                    "Installation, connection and set-up of the goods you bought.",
                ),
                (
                    K(
                        ("Установка кондиционера", "Кондиционер орнату", "Air conditioner installation"),
                        (
                            "монтаж внутреннего и внешнего блоков и проверка работы",
                            "ішкі және сыртқы блоктарды монтаждау және жұмысын тексеру",
                            "fitting the indoor and outdoor units and a test run",
                        ),
                        "none",
                        (25_000, 49_000),
                        fixed=True,
                    ),
                    K(
                        ("Подключение стиральной машины", "Кір жуғыш машинаны қосу", "Washing machine hook-up"),
                        (
                            "подключение к водопроводу и канализации, проверка на протечки",
                            "су құбыры мен кәрізге қосу, ағып кетуге тексеру",
                            "connection to the water supply and drain with a leak check",
                        ),
                        "none",
                        (7_000, 15_000),
                        fixed=True,
                    ),
                    K(
                        ("Шиномонтаж четырёх колёс", "Төрт дөңгелекке шина монтажы", "Tyre fitting for four wheels"),
                        (
                            "снятие, монтаж и балансировка четырёх колёс",
                            "төрт дөңгелекті шешу, монтаждау және теңгеру",
                            "removal, fitting and balancing of four wheels",
                        ),
                        "none",
                        (8_000, 16_000),
                        fixed=True,
                    ),
                    K(
                        ("Сборка велосипеда", "Велосипедті құрастыру", "Bicycle assembly"),
                        (
                            "сборка, настройка тормозов и переключателей скоростей",
                            "құрастыру, тежегіштер мен жылдамдық ауыстырғыштарды баптау",
                            "assembly and adjustment of the brakes and gears",
                        ),
                        "none",
                        (5_000, 9_000),
                        fixed=True,
                    ),
                    K(
                        (
                            "Настройка смартфона и перенос данных",
                            "Смартфонды баптау және деректерді көшіру",
                            "Smartphone set-up and data transfer",
                        ),
                        (
                            "перенесём контакты, фото и приложения со старого телефона",
                            "ескі телефоннан контактілерді, фотосуреттерді және қосымшаларды көшіреміз",
                            "we move your contacts, photos and apps from your old phone",
                        ),
                        "none",
                        (3_000, 7_000),
                        fixed=True,
                    ),
                ),
                weight="0",
                pool="service",
                service=True,
                unlimited=True,
                flags={"bonus_earning": False},
            ),
        ),
        flags={"bonus_earning": False},
    ),
)

# --------------------------------------------------------------------------------------------------------------
# Information pages (LEG-1): plain text, blank lines between paragraphs (rendered with |linebreaks)
# --------------------------------------------------------------------------------------------------------------

PAGES: dict[str, tuple[T, T]] = {
    Page.Kind.TERMS: (
        ("Условия продажи", "Сату шарттары", "Terms and conditions"),
        (
            "Эти условия регулируют продажу товаров в интернет-магазине {shop}. Оформляя заказ, покупатель "
            "подтверждает, что ему исполнилось 16 лет и что он прочитал и принимает эти условия.\n\n"
            "Цены указаны в тенге и включают НДС. Цена, скидка и стоимость доставки фиксируются в момент "
            "оформления заказа и после этого не меняются.\n\n"
            "Договор купли-продажи заключается, когда магазин подтверждает заказ. Магазин может отказать в "
            "подтверждении, например если товара нет в наличии; уже уплаченная сумма тогда возвращается "
            "полностью.\n\n"
            "Оформленный заказ изменить нельзя, но до получения от него можно отказаться в любой момент: "
            "запросите отмену в личном кабинете или через форму обращения. Возврат товаров, гарантия и "
            "бонусная программа описаны на отдельных страницах.\n\n"
            "Покупать можно и без регистрации: данные гостя используются только для исполнения его заказа.\n\n"
            "Мы можем изменять эти условия. У каждой редакции есть номер версии, он указан вверху страницы; о "
            "новой версии зарегистрированные покупатели узнают по e-mail. Уже оформленные заказы исполняются на "
            "условиях, действовавших в момент их оформления.",
            "Бұл шарттар {shop} интернет-дүкеніндегі тауарларды сатуды реттейді. Тапсырыс беру арқылы сатып "
            "алушы өзінің 16 жасқа толғанын және осы шарттарды оқып, қабылдайтынын растайды.\n\n"
            "Бағалар теңгемен көрсетілген және ҚҚС-ты қамтиды. Баға, жеңілдік және жеткізу құны тапсырыс "
            "рәсімделген сәтте бекітіледі және кейін өзгермейді.\n\n"
            "Сатып алу-сату шарты дүкен тапсырысты растаған кезде жасалады. Дүкен тапсырысты растаудан бас "
            "тартуы мүмкін, мысалы, тауар қоймада болмаса; бұл жағдайда төленген сома толық қайтарылады.\n\n"
            "Рәсімделген тапсырысты өзгертуге болмайды, бірақ оны алғанға дейін кез келген уақытта одан бас "
            "тартуға болады: жеке кабинетте немесе өтініш нысаны арқылы тапсырыстың күшін жоюды сұраңыз. "
            "Тауарларды қайтару, кепілдік және бонустық бағдарлама жеке беттерде сипатталған.\n\n"
            "Тіркелмей-ақ сатып алуға болады: қонақтың деректері тек оның тапсырысын орындау үшін "
            "пайдаланылады.\n\n"
            "Біз осы шарттарды өзгерте аламыз. Әр редакцияның нұсқа нөмірі бар, ол беттің жоғарғы жағында "
            "көрсетілген; жаңа нұсқа туралы тіркелген сатып алушыларға e-mail арқылы хабарлаймыз. Рәсімделген "
            "тапсырыстар олар рәсімделген сәтте қолданыста болған шарттар бойынша орындалады.",
            "These terms govern the sale of goods in the {shop} online store. By placing an order the customer "
            "confirms that they are at least 16 years old and have read and accept these terms.\n\n"
            "Prices are in tenge and include VAT. The price, any discount and the delivery cost are fixed when "
            "the order is placed and do not change afterwards.\n\n"
            "The contract of sale is made when the shop confirms the order. The shop may decline to confirm "
            "it, for example when the goods are out of stock; anything already paid is then refunded in "
            "full.\n\n"
            "A placed order cannot be edited, but you may refuse it at any time before delivery: ask for "
            "cancellation in your account or through the contact form. Returns, warranty and the loyalty "
            "programme are described on their own pages.\n\n"
            "You can buy without an account: a guest's details are used only to fulfil that guest's order.\n\n"
            "We may change these terms. Each edition has a version number, shown at the top of the page; "
            "registered customers are told of a new version by e-mail. Orders already placed are fulfilled on "
            "the terms that applied when they were placed.",
        ),
    ),
    Page.Kind.PRIVACY: (
        ("Политика конфиденциальности", "Құпиялылық саясаты", "Privacy policy"),
        (
            "Мы обрабатываем персональные данные только для исполнения заказов, обслуживания личного кабинета "
            "и, с вашего согласия, для рассылок. Мы храним имя, e-mail, телефон, адрес доставки и историю "
            "заказов.\n\n"
            "Данные банковских карт не попадают на наши серверы: оплата проходит на защищённой странице банка "
            "или в виджете платёжного провайдера.\n\n"
            "Данные передаются только тем, кто участвует в исполнении заказа: службам доставки и платёжным "
            "провайдерам.\n\n"
            "В личном кабинете можно просмотреть и исправить свои данные, выгрузить их и запросить удаление "
            "учётной записи. Согласие на рассылки можно отозвать в любой момент.",
            "Біз дербес деректерді тек тапсырыстарды орындау, жеке кабинетке қызмет көрсету және сіздің "
            "келісіміңізбен ақпараттық хаттар жіберу үшін өңдейміз. Біз атыңызды, e-mail мекенжайыңызды, "
            "телефон нөміріңізді, жеткізу мекенжайын және тапсырыстар тарихын сақтаймыз.\n\n"
            "Банк картасының деректері біздің серверлерге түспейді: төлем банктің қорғалған бетінде немесе "
            "төлем провайдерінің виджетінде жүргізіледі.\n\n"
            "Деректер тек тапсырысты орындауға қатысатындарға — жеткізу қызметтері мен төлем провайдерлеріне "
            "беріледі.\n\n"
            "Жеке кабинетте деректеріңізді қарап, түзетуге, оларды жүктеп алуға және есептік жазбаны жоюды "
            "сұрауға болады. Ақпараттық хаттар алуға берген келісіміңізді кез келген уақытта қайтарып алуға "
            "болады.",
            "We process personal data only to fulfil orders, run your customer account and, with your consent, "
            "send newsletters. We keep your name, e-mail, phone number, delivery address and order history.\n\n"
            "Card details never reach our servers: payment is made on the bank's secure page or in the payment "
            "provider's widget.\n\n"
            "Data are shared only with those who take part in fulfilling the order: delivery services and "
            "payment providers.\n\n"
            "In your account you can view and correct your data, export them and ask for the account to be "
            "deleted. You can withdraw your consent to newsletters at any time.",
        ),
    ),
    Page.Kind.COOKIES: (
        ("Файлы cookie", "Cookie файлдары", "Cookies"),
        (
            "Сайт использует файлы cookie. Необходимые cookie обеспечивают работу корзины, вход в личный "
            "кабинет и защиту форм; без них магазин не работает, поэтому они включены всегда.\n\n"
            "Аналитические cookie помогают нам понять, какие страницы полезны покупателям. Они используются "
            "только с вашего согласия, которое можно дать или отозвать в разделе «Настройки cookie» внизу "
            "каждой страницы.\n\n"
            "Cookie можно удалить и в настройках браузера; при этом корзина гостя очищается.",
            "Сайт cookie файлдарын пайдаланады. Қажетті cookie файлдары себеттің жұмысын, жеке кабинетке "
            "кіруді және нысандардың қорғалуын қамтамасыз етеді; оларсыз дүкен жұмыс істемейді, сондықтан "
            "олар әрқашан қосулы.\n\n"
            "Аналитикалық cookie файлдары қай беттер сатып алушыларға пайдалы екенін түсінуге көмектеседі. "
            "Олар тек сіздің келісіміңізбен қолданылады; келісімді әр беттің төменгі жағындағы «Cookie "
            "баптаулары» бөлімінде беруге немесе қайтарып алуға болады.\n\n"
            "Cookie файлдарын браузер баптауларында да жоюға болады; бұл ретте қонақтың себеті тазаланады.",
            "This site uses cookies. Necessary cookies keep the cart, signing in to your account and form "
            "protection working; the shop cannot work without them, so they are always on.\n\n"
            "Analytics cookies help us understand which pages are useful to customers. They are used only with "
            "your consent, which you can give or withdraw under “Cookie settings” at the bottom of every "
            "page.\n\n"
            "You can also delete cookies in your browser settings; a guest's cart is then emptied.",
        ),
    ),
    Page.Kind.DELIVERY: (
        ("Доставка", "Жеткізу", "Delivery"),
        (
            "Мы доставляем заказы по всему Казахстану. Способы доставки: курьерская служба (ссылка для "
            "отслеживания появится в личном кабинете и в письме), транспортная компания (менеджер сообщит "
            "телефон для связи), пункт выдачи заказов и экспресс-доставка курьером в день заказа.\n\n"
            "Экспресс-доставка доступна в городах, где товар есть в нашем магазине, для заказов, оформленных "
            "с 10:00 до 22:00 по местному времени.\n\n"
            "Стоимость доставки рассчитывается автоматически, как только вы выберете город; за тяжёлые и "
            "крупногабаритные товары взимается доплата. Доставка в пункт выдачи бесплатна, если товаров в "
            "заказе на 20 000 тенге и больше.\n\n"
            "Обычно доставка занимает от 5 до 10 рабочих дней; ожидаемая дата показывается при оформлении и в "
            "заказе. Заказы, оформленные в выходные и праздничные дни, обрабатываются с ближайшего рабочего "
            "дня.",
            "Біз тапсырыстарды бүкіл Қазақстан бойынша жеткіземіз. Жеткізу тәсілдері: курьерлік қызмет "
            "(бақылау сілтемесі жеке кабинетте және хатта көрсетіледі), көлік компаниясы (менеджер байланыс "
            "телефонын хабарлайды), тапсырыс беру пункті және тапсырыс берілген күні курьермен жедел "
            "жеткізу.\n\n"
            "Жедел жеткізу тауар біздің дүкенде бар қалаларда, жергілікті уақыт бойынша 10:00-ден 22:00-ге "
            "дейін берілген тапсырыстар үшін қолжетімді.\n\n"
            "Жеткізу құны қаланы таңдаған бойда автоматты түрде есептеледі; ауыр және ірі габаритті тауарлар "
            "үшін қосымша ақы алынады. Тапсырыстағы тауарлардың сомасы 20 000 теңгеден кем болмаса, тапсырыс "
            "беру пунктіне жеткізу тегін.\n\n"
            "Жеткізу әдетте 5–10 жұмыс күніне созылады; күтілетін күн тапсырысты рәсімдеу кезінде және "
            "тапсырыста көрсетіледі. Демалыс және мереке күндері берілген тапсырыстар келесі жұмыс күнінен "
            "бастап өңделеді.",
            "We deliver across Kazakhstan. Delivery methods: courier service (a tracking link appears in your "
            "account and in the e-mail), logistics company (a manager gives you a contact phone number), "
            "pickup point, and same-day express courier.\n\n"
            "Express delivery is available in cities where one of our stores has the goods, for orders placed "
            "between 10:00 and 22:00 local time.\n\n"
            "The delivery cost is calculated automatically as soon as you choose your city; heavy and bulky "
            "goods carry a surcharge. Delivery to a pickup point is free when the goods in the order come to "
            "20,000 tenge or more.\n\n"
            "Delivery usually takes 5 to 10 working days; the estimated date is shown at checkout and on the "
            "order. Orders placed at weekends and on public holidays are processed from the next working day.",
        ),
    ),
    Page.Kind.PAYMENT: (
        ("Оплата", "Төлем", "Payment"),
        (
            "Оплатить заказ можно одним из способов.\n\n"
            "Банковской картой через Epay (Halyk Bank): Visa и Mastercard на защищённой странице банка, без "
            "комиссии.\n\n"
            "Через Kaspi Pay: укажите номер телефона, привязанный к Kaspi, и оплатите счёт в приложении "
            "Kaspi.kz.\n\n"
            "Банковской картой через CloudPayments: платёжный виджет с проверкой 3-D Secure.\n\n"
            "Наличными при получении: менеджер подтверждает заказ, а курьер принимает оплату.\n\n"
            "Данные карты вводятся только на странице банка или в виджете провайдера и к нам не попадают. "
            "Если платёж отклонён, мы объясним причину простыми словами — например, карта не подключена к "
            "оплате в интернете, недостаточно средств, неверно введены данные карты или истёк срок её "
            "действия — и предложим попробовать ещё раз.",
            "Тапсырысты келесі тәсілдердің бірімен төлеуге болады.\n\n"
            "Epay (Halyk Bank) арқылы банк картасымен: Visa және Mastercard, банктің қорғалған бетінде, "
            "комиссиясыз.\n\n"
            "Kaspi Pay арқылы: Kaspi-ге байланған телефон нөмірін көрсетіп, шотты Kaspi.kz қосымшасында "
            "төлеңіз.\n\n"
            "CloudPayments арқылы банк картасымен: 3-D Secure тексеруі бар төлем виджеті.\n\n"
            "Алған кезде қолма-қол ақшамен: менеджер тапсырысты растайды, ал курьер төлемді қабылдайды.\n\n"
            "Карта деректері тек банк бетінде немесе провайдер виджетінде енгізіледі және бізге түспейді. "
            "Төлем қабылданбаса, біз себебін қарапайым сөздермен түсіндіреміз — мысалы, карта интернетте "
            "төлеуге қосылмаған, қаражат жеткіліксіз, карта деректері қате енгізілген немесе картаның мерзімі "
            "өтіп кеткен — және қайта төлеп көруді ұсынамыз.",
            "You can pay for your order in one of these ways.\n\n"
            "By card through Epay (Halyk Bank): Visa and Mastercard on the bank's secure page, with no fee.\n\n"
            "With Kaspi Pay: enter the phone number linked to your Kaspi account and pay the invoice in the "
            "Kaspi.kz app.\n\n"
            "By card through CloudPayments: a payment widget with 3-D Secure verification.\n\n"
            "Cash on delivery: a manager confirms the order and the courier collects the payment.\n\n"
            "Card details are entered only on the bank's page or in the provider's widget and never reach us. "
            "If a payment is declined we explain why in plain words — for example, the card is not enabled "
            "for online payments, there are not enough funds, the card details were mistyped or the card has "
            "expired — and offer to try again.",
        ),
    ),
    Page.Kind.RETURNS: (
        ("Возврат товара", "Тауарды қайтару", "Returns"),
        (
            "До получения заказа от него можно отказаться в любой момент. После получения товар можно вернуть "
            "в течение 14 календарных дней со дня его передачи, не объясняя причин.\n\n"
            "Товар принимается, если он не был в употреблении, сохранены пломбы и фабричные ярлыки, "
            "оригинальная упаковка и полная комплектация. Можно вернуть часть заказа: любые товары в любом "
            "количестве.\n\n"
            "Заявку на возврат оформляют в личном кабинете, в истории заказов; гости — по номеру заказа и "
            "e-mail. Укажите причину и приложите фотографии. Отправьте товар в течение 14 дней после подачи "
            "заявки, иначе она утрачивает силу. Мы проверим товар и ответим в течение 5 рабочих дней после "
            "его получения. Вместо возврата денег товар можно обменять.\n\n"
            "Не подлежат возврату товары, отмеченные на странице товара как невозвратные: средства гигиены и "
            "косметика после вскрытия упаковки, товары, изготовленные или персонализированные по заказу, "
            "цифровой контент и программы после вскрытия или активации.\n\n"
            "Деньги возвращаются тем же способом, которым был оплачен заказ: на карту — не позднее 3 рабочих "
            "дней, при оплате наличными и через электронные платёжные системы, например Kaspi, — в течение "
            "10 календарных дней. Возвращается фактически уплаченная сумма; бонусы, потраченные на "
            "возвращённые товары, возвращаются на бонусный счёт. Стоимость доставки и обратной пересылки "
            "магазин возмещает, только если товар оказался с недостатком.",
            "Тапсырысты алғанға дейін одан кез келген уақытта бас тартуға болады. Алғаннан кейін тауарды "
            "берілген күнінен бастап 14 күнтізбелік күн ішінде себебін түсіндірмей қайтаруға болады.\n\n"
            "Тауар пайдаланылмаған, пломбалары мен зауыттық жапсырмалары, түпнұсқа қаптамасы және толық "
            "жиынтығы сақталған болса қабылданады. Тапсырыстың бір бөлігін — кез келген тауарларды кез келген "
            "санда қайтаруға болады.\n\n"
            "Қайтаруға өтінім жеке кабинеттегі тапсырыстар тарихында рәсімделеді; қонақтар оны тапсырыс нөмірі "
            "мен e-mail арқылы рәсімдейді. Себебін көрсетіп, фотосуреттерді тіркеңіз. Тауарды өтінім "
            "берілгеннен кейін 14 күн ішінде жіберіңіз, әйтпесе өтінім күшін жояды. Біз тауарды тексеріп, оны "
            "алғаннан кейін 5 жұмыс күні ішінде жауап береміз. Ақшаны қайтарудың орнына тауарды айырбастауға "
            "болады.\n\n"
            "Тауар бетінде қайтарылмайтын деп белгіленген тауарлар қайтарылмайды: қаптамасы ашылған гигиена "
            "құралдары мен косметика, тапсырыс бойынша жасалған немесе дараландырылған тауарлар, қаптамасы "
            "ашылған немесе белсендірілген цифрлық контент пен бағдарламалар.\n\n"
            "Ақша тапсырыс қалай төленсе, солай қайтарылады: картаға — 3 жұмыс күнінен кешіктірілмей, "
            "қолма-қол ақшамен және Kaspi сияқты электрондық төлем жүйелері арқылы төленгенде — 10 "
            "күнтізбелік күн ішінде. Іс жүзінде төленген сома қайтарылады; қайтарылған тауарларға жұмсалған "
            "бонустар бонустық шотқа қайтарылады. Жеткізу мен кері жөнелту құнын дүкен тек тауарда ақау болса "
            "өтейді.",
            "You may refuse an order at any time before it is delivered. After delivery you may return goods "
            "within 14 calendar days of the day they were handed over, without giving a reason.\n\n"
            "Goods are accepted if they have not been used and their seals, factory labels, original packaging "
            "and complete set are intact. You may return part of an order: any items in any quantity.\n\n"
            "Request a return in your account, under order history; guests use the order number and e-mail. "
            "Give a reason and attach photos. Send the goods within 14 days of the request, otherwise it "
            "lapses. We inspect the goods and reply within 5 working days of receiving them. Instead of a "
            "refund you may exchange the item.\n\n"
            "Goods marked as non-returnable on the product page cannot be returned: hygiene products and "
            "cosmetics once opened, goods made or personalised to order, and digital content or software once "
            "unsealed or activated.\n\n"
            "The money goes back the way the order was paid: to a card within 3 working days at the latest; "
            "for cash and e-payment systems such as Kaspi within 10 calendar days. We refund what was actually "
            "paid; bonuses spent on the returned items go back to your bonus account. The shop pays for "
            "delivery and for sending the goods back only when the item was defective.",
        ),
    ),
    Page.Kind.WARRANTY: (
        ("Гарантия", "Кепілдік", "Warranty"),
        (
            "Гарантийный срок указан на странице каждого товара. Для заказов в интернет-магазине он "
            "начинается со дня получения товара, для сезонных товаров — с начала сезона; если дату покупки "
            "установить нельзя — с даты изготовления.\n\n"
            "Претензию можно подать в течение гарантийного срока, но не позднее 2 месяцев с момента "
            "обнаружения недостатка. Опишите проблему, желаемое решение и сумму требования, приложите чек, "
            "фотографии и документы. Каждой претензии присваивается номер, который мы сообщим по e-mail.\n\n"
            "Вы можете выбрать ремонт в авторизованном сервисном центре, замену на такой же товар без "
            "доплаты, замену на аналогичный товар с доплатой, возврат денег или уменьшение цены. Недостаток, "
            "обнаруженный в течение 6 месяцев после получения, считается существовавшим на момент передачи "
            "товара.\n\n"
            "Мы решаем претензию в течение 1 месяца; если срок нарушен, вы вправе отказаться от покупки и "
            "получить деньги. Если товар уже трижды ремонтировали по гарантии, при новом недостатке вы вправе "
            "потребовать возврата денег. По итогам выдаётся акт об удовлетворении претензии.",
            "Кепілдік мерзімі әр тауардың бетінде көрсетілген. Интернет-дүкендегі тапсырыстар үшін ол тауар "
            "алынған күннен, маусымдық тауарлар үшін маусымның басынан басталады; сатып алу күнін анықтау "
            "мүмкін болмаса — тауар жасалған күннен.\n\n"
            "Шағымды кепілдік мерзімі ішінде, бірақ ақау анықталған сәттен бастап 2 айдан кешіктірмей беруге "
            "болады. Мәселені, қалаған шешімді және талап сомасын сипаттап, чекті, фотосуреттерді және "
            "құжаттарды тіркеңіз. Әр шағымға нөмір беріледі, біз оны e-mail арқылы хабарлаймыз.\n\n"
            "Сіз уәкілетті сервис орталығында жөндеуді, тауарды қосымша ақысыз дәл сондай тауарға "
            "ауыстыруды, қосымша ақы төлеп ұқсас тауарға ауыстыруды, ақшаны қайтаруды немесе бағаны "
            "төмендетуді таңдай аласыз. Тауар алынғаннан кейін 6 ай ішінде анықталған ақау тауар берілген "
            "кезде болған деп есептеледі.\n\n"
            "Біз шағымды 1 ай ішінде шешеміз; мерзім бұзылса, сіз сатып алудан бас тартып, ақшаңызды қайтарып "
            "алуға құқылысыз. Егер тауар кепілдік бойынша үш рет жөнделген болса, жаңа ақау пайда болғанда "
            "ақшаны қайтаруды талап етуге құқылысыз. Қорытындысында шағымды қанағаттандыру туралы акт "
            "беріледі.",
            "The warranty period is shown on each product page. For online orders it starts on the day the "
            "goods are delivered, for seasonal goods at the start of the season; if the purchase date cannot "
            "be established, at the date of manufacture.\n\n"
            "A claim may be made within the warranty period, but no later than 2 months after the defect was "
            "found. Describe the problem, the remedy you want and the amount claimed, and attach the receipt, "
            "photos and documents. Every claim gets a number, which we send you by e-mail.\n\n"
            "You may choose repair at an authorised service centre, exchange for the same item at no extra "
            "cost, exchange for a similar item with a surcharge, a refund or a price reduction. A defect found "
            "within 6 months of delivery is presumed to have existed when the goods were handed over.\n\n"
            "We resolve a claim within 1 month; if we miss that deadline you may cancel the purchase and get "
            "your money back. If the item has already been repaired three times under warranty, a new defect "
            "entitles you to a refund. At the end you receive an act confirming that the claim was settled.",
        ),
    ),
    Page.Kind.LOYALTY: (
        ("Бонусная программа", "Бонустық бағдарлама", "Loyalty programme"),
        (
            "Участие в бонусной программе бесплатное. Она доступна зарегистрированным покупателям после "
            "подтверждения номера мобильного телефона кодом из SMS. 1 бонус равен 1 тенге; бонусы не являются "
            "деньгами и не выплачиваются.\n\n"
            "Уровень зависит от покупок за последние 365 дней — учитываются и количество заказов, и их сумма. "
            "Базовый: начисление 3%, оплата бонусами до 3% суммы товаров. Постоянный (от 3 заказов и "
            "100 000 тенге): 5% и до 5%. Партнёр (от 10 заказов и 500 000 тенге): 7% и до 10%. VIP (от 15 "
            "заказов и 1 000 000 тенге): 10% и до 15%. Новый уровень действует со дня, следующего за "
            "начислением, которым он достигнут.\n\n"
            "Бонусы начисляются с суммы, фактически уплаченной за товары (без услуг, доставки и части, "
            "оплаченной скидкой), через 7 дней после оплаты, но не раньше получения товара. Бонусы за покупки "
            "сгорают через 90 дней после начисления; бонусы за полезные действия, например за подтверждение "
            "телефона или отзыв, не сгорают. Первыми списываются бонусы с ближайшим сроком сгорания.\n\n"
            "Бонусами можно оплатить только товары, для которых это разрешено, и не вместе с купоном: в "
            "заказе действует одна скидка. Если товар возвращён в течение 7 дней после покупки, бонусы, "
            "начисленные за него, отменяются, а потраченные на него возвращаются на счёт в течение 24 часов.",
            "Бонустық бағдарламаға қатысу тегін. Ол ұялы телефон нөмірін SMS кодымен растаған тіркелген "
            "сатып алушыларға қолжетімді. 1 бонус 1 теңгеге тең; бонустар ақша болып табылмайды және төлеп "
            "берілмейді.\n\n"
            "Деңгей соңғы 365 күндегі сатып алуларға байланысты — тапсырыстар саны да, сомасы да ескеріледі. "
            "Базалық: 3% есептеу, тауарлар сомасының 3%-ына дейін бонуспен төлеу. Тұрақты (3 тапсырыс пен "
            "100 000 теңгеден бастап): 5% және 5%-ға дейін. Серіктес (10 тапсырыс пен 500 000 теңгеден "
            "бастап): 7% және 10%-ға дейін. VIP (15 тапсырыс пен 1 000 000 теңгеден бастап): 10% және "
            "15%-ға дейін. Жаңа деңгей оған жеткізген есептеуден кейінгі күні күшіне енеді.\n\n"
            "Бонустар тауарлар үшін іс жүзінде төленген сомадан (қызметтер, жеткізу және жеңілдікпен төленген "
            "бөлік есепке алынбайды) төлемнен кейін 7 күн өткен соң, бірақ тауар алынғаннан ерте емес "
            "есептеледі. Сатып алу үшін берілген бонустар есептелгеннен кейін 90 күн өткен соң күйеді; "
            "пайдалы әрекеттер үшін, мысалы телефонды растағаны немесе пікір қалдырғаны үшін берілген "
            "бонустар күймейді. Алдымен мерзімі ең жақын бонустар жұмсалады.\n\n"
            "Бонуспен тек бұған рұқсат етілген тауарларды және купонсыз төлеуге болады: тапсырыста бір ғана "
            "жеңілдік қолданылады. Тауар сатып алынғаннан кейін 7 күн ішінде қайтарылса, ол үшін есептелген "
            "бонустар жойылады, ал оған жұмсалған бонустар 24 сағат ішінде шотқа қайтарылады.",
            "Joining the loyalty programme is free. It is open to registered customers who confirm their mobile "
            "phone number with an SMS code. 1 bonus equals 1 tenge; bonuses are not money and are never paid "
            "out.\n\n"
            "Your tier depends on your purchases in the last 365 days — both the number of orders and their "
            "total value. Basic: earn 3%, pay with bonuses for up to 3% of the goods total. Regular (from 3 "
            "orders and 100,000 tenge): 5% and up to 5%. Partner (from 10 orders and 500,000 tenge): 7% and up "
            "to 10%. VIP (from 15 orders and 1,000,000 tenge): 10% and up to 15%. A new tier takes effect on "
            "the day after the accrual that reached it.\n\n"
            "Bonuses are earned on the money actually paid for goods (not services, delivery or the part "
            "covered by a discount) and credited 7 days after payment, but never before the goods are "
            "delivered. Purchase bonuses expire 90 days after they are credited; bonuses for useful actions, "
            "such as confirming your phone or writing a review, never expire. The bonuses that expire soonest "
            "are spent first.\n\n"
            "Bonuses can pay only for goods that allow it, and not together with a coupon: one discount per "
            "order. If an item is returned within 7 days of purchase, the bonuses earned on it are cancelled "
            "and the bonuses spent on it are restored to your account within 24 hours.",
        ),
    ),
}

# --------------------------------------------------------------------------------------------------------------
# Delivery and coupons (DLV-1..3, CPN-1): enough reference data for a new visitor to buy end to end
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TariffSeed:
    """One row of the tariff table; `city` is the city's Russian name, None for the all-cities row."""

    method: str
    city: str | None
    base_cost: str
    per_kg: str = "0"
    bulky_surcharge: str = "0"
    free_from: str | None = None


TARIFFS: tuple[TariffSeed, ...] = (
    # every city: each method has its default row (DLV-2), courier free from 50 000 ₸ (DLV-3)
    TariffSeed("courier", None, "1990", per_kg="150", bulky_surcharge="3000", free_from="50000"),
    TariffSeed("logistics", None, "3490", per_kg="200", bulky_surcharge="5000"),
    TariffSeed("pickup", None, "990", per_kg="50", bulky_surcharge="2500"),  # free from SHOP_PICKUP_FREE_FROM
    TariffSeed("express", None, "2990", bulky_surcharge="4000"),  # only where a store holds the goods
    # the two cities with the shop's own stores: a cheaper courier and express
    TariffSeed("courier", "Алматы", "990", per_kg="100", bulky_surcharge="2500", free_from="50000"),
    TariffSeed("courier", "Астана", "1290", per_kg="100", bulky_surcharge="2500", free_from="50000"),
    TariffSeed("express", "Алматы", "1990", bulky_surcharge="3500"),
    TariffSeed("express", "Астана", "2490", bulky_surcharge="3500"),
    # far from the warehouse: the logistics company costs more
    TariffSeed("logistics", "Актау", "4990", per_kg="250", bulky_surcharge="6000"),
)

HOURS_DAILY: T = ("ежедневно 10:00–21:00", "күн сайын 10:00–21:00", "daily 10:00–21:00")
HOURS_WEEKDAYS: T = ("пн–сб 09:00–20:00", "дс–сб 09:00–20:00", "Mon–Sat 09:00–20:00")

# (city, name, address, hours)
PICKUP_POINTS: tuple[tuple[str, T, T, T], ...] = (
    (
        "Алматы",
        ("Пункт выдачи «Абай»", "«Абай» беру пункті", "Abai pickup point"),
        ("пр. Абая, 52, 1 этаж", "Абай даңғылы, 52, 1-қабат", "52 Abai Ave, ground floor"),
        HOURS_DAILY,
    ),
    (
        "Алматы",
        ("Пункт выдачи «Самал»", "«Самал» беру пункті", "Samal pickup point"),
        ("мкр. Самал-2, 58", "Самал-2 ықшамауданы, 58", "58 Samal-2 microdistrict"),
        HOURS_WEEKDAYS,
    ),
    (
        "Астана",
        ("Пункт выдачи «Есиль»", "«Есіл» беру пункті", "Yesil pickup point"),
        ("ул. Сыганак, 29", "Сығанақ көшесі, 29", "29 Syganak St"),
        HOURS_DAILY,
    ),
    (
        "Астана",
        ("Пункт выдачи «Сарыарка»", "«Сарыарқа» беру пункті", "Saryarka pickup point"),
        ("пр. Сарыарка, 6", "Сарыарқа даңғылы, 6", "6 Saryarka Ave"),
        HOURS_WEEKDAYS,
    ),
    (
        "Шымкент",
        ("Пункт выдачи «Тауке хан»", "«Тәуке хан» беру пункті", "Tauke Khan pickup point"),
        ("пр. Тауке хана, 35", "Тәуке хан даңғылы, 35", "35 Tauke Khan Ave"),
        HOURS_WEEKDAYS,
    ),
    (
        "Караганда",
        ("Пункт выдачи «Бухар-Жырау»", "«Бұқар жырау» беру пункті", "Bukhar-Zhyrau pickup point"),
        ("пр. Бухар-Жырау, 47", "Бұқар жырау даңғылы, 47", "47 Bukhar-Zhyrau Ave"),
        HOURS_WEEKDAYS,
    ),
    (
        "Актобе",
        ("Пункт выдачи «Абулхаир хан»", "«Әбілқайыр хан» беру пункті", "Abulkhair Khan pickup point"),
        ("пр. Абулхаир хана, 44", "Әбілқайыр хан даңғылы, 44", "44 Abulkhair Khan Ave"),
        HOURS_WEEKDAYS,
    ),
)

# (city, name, address, share of the in-stock goods the store holds): express same-day works there (DLV-1)
STORES: tuple[tuple[str, T, T, float], ...] = (
    (
        "Алматы",
        ("Магазин на Достыке", "Достық даңғылындағы дүкен", "Dostyk store"),
        ("пр. Достык, 97", "Достық даңғылы, 97", "97 Dostyk Ave"),
        0.75,
    ),
    (
        "Астана",
        ("Магазин на Кабанбай батыра", "Қабанбай батыр даңғылындағы дүкен", "Kabanbay Batyr store"),
        ("пр. Кабанбай батыра, 21", "Қабанбай батыр даңғылы, 21", "21 Kabanbay Batyr Ave"),
        0.55,
    ),
)


@dataclass(frozen=True)
class CouponSeed:
    code: str
    kind: str  # "percent" or "fixed"
    value: str
    min_goods_total: str
    about: str  # for the seed summary
    categories: tuple[str, ...] = ()  # category slugs; empty: every category
    max_uses: int | None = None
    expired: bool = False  # shows the "expired" message at checkout


COUPONS: tuple[CouponSeed, ...] = (
    CouponSeed("WELCOME10", "percent", "10", "5000", "10% off, goods from 5 000 ₸"),
    CouponSeed("HOME2000", "fixed", "2000", "8000", "2 000 ₸ off home goods, from 8 000 ₸", categories=("home-goods",)),
    CouponSeed("SUMMER15", "percent", "15", "0", "expired", expired=True),
)


def store_stock_plan(products: list[ProductSeed]) -> dict[str, dict[str, int]]:
    """{store's Russian name: {SKU: quantity}}: each store holds a fixed share of the goods in stock (no
    services), a few pieces each — the same every run, decided by the SKU alone."""
    plan: dict[str, dict[str, int]] = {}
    for city, name, _address, share in STORES:
        held = plan.setdefault(name[0], {})
        for product in products:
            if product.values.get("is_service"):
                continue
            for variant in product.variants:
                stock = variant.values["stock"]
                roll = zlib.crc32(f"{city}:{variant.sku}".encode())
                if stock > 0 and (roll % 1000) / 1000 < share:
                    held[variant.sku] = min(stock, 2 + roll % 9)
    return plan


# --------------------------------------------------------------------------------------------------------------
# Building the seed (pure, deterministic) and writing it (idempotent)
# --------------------------------------------------------------------------------------------------------------


def kzt(value: float) -> Decimal:
    """A shop-like KZT price: ...90 below 10 000, ...990 above, within the demo range."""
    step = 100 if value < 10_000 else 1_000
    amount = max(1, round(value / step)) * step - 10
    return Decimal(min(max(amount, MIN_PRICE), MAX_PRICE)).quantize(Decimal("0.01"))


def sale_price_for(price: Decimal, discount: float) -> Decimal:
    """A sale price roughly `discount` below `price`, on the same kind of ending, always strictly lower."""
    value = float(price) * (1 - discount)
    sale = Decimal(max(1, round(value / 100)) * 100 - 10) if value < 10_000 else kzt(value)
    step = Decimal(100) if price < 10_000 else Decimal(1_000)
    if sale >= price:
        sale = price - step
    return sale.quantize(Decimal("0.01"))


@dataclass
class VariantSeed:
    sku: str
    values: dict


@dataclass
class ProductSeed:
    slug: str
    category_slug: str
    values: dict
    variants: list[VariantSeed]
    colour: tuple[int, int, int]
    title: str
    subtitle: str
    number: int
    alt: T


def _season_sentence(month: int, day: int) -> T:
    return (
        f"Сезонный товар: сезон начинается {day} {MONTHS_RU[month - 1]}.",
        f"Маусымдық тауар: маусым {day} {MONTHS_KK_FROM[month - 1]} басталады.",
        f"Seasonal item: the season starts on {day} {MONTHS_EN[month - 1]}.",
    )


def build_catalogue(seed: int = SEED) -> list[ProductSeed]:
    """The demo products, the same on every run (only random.Random(seed) decides)."""
    rng = random.Random(seed)  # noqa: S311  (demo data, not security)
    products: list[ProductSeed] = []
    slugs: set[str] = set()
    number = 0
    for root in CATALOGUE:
        for sub in root.subs:
            if sub.count:
                plan = []
                names_seen: set[tuple[str, str, str]] = set()
                for i in range(sub.count):
                    kind = sub.kinds[i % len(sub.kinds)]
                    while True:
                        brand = rng.choice(sub.brands)
                        model = f"{rng.choice(sub.series)} {rng.choice(sub.numbers)}".strip()
                        if (kind.name[0], brand, model) not in names_seen:
                            names_seen.add((kind.name[0], brand, model))
                            break
                    names = (
                        f"{kind.name[0]} {brand} {model}",
                        f"{kind.name[1]} {brand} {model}",
                        f"{brand} {model} {kind.name[2]}",
                    )
                    plan.append((kind, names, brand, brand, model))
            else:
                plan = []
                for kind in sub.kinds:
                    author, dot, work = kind.name[0].partition(". ")
                    # a book shows its title large and the author below; other items their name and brand
                    title, subtitle = (work, author) if dot else (kind.name[0], kind.brand)
                    plan.append((kind, kind.name, kind.brand, title, subtitle))

            for index, (kind, names, brand, title, subtitle) in enumerate(plan, start=1):
                number += 1
                slug = base = slugify(names[2])[:200]
                n = 2
                while slug in slugs:
                    slug, n = f"{base}-{n}", n + 1
                slugs.add(slug)

                stock_roll, sale_roll, bonus_roll = rng.random(), rng.random(), rng.random()
                discount = rng.choice((0.1, 0.15, 0.2, 0.25, 0.3))
                generic = rng.choice(GENERIC[sub.pool])
                out_of_stock = stock_roll < 0.10 and not sub.unlimited
                low_stock = 0.10 <= stock_roll < 0.25 and not sub.unlimited
                on_sale = sale_roll < 0.25 and kind.axis not in FIXED_PRICE_AXES

                options = AXES[kind.axis]
                if kind.axis in FIXED_PRICE_AXES:
                    chosen = list(range(len(options)))
                else:
                    k = rng.randint(1, min(3, len(options)))
                    chosen = sorted(rng.sample(range(len(options)), k))
                base_price = rng.uniform(*kind.price) if kind.price[1] else 0.0

                variants = []
                for position, option_index in enumerate(chosen):
                    label, mult = options[option_index]
                    if kind.axis in FIXED_PRICE_AXES:
                        price = Decimal(mult).quantize(Decimal("0.01"))
                    else:
                        price = kzt(base_price * mult)
                    if out_of_stock:
                        stock = 0
                    elif low_stock:
                        stock = rng.randint(1, 5)
                    elif sub.unlimited:
                        stock = 999
                    else:
                        stock = rng.randint(6, 120)
                    variants.append(
                        VariantSeed(
                            sku=f"{sub.prefix}-{index:03d}-{position + 1}",
                            values={
                                **{f"name_{lang}": label[i] for i, lang in enumerate(LANGS)},
                                "price": price,
                                "sale_price": sale_price_for(price, discount) if on_sale else None,
                                "stock": stock,
                                "weight_kg": Decimal(kind.weight or sub.weight).quantize(Decimal("0.001")),
                                "is_bulky": kind.bulky,
                                "position": position,
                            },
                        )
                    )

                sentences = [
                    (
                        f"{names[0]}: {kind.feature[0]}.",
                        f"{names[1]}: {kind.feature[1]}.",
                        f"{names[2][0].upper()}{names[2][1:]}: {kind.feature[2]}.",
                    ),
                    generic,
                ]
                if kind.season:
                    sentences.append(_season_sentence(*kind.season))
                if brand and sub.pool == "goods":
                    sentences.append((f"Производитель — {brand}.", f"Өндіруші — {brand}.", f"Made by {brand}."))
                elif brand and sub.pool == "book":
                    sentences.append((f"Издательство «{brand}».", f"«{brand}» баспасы.", f"Published by {brand}."))

                reason, note = kind.non_returnable or ("", NO_NOTE)
                values = {
                    **{f"name_{lang}": names[i] for i, lang in enumerate(LANGS)},
                    **{f"description_{lang}": " ".join(s[i] for s in sentences) for i, lang in enumerate(LANGS)},
                    "brand": brand,
                    "is_active": True,
                    "is_service": sub.service,
                    "returnable": False if reason else None,
                    "non_returnable_reason": reason,
                    **{f"non_returnable_note_{lang}": note[i] for i, lang in enumerate(LANGS)},
                    "bonus_payable": False if bonus_roll < 0.10 else None,
                    "bonus_earning": False if sub.service else None,
                    "seasonal": kind.season is not None,
                    "season_start_month": kind.season[0] if kind.season else None,
                    "season_start_day": kind.season[1] if kind.season else None,
                }
                products.append(
                    ProductSeed(
                        slug=slug,
                        category_slug=sub.slug,
                        values=values,
                        variants=variants,
                        colour=root.colour,
                        title=title,
                        subtitle=subtitle,
                        number=number,
                        alt=(names[0], names[1], f"{names[2][0].upper()}{names[2][1:]}"),
                    )
                )
    return products


def differs(current, wanted) -> bool:
    if isinstance(wanted, str):
        return (current or "") != wanted  # translated text columns are nullable: NULL and "" are the same
    if isinstance(wanted, Decimal) and current is not None:
        return Decimal(current) != wanted
    return current != wanted


@cache
def _font(size: int, bold: bool = False):
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.is_file():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, max_lines: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
        while draw.textlength(lines[-1] + "…", font=font) > width and " " in lines[-1]:
            lines[-1] = lines[-1].rsplit(" ", 1)[0]
        lines[-1] += "…"
    return lines


def render_product_image(seed: ProductSeed) -> bytes:
    """An 800×800 JPEG: a light tint of the category colour, a shape, the brand/short name and the model."""
    r, g, b = seed.colour
    background = tuple(int(c + (255 - c) * 0.82) for c in (r, g, b))
    dark = tuple(int(c * 0.45) for c in (r, g, b))
    img = Image.new("RGB", (IMAGE_SIZE, IMAGE_SIZE), background)
    draw = ImageDraw.Draw(img)
    box = (200, 90, 600, 490)
    shape = seed.number % 4
    if shape == 0:
        draw.ellipse(box, fill=seed.colour)
    elif shape == 1:
        draw.rounded_rectangle(box, radius=70, fill=seed.colour)
    elif shape == 2:
        draw.polygon([(400, 80), (620, 490), (180, 490)], fill=seed.colour)
    else:
        draw.regular_polygon((400, 290, 210), n_sides=6, fill=seed.colour)
    draw.ellipse((330, 220, 470, 360), fill=background)

    title_font = _font(58, bold=True)
    y = 540
    for line in _wrap(draw, seed.title, title_font, 700, 2 if seed.subtitle else 3):
        draw.text((400, y), line, font=title_font, fill=dark, anchor="ma")
        y += 68
    if seed.subtitle and seed.subtitle != seed.title:
        sub_font = _font(40)
        for line in _wrap(draw, seed.subtitle, sub_font, 700, 1):
            draw.text((400, y + 6), line, font=sub_font, fill=dark, anchor="ma")
    draw.text((24, 20), settings.SHOP_NAME, font=_font(24), fill=dark)

    out = BytesIO()
    img.save(out, format="JPEG", quality=85)
    return out.getvalue()
