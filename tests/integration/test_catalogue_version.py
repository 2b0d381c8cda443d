"""Exact cache invalidation across processes: the catalogue version followed in memory through Redis pub/sub."""

import time

import pytest
from django.core.cache import cache, caches

from shop import catalogue_version as cv
from tests.waiting import wait_for

pytestmark = pytest.mark.redis


@pytest.fixture
def follower():
    cv.catalogue_version()  # starts this process's follower
    assert cv.follower.subscribed.wait(5), "the follower did not subscribe"
    return cv.follower


def _raw():
    return caches["default"]._cache.get_client(write=True)




def test_a_bump_in_this_process_is_seen_at_once(follower):
    before = cv.catalogue_version()
    after = cv.bump_catalogue_version()
    assert after > before
    assert cv.catalogue_version() == after


def test_a_bump_in_another_process_arrives_by_pub_sub(follower):
    """Another process's bump is an INCR plus a PUBLISH; this process follows it without reading Redis."""
    key = cache.make_key(cv.VERSION_KEY)
    current = cv.catalogue_version()
    other = _raw().incr(key)  # written by "another process" but not yet announced
    assert other > current
    assert cv.catalogue_version() == current  # proof that reads come from memory, not Redis
    _raw().publish(cv._channel(), other)
    assert wait_for(lambda: cv.catalogue_version() == other)


def test_a_late_older_message_never_moves_the_version_back(follower):
    newest = cv.bump_catalogue_version()
    _raw().publish(cv._channel(), newest - 5)
    time.sleep(0.2)
    assert cv.catalogue_version() == newest


def test_while_not_subscribed_every_read_goes_to_redis(follower):
    key = cache.make_key(cv.VERSION_KEY)
    follower.subscribed.clear()
    try:
        other = _raw().incr(key)
        assert cv.catalogue_version() == other
    finally:
        follower.subscribed.set()
        follower.observe(cv.read_shared())
