"""As-you-type suggestions (issue 15, CAT-5): JSON shape, at most 8 items, categories and products, cached per
prefix, bad input answered 400 and never 500."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def kettles():
    category = f.category(slug="kettles", name_ru="Чайники", name_en="Kettles")
    for n in range(12):
        f.product(category_=category, name_ru=f"Чайник модель {n}", name_en=f"Kettle model {n}", slug=f"kettle-{n}")
    f.product(name_ru="Утюг")
    return category


def test_suggestions_are_json_with_categories_first_and_at_most_eight(client, kettles):
    response = client.get("/search/suggest/", {"q": "чайн"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["q"] == "чайн"
    items = data["items"]
    assert len(items) == 8
    assert items[0] == {"kind": "category", "label": "Чайники", "url": "/catalog/kettles/"}
    assert all(i["kind"] == "product" and i["label"].startswith("Чайник") for i in items[1:])
    assert all(i["url"].startswith("/product/kettle-") for i in items[1:])


def test_suggestions_follow_the_language(client, kettles):
    items = client.get("/en/search/suggest/", {"q": "kett"}).json()["items"]
    assert items[0]["label"] == "Kettles" and items[0]["url"] == "/en/catalog/kettles/"
    assert items[1]["label"].startswith("Kettle model")


def test_suggestions_are_cached_per_prefix(client, kettles):
    client.get("/search/suggest/", {"q": "чайн"})
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/search/suggest/", {"q": "  ЧАЙН "})  # the same prefix, normalised
    assert len(queries) == 0
    assert len(again.json()["items"]) == 8


@pytest.mark.parametrize("q", ["", "ч", "!!!"])
def test_a_too_short_prefix_suggests_nothing(client, kettles, q):
    response = client.get("/search/suggest/", {"q": q})
    assert response.status_code == 200 and response.json()["items"] == []


@pytest.mark.parametrize("q", ["x" * 101, "чайник\x00", "\x00"])
def test_bad_input_is_a_400_with_a_message(client, kettles, q):
    response = client.get("/search/suggest/", {"q": q})
    assert response.status_code == 400
    assert response.json()["error"]


def test_a_typo_still_suggests(client, kettles):
    if connection.vendor != "postgresql":
        pytest.skip("typo tolerance needs PostgreSQL")
    labels = [i["label"] for i in client.get("/search/suggest/", {"q": "чайнк"}).json()["items"]]
    assert any(label.startswith("Чайник") for label in labels)
