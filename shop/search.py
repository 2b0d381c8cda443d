"""Product search (CAT-3, CAT-5): the stored search document, the typo lexicon and the search query.

On PostgreSQL each product carries a `search_document` (a tsvector, GIN-indexed) built in SQL from its names,
brand and SKUs (weight A) and its descriptions (weight C): Russian and English stemming on the columns in those
languages, the `simple` configuration (no stemming: PostgreSQL has no Kazakh stemmer) on Kazakh text, brands and
SKUs. A query word matches by prefix in any of the three configurations, in its own script and transliterated;
a word that no product name or brand starts with is also tried as the nearest words of the lexicon
(`SearchWord`, pg_trgm similarity), so "чайнк" finds kettles and "samsnug" Samsung. An exact SKU or brand
comes first, then goods in stock, then the full-text rank (name hits above description hits).

The document is written by `refresh_search_documents()`: the save path calls it through shop/receivers.py, bulk
writers (the catalogue importer, the bench generator) call it once for every product they touched.

SQLite (development without services) keeps a plain substring search."""

import threading
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When

from . import policy
from .models import Product, Variant

# The same text in SQL for one product `p`; the weights are what ranks a name hit above a description hit.
UPDATE_SQL = """
    UPDATE shop_product p SET search_document =
    setweight(to_tsvector('russian', coalesce(p.name_ru, '')), 'A')
    || setweight(to_tsvector('english', coalesce(p.name_en, '')), 'A')
    || setweight(to_tsvector('simple', regexp_replace(concat_ws(' ', p.name_kk, p.name_ru, p.name_en, p.brand,
         (SELECT string_agg(v.sku || ' ' || replace(v.sku, '-', ''), ' ') FROM shop_variant v
          WHERE v.product_id = p.id)), '[^[:alnum:]]+', ' ', 'g')), 'A')
    || setweight(to_tsvector('russian', coalesce(p.description_ru, '')), 'C')
    || setweight(to_tsvector('english', coalesce(p.description_en, '')), 'C')
    || setweight(to_tsvector('simple', coalesce(p.description_kk, '')), 'C')
    WHERE p.id = ANY(%s)
"""

# Words of names and brands, split on anything but letters and digits, as the query side splits them.
LEXICON_SQL = """
    INSERT INTO shop_searchword (word)
    SELECT DISTINCT w FROM shop_product p,
        regexp_split_to_table(lower(concat_ws(' ', p.name_ru, p.name_kk, p.name_en, p.brand)), '[^[:alnum:]]+') w
    WHERE p.id = ANY(%s) AND length(w) BETWEEN 3 AND 100
    ON CONFLICT (word) DO NOTHING
"""

# For one query word no lexicon word starts with: the nearest lexicon words (pg_trgm's `%`: similarity above
# pg_trgm.similarity_threshold, 0.3 by default; nearest first by trigram distance `<->`; GiST-indexed). One
# branch per word, each with its own constants, so both the trigram index and the prefix index serve it; the
# branches are joined with UNION ALL into one statement.
CORRECTION_SQL = """
    (SELECT %s::text, ''::text, s.word::text FROM shop_searchword s
     WHERE s.word %% %s AND NOT EXISTS (SELECT 1 FROM shop_searchword k WHERE k.word LIKE %s)
     ORDER BY s.word::text <-> %s, s.word LIMIT %s)
"""
CORRECTIONS_PER_WORD = 3
CORRECTED_MIN_LENGTH = 3  # shorter words have too few trigrams to correct sensibly


_batch = threading.local()


@contextmanager
def batched_refresh():
    """Within this block the save path only notes which products changed; their documents are rebuilt together
    at the end (the catalogue importer: two statements for a whole file instead of two per saved row)."""
    if getattr(_batch, "ids", None) is not None:  # nested: the outer block refreshes
        yield
        return
    _batch.ids = set()
    try:
        yield
    finally:
        ids, _batch.ids = _batch.ids, None
        if not connection.needs_rollback:  # after a failed transaction the caller's error is what matters
            refresh_search_documents(ids)


def refresh_search_documents(product_ids: Iterable[int]) -> None:
    """Rebuild the search document of these products and add their words to the lexicon: two statements
    however many products (bulk writers pass every id they touched)."""
    ids = sorted({int(i) for i in product_ids if i is not None})
    if not ids or connection.vendor != "postgresql":
        return
    pending = getattr(_batch, "ids", None)
    if pending is not None:
        pending.update(ids)
        return
    with connection.cursor() as cursor:
        cursor.execute(UPDATE_SQL, [ids])
        cursor.execute(LEXICON_SQL, [ids])


