"""Django's Redis cache with one client per connection pool instead of a new client object on every call.

Django's RedisCacheClient builds a redis.Redis instance for each operation (~0.1 ms, mostly copying response
callbacks); a cached page costs one cache read, so that construction was a third of its time. redis.Redis is
thread-safe and holds no connection of its own, so keeping one per pool is safe."""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _PooledClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(index))
        return client


class PooledRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _PooledClient
