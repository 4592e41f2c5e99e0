#!/usr/bin/env python3
"""
Public reads kept in memory (serve --public-cache-ms, 1000 by default).

Readings of docs/api.md this file relies on:
- An anonymous GET of a public read (the level map, a unit, its levels, its
  weekly figures...) may be answered from memory (X-Cache: hit; miss when
  made now).  Every such answer carries an ETag from its bytes, kept or
  not, and a request with that ETag in If-None-Match gets 304 and no body.
- A successful write through the server makes every kept answer stale: the
  next read shows the change at once.  A refused write changes nothing and
  leaves what is kept in place.
- A signed-in caller is never answered from memory (it may see more than
  the public).
- With --public-cache-ms 0 nothing is kept.
"""

import unittest

from harness import ServerTestCase, main

LEVELS = "/api/v1/units/00004/levels"
MAP = "/api/v1/levels?date=2022-03-10"


class PublicCacheTest(ServerTestCase):

    def cached(self, path, **kw):
        """Reads path until it comes from memory (the first read keeps it)."""
        first = self.get(path, **kw)
        self.assertStatus(first, 200)
        self.assertIn(first.headers.get("x-cache"), ("hit", "miss"))
        second = self.get(path, **kw)
        self.assertStatus(second, 200)
        self.assertEqual(second.headers.get("x-cache"), "hit")
        self.assertEqual(second.raw, first.raw, "the kept answer differs from the fresh one")
        self.assertEqual(second.headers.get("etag"), first.headers.get("etag"))
        return second

    def test_etag_and_not_modified(self):
        r = self.cached(MAP)
        etag = r.headers.get("etag")
        self.assertRegex(etag or "", r'^"[0-9a-f]{16}"$', "a kept answer carries an ETag")
        self.assertEqual(r.headers.get("content-type"), "application/json; charset=utf-8")
        self.assertEqual(r.headers.get("x-content-type-options"), "nosniff")
        r = self.get(MAP, headers={"If-None-Match": etag})
        self.assertEqual(r.status, 304)
        self.assertEqual(r.raw, b"")
        self.assertEqual(r.headers.get("etag"), etag)
        r = self.get(MAP, headers={"If-None-Match": '"0000000000000000"'})
        self.assertStatus(r, 200)
        self.assertTrue(r.raw)

    def test_a_write_shows_at_once(self):
        before = self.cached(LEVELS)
        n = len(before.json["items"]) if isinstance(before.json, dict) and "items" in before.json \
            else None
        r = self.post(LEVELS, {"week_end": "2022-03-17", "level": 4, "reason": "ổ dịch mới"},
                      as_user="trucbach")
        self.assertStatus(r, 201)
        after = self.get(LEVELS)
        self.assertStatus(after, 200)
        self.assertNotEqual(after.raw, before.raw, "a kept answer outlived a write")
        self.assertIn("ổ dịch mới", after.raw.decode("utf-8"))
        if n is not None:
            self.assertEqual(len(after.json["items"]), n + 1)

    def test_a_refused_write_keeps_what_is_kept(self):
        r = self.cached(MAP)
        etag = r.headers.get("etag")
        self.assertTrue(etag)
        r = self.post(LEVELS, {"week_end": "2022-03-17", "level": 4, "reason": "x"})
        self.assertError(r, 401)
        r = self.get(MAP, headers={"If-None-Match": etag})
        self.assertEqual(r.status, 304)
        self.assertEqual(r.headers.get("x-cache"), "hit", "an anonymous refused write emptied the cache")

    def test_signed_in_is_never_served_from_memory(self):
        self.cached(MAP)
        r = self.get(MAP, as_user="hanoi")
        self.assertStatus(r, 200)
        self.assertIsNone(r.headers.get("etag"))
        self.assertIsNone(r.headers.get("x-cache"))
        r = self.get(MAP, as_user="hanoi", headers={"If-None-Match": "*"})
        self.assertStatus(r, 200)


class NoCacheTest(ServerTestCase):
    server_args = ("--public-cache-ms", "0")

    def test_nothing_is_kept(self):
        etags = set()
        for _ in range(3):
            r = self.get(MAP)
            self.assertStatus(r, 200)
            self.assertEqual(r.headers.get("x-cache"), "miss")
            etags.add(r.headers.get("etag"))
        self.assertEqual(len(etags), 1, "the same bytes, the same ETag")

    def test_not_modified_without_memory(self):
        """A conditional GET is answered 304 from an answer made just now."""
        r = self.get(MAP)
        etag = r.headers.get("etag")
        self.assertRegex(etag or "", r'^"[0-9a-f]{16}"$')
        r = self.get(MAP, headers={"If-None-Match": etag})
        self.assertEqual(r.status, 304)
        self.assertEqual(r.raw, b"")
        self.assertEqual(r.headers.get("etag"), etag)
        self.assertEqual(r.headers.get("x-cache"), "miss")
        self.assertEqual(r.headers.get("cache-control"), "public, max-age=15")
        r = self.get(MAP, headers={"If-None-Match": '"0000000000000000"'})
        self.assertStatus(r, 200)
        self.assertTrue(r.raw)


if __name__ == "__main__":
    main()
