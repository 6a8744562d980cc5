"""A bounded LRU cache of finished query answers (the store is read-only, so an answer never goes stale).

Keyed by everything that decides the response body: the query text, the result format, the
protocol dataset, the base IRI and the row cap. Only answers a worker produced are kept (results,
422 over the row cap, 400 syntax errors); timeouts, overload and lost workers are never cached, so a
query that was stopped is evaluated (and stopped) again. Bodies over ``max_entry`` bytes are not kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from kg.serve.workers import JobResult


class ResultCache:
    def __init__(self, max_bytes: int, max_entry: int | None = None) -> None:
        self.max_bytes = max_bytes
        self.max_entry = max_entry if max_entry is not None else max(max_bytes // 16, 0)
        self._entries: OrderedDict[Hashable, JobResult] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def _cost(self, key: Hashable, result: JobResult) -> int:
        query = key[0] if isinstance(key, tuple) and key and isinstance(key[0], str) else ""
        return len(result.body) + len(result.message) + len(query) + 200

    def get(self, key: Hashable) -> JobResult | None:
        if self.max_bytes <= 0:
            return None
        with self._lock:
            result = self._entries.get(key)
            if result is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return result

    def put(self, key: Hashable, result: JobResult) -> None:
        cost = self._cost(key, result)
        if self.max_bytes <= 0 or cost > self.max_entry:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= self._cost(key, old)
            self._entries[key] = result
            self._size += cost
            while self._size > self.max_bytes and self._entries:
                old_key, old = self._entries.popitem(last=False)
                self._size -= self._cost(old_key, old)

    @property
    def size(self) -> int:
        """Bytes held (bodies, messages and query texts, plus a fixed overhead per entry)."""
        return self._size

    def __len__(self) -> int:
        return len(self._entries)
