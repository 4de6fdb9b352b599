"""Which store keeps this server's live classes: the Redis that RNNVIZ_REDIS_URL names (every
replica and machine then serves the same classes), else this process's memory. It only
chooses; the rules are rnnviz.classroom's, the Redis side is rnnviz.classroom_redis."""

from __future__ import annotations

import functools
import os

from .classroom import ClassStore, MemoryClassStore


@functools.cache
def shared_store() -> ClassStore:
    """The store of this server process, shared by every page and route: in the Redis that
    RNNVIZ_REDIS_URL names when it is set (every replica and machine then serves the same
    classes), else in this process."""
    return make_store(os.environ.get("RNNVIZ_REDIS_URL", ""))


def make_store(redis_url: str = "") -> ClassStore:
    """A RedisClassStore on `redis_url` (redis://host:port/db), or a MemoryClassStore if empty."""
    if redis_url.strip():
        from rnnviz.classroom_redis import RedisClassStore  # imports redis only when used

        return RedisClassStore(redis_url.strip())
    return MemoryClassStore()