def refresh_all_search_documents(batch: int = 2000) -> int:
    """Every product's document, in batches (after a migration or a bulk load that bypassed the save path)."""
    count, last = 0, 0
    while True:
        ids = list(Product.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return count
        refresh_search_documents(ids)
        count, last = count + len(ids), ids[-1]


# Each form of each query word through each configuration: the lexemes the stored document holds for it.
LEXEMES_SQL = """
    SELECT f.form, c.config::text, x
    FROM unnest(%s::text[]) AS f(form),
         unnest(ARRAY['russian', 'english', 'simple']::regconfig[]) AS c(config),
         unnest(tsvector_to_array(to_tsvector(c.config, f.form))) AS x
"""
CONFIGS = ("russian", "english", "simple")


@dataclass
class QueryTerms:
    """What the database makes of a query's words: each form's lexemes per configuration, and the lexicon's
    nearest words for the forms no name or brand word starts with."""

    lexemes: dict[str, dict[str, set[str]]]  # form -> configuration -> lexemes
    fixes: dict[str, list[str]]  # form -> corrections


def query_terms(forms: list[str]) -> QueryTerms:
    """One statement for every form: the lexemes and, for the forms no lexicon word starts with, corrections."""
    forms = sorted(set(forms))
    candidates = [w for w in forms if len(w) >= CORRECTED_MIN_LENGTH]
    # Only constant SQL text is joined here; every value is a parameter.
    sql = "SELECT 'lexeme', * FROM (" + LEXEMES_SQL + ") AS l"  # noqa: S608
    params: list = [forms]
    for w in candidates:
        sql += " UNION ALL SELECT 'fix', * FROM " + CORRECTION_SQL + f" AS c{len(params)}"  # noqa: S608
        params += [w, w, f"{w}%", w, CORRECTIONS_PER_WORD]  # words are letters and digits: no LIKE wildcard
    terms = QueryTerms(lexemes={}, fixes={})
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, form, config, word in cursor.fetchall():
            if kind == "lexeme":
                terms.lexemes.setdefault(form, {}).setdefault(config, set()).add(word)
            else:
                terms.fixes.setdefault(form, []).append(word)
    return terms


def _tsquery(words: list[str], forms: dict[str, list[str]], terms: QueryTerms) -> str | None:
    """A raw tsquery of plain lexemes (the stored document's): every word as any of its lexemes or corrections,
    by prefix. A stop word (one the Russian or English configuration drops) is left out unless all are."""
    parts, stop_parts = [], []
    for word in words:
        alternatives: set[str] = set()
        for form in forms[word]:
            for lexemes in terms.lexemes.get(form, {}).values():
                alternatives |= lexemes
            alternatives.update(terms.fixes.get(form, []))
        alternatives = {a for a in alternatives if policy.SEARCH_WORD.fullmatch(a)}  # nothing tsquery could parse
        if not alternatives:
            continue
        part = "(" + " | ".join(f"{a}:*" for a in sorted(alternatives)) + ")"
        own = terms.lexemes.get(word, {})
        is_stop_word = not own.get("russian") or not own.get("english")
        (stop_parts if is_stop_word and word.isalpha() else parts).append(part)
    chosen = parts or stop_parts
    return " & ".join(chosen) if chosen else None


def _exact_match(query: str) -> Q:
    """An exact SKU or brand (case-insensitive) puts the product first."""
    text = query.strip()
    # As typed or upper-case (how SKUs are written): the unique index answers, no scan of every SKU.
    sku = Exists(Variant.objects.filter(product=OuterRef("pk"), sku__in={text, text.upper()}))
    return Q(sku) | Q(brand__iexact=text)


def search_products(query: str) -> QuerySet:
    """Active products of active categories matching `query`, annotated with `search_exact` and `search_rank`
    for the "Best match" sort (shop.selectors.SORTS)."""
    words = policy.search_words(query)
    base = Product.objects.filter(is_active=True, category__is_active=True)
    if not words:  # punctuation only: nothing found, still sortable
        return base.annotate(search_exact=Value(0), search_rank=Value(0)).none()
    forms = {w: [w, *filter(None, [policy.transliterate(w)])] for w in words}
    if connection.vendor != "postgresql":
        return _substring_search(base, forms, query)
    terms = query_terms([form for all_forms in forms.values() for form in all_forms])
    raw = _tsquery(words, forms, terms)
    if raw is None:
        return base.annotate(search_exact=Value(0), search_rank=Value(0)).none()
    tsquery = SearchQuery(raw, search_type="raw", config="simple")  # lexemes already: no second stemming
    exact = _exact_match(query)
    return (
        base.filter(search_document=tsquery)
        .annotate(
            search_rank=SearchRank(F("search_document"), tsquery, weights=[0.1, 0.2, 0.4, 1.0]),
            search_exact=exact_flag(exact),
        )
    )


def exact_flag(condition: Q):
    """1 where `condition` holds, else 0 (sortable on both databases)."""
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _substring_search(base: QuerySet, forms: dict[str, list[str]], query: str) -> QuerySet:
    """SQLite fallback: every word (or its transliteration) as a substring of a name, brand, SKU or the Russian
    description. SQLite folds case for ASCII only, so Cyrillic words are tried as typed and capitalised."""
    condition = Q()
    for all_forms in forms.values():
        either = Q()
        for form in all_forms:
            for variant in {form, form.capitalize(), form.upper()}:
                for field in ("name_ru", "name_kk", "name_en", "brand", "description_ru", "variants__sku"):
                    either |= Q(**{f"{field}__contains": variant})
        condition &= either
    ids = base.filter(condition).values("pk")
    return Product.objects.filter(pk__in=ids).annotate(
        search_exact=exact_flag(_exact_match(query)), search_rank=Value(1)
    )
