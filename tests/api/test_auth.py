"""
Authentication: login, tokens, cookies and CSRF, logout, request validation,
limits, common headers, routing errors, and sign-in throttling.

Readings of docs/api.md this file relies on:
- The thc_csrf cookie is readable by scripts (no HttpOnly), as documented;
  thc_session is HttpOnly; both SameSite=Strict and Path=/.
- A body with a Content-Length over 1 MiB gets 413 without the server waiting
  for the body to arrive.
- Requests that fail validation (400/415/422) are not failed logins.
- A header X-Request-Id that is not 1..64 of [A-Za-z0-9._-] is replaced by a
  generated id of that same shape.
- Sign-in limits (docs/api.md "Sign-in limits"): 5 free failures per address
  and username, 20 per username over all addresses, 100 an hour per address;
  past them each attempt waits 1 s, 2 s, 4 s ... (at most 15 minutes), and
  the answer is 429 with Retry-After in whole seconds.  A refused attempt
  counts nothing.  A success clears the address+username and username
  counters, not the address's; the username counter does not hold up an
  address where that user signed in before.
- PUT on /api/v1/units answers 405 with Allow listing at least GET and POST.
"""

import http.client
import json
import re
import select
import socket
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from harness import (DEMO_PASSWORD, Headers, Response, Server, ServerTestCase, cli,
                     has_vietnamese_letter, main, parse_body)

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
MIB = 1024 * 1024


def parse_set_cookies(headers):
    """{name: (value, {attr lower: value or True})} from every Set-Cookie header."""
    out = {}
    for line in headers.get_all("set-cookie"):
        parts = [p.strip() for p in line.split(";")]
        name, _, value = parts[0].partition("=")
        attrs = {}
        for p in parts[1:]:
            k, eq, v = p.partition("=")
            attrs[k.strip().lower()] = v.strip() if eq else True
        out[name.strip()] = (value.strip(), attrs)
    return out


class AuthTest(ServerTestCase):

    # ---- login ----
    def test_login_ok(self):
        r = self.server.login_response("phucxa")
        self.assertStatus(r, 200)
        b = r.json
        self.assertIsInstance(b["token"], str)
        self.assertGreaterEqual(len(b["token"]), 20, "token too short to be unguessable")
        self.assertRegex(b["csrf"], r"^[0-9a-f]{16,}$")
        self.assertTime(b["expires_at"], "expires_at")
        u = b["user"]
        self.assertIsInstance(u["id"], int)
        self.assertEqual(u["username"], "phucxa")
        self.assertIsInstance(u["full_name"], str)
        self.assertIn({"role": "commune_officer", "unit_code": "00001",
                       "unit_name": "Phường Phúc Xá"},
                      [{k: g.get(k) for k in ("role", "unit_code", "unit_name")}
                       for g in u["grants"]])
        self.assertNotIn(DEMO_PASSWORD, r.raw.decode("utf-8"), "password echoed")
        self.assertFalse([k for k in u if "password" in k], "user object exposes %s" % list(u))
        self.assertEqual(r.headers.get("cache-control"), "no-store")
        cookies = parse_set_cookies(r.headers)
        self.assertIn("thc_session", cookies, r.headers.get_all("set-cookie"))
        self.assertIn("thc_csrf", cookies, r.headers.get_all("set-cookie"))
        sval, sattr = cookies["thc_session"]
        self.assertEqual(sval, b["token"])
        self.assertIs(sattr.get("httponly"), True, "session cookie must be HttpOnly")
        self.assertEqual(str(sattr.get("samesite")).lower(), "strict")
        self.assertEqual(sattr.get("path"), "/")
        cval, cattr = cookies["thc_csrf"]
        self.assertEqual(cval, b["csrf"])
        self.assertEqual(str(cattr.get("samesite")).lower(), "strict")
        self.assertEqual(cattr.get("path"), "/")
        self.assertNotIn("httponly", cattr, "the CSRF cookie is for scripts to read")
        # two logins give two different sessions
        r2 = self.server.login_response("phucxa")
        self.assertStatus(r2, 200)
        self.assertNotEqual(r2.json["token"], b["token"])
        self.assertNotEqual(r2.json["csrf"], b["csrf"])

    def test_login_with_charset_in_content_type(self):
        r = self.request("POST", "/api/v1/login",
                         raw='{"username":"trucbach","password":"demo2021"}',
                         headers={"Content-Type": "application/json; charset=utf-8"})
        self.assertStatus(r, 200)

    def test_wrong_password_and_unknown_user(self):
        wrong = self.server.login_response("hanoi", "not-the-password")
        unknown = self.server.login_response("khong-ai-ca", "not-the-password")
        self.assertError(wrong, 401, "unauthorized")
        self.assertError(unknown, 401, "unauthorized")
        self.assertEqual(wrong.error_message, unknown.error_message,
                         "wrong password and unknown user must not be told apart")
        self.assertNotIn("token", wrong.json)
        self.assertFalse(wrong.headers.get_all("set-cookie"), "no cookie on a failed login")
        en1 = self.server.login_response("hanoi", "x", headers={"Accept-Language": "en"})
        en2 = self.server.login_response("nobody-here", "x", headers={"Accept-Language": "en"})
        self.assertEqual(en1.error_message, en2.error_message)

    def test_login_malformed_json(self):
        for raw in ('{"username": "phucxa", ', "not json", "", '{"username":"a",}'):
            r = self.request("POST", "/api/v1/login", raw=raw,
                             headers={"Content-Type": "application/json"})
            self.assertError(r, 400, "invalid", mentions="JSON", msg=repr(raw))
        # well-formed JSON, but not an object
        r = self.request("POST", "/api/v1/login", raw="[1,2]",
                         headers={"Content-Type": "application/json"})
        self.assertError(r, 422, "unprocessable")

    def test_login_wrong_types(self):
        r = self.post("/api/v1/login", {"username": 5, "password": "x"})
        self.assertError(r, 422, "unprocessable", mentions="username")
        r = self.post("/api/v1/login", {"username": "phucxa", "password": ["x"]})
        self.assertError(r, 422, "unprocessable", mentions="password")
        r = self.post("/api/v1/login", {"username": "phucxa"})
        self.assertError(r, 422, "unprocessable", mentions="password")
        r = self.post("/api/v1/login", {"password": "x"})
        self.assertError(r, 422, "unprocessable", mentions="username")

    def test_login_requires_json_media_type(self):
        body = '{"username":"phucxa","password":"demo2021"}'
        r = self.request("POST", "/api/v1/login", raw=body, headers={"Content-Type": "text/plain"})
        self.assertError(r, 415, "unsupported_media_type")
        r = self.request("POST", "/api/v1/login", raw=body)   # no Content-Type at all
        self.assertError(r, 415, "unsupported_media_type")
        r = self.request("POST", "/api/v1/login", raw="username=phucxa&password=demo2021",
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertError(r, 415, "unsupported_media_type")

    # ---- tokens ----
    def test_bearer_me(self):
        tok = self.token("badinh")
        r = self.get("/api/v1/me", token=tok)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["username"], "badinh")
        self.assertIsInstance(r.json["id"], int)
        self.assertIn("full_name", r.json)
        self.assertEqual([(g["role"], g["unit_code"]) for g in r.json["grants"]],
                         [("district_officer", "001")])
        self.assertEqual(r.json["grants"][0]["unit_name"], "Quận Ba Đình")

    def test_me_without_or_with_bad_token(self):
        self.assertError(self.get("/api/v1/me"), 401, "unauthorized")
        for auth in ("Bearer nonsense", "Bearer ", "Basic YWRtaW46ZGVtbzIwMjE=",
                     "Bearer " + "a" * 64):
            r = self.get("/api/v1/me", headers={"Authorization": auth})
            self.assertError(r, 401, "unauthorized", msg=auth)
        r = self.get("/api/v1/me", headers={"Cookie": "thc_session=nonsense"})
        self.assertError(r, 401, "unauthorized")

    def test_logout_revokes(self):
        tok = self.server.login("hcm")
        other = self.server.login("hcm")
        self.assertStatus(self.get("/api/v1/me", token=tok), 200)
        r = self.request("POST", "/api/v1/logout", token=tok)
        self.assertStatus(r, 200)
        self.assertEqual(r.json, {"ok": True})
        self.assertError(self.get("/api/v1/me", token=tok), 401, "unauthorized")
        self.assertError(self.request("POST", "/api/v1/logout", token=tok), 401, "unauthorized")
        # only that session ends
        self.assertStatus(self.get("/api/v1/me", token=other), 200)
        self.assertError(self.request("POST", "/api/v1/logout"), 401, "unauthorized")

    # ---- cookies and CSRF ----
    def test_cookie_auth_and_csrf(self):
        r = self.server.login_response("phucxa")
        self.assertStatus(r, 200)
        tok, csrf = r.json["token"], r.json["csrf"]
        cookie = "thc_session=%s; thc_csrf=%s" % (tok, csrf)
        me = self.get("/api/v1/me", headers={"Cookie": cookie})
        self.assertStatus(me, 200)
        self.assertEqual(me.json["username"], "phucxa")

        def hamlets():
            x = self.get("/api/v1/units?parent=00001&level=hamlet&limit=1000", token=tok)
            self.assertStatus(x, 200)
            return [i["code"] for i in x.json["items"]]

        before = hamlets()
        body = {"parent_code": "00001", "level": "hamlet", "name": "Tổ dân phố CSRF",
                "type": "tổ dân phố"}
        r = self.post("/api/v1/units", body, headers={"Cookie": cookie})
        self.assertError(r, 403, "csrf")
        r = self.post("/api/v1/units", body, headers={"Cookie": cookie, "X-CSRF-Token": "0" * 32})
        self.assertError(r, 403, "csrf")
        r = self.post("/api/v1/units", body, headers={"Cookie": cookie, "X-CSRF-Token": ""})
        self.assertError(r, 403, "csrf")
        self.assertEqual(hamlets(), before, "a refused write created something")
        r = self.post("/api/v1/units", body, headers={"Cookie": cookie, "X-CSRF-Token": csrf})
        self.assertStatus(r, 201)
        self.assertRegex(r.json["code"], r"^00001-\d{3}$")
        self.assertEqual(hamlets(), sorted(before + [r.json["code"]]))
        # another session's CSRF token does not fit this session
        other = self.server.login_response("phucxa").json["csrf"]
        r = self.post("/api/v1/units", dict(body, name="Tổ khác"),
                      headers={"Cookie": cookie, "X-CSRF-Token": other})
        self.assertError(r, 403, "csrf")
        # logout through the cookie needs the token as well
        r = self.request("POST", "/api/v1/logout", headers={"Cookie": cookie})
        self.assertError(r, 403, "csrf")
        self.assertStatus(self.get("/api/v1/me", headers={"Cookie": cookie}), 200)
        r = self.request("POST", "/api/v1/logout", headers={"Cookie": cookie, "X-CSRF-Token": csrf})
        self.assertStatus(r, 200)
        self.assertError(self.get("/api/v1/me", headers={"Cookie": cookie}), 401, "unauthorized")

    def test_bearer_write_needs_no_csrf(self):
        r = self.post("/api/v1/units", {"parent_code": "00004", "level": "hamlet",
                                        "name": "Tổ dân phố Bearer", "type": "tổ"},
                      as_user="trucbach")
        self.assertStatus(r, 201)

    # ---- limits ----
    def raw_exchange(self, head, body=b"", read_timeout=10):
        """Sends head, then body unless the server has already answered (a
        server may refuse on Content-Length alone); tolerates an early close.
        Returns (status or None, raw response bytes)."""
        s = self.server.connect(timeout=read_timeout)
        try:
            try:
                s.sendall(head)
                for off in range(0, len(body), 65536):
                    r, _, _ = select.select([s], [], [], 0.2 if off == 0 else 0)
                    if r:
                        break
                    s.sendall(body[off:off + 65536])
            except (BrokenPipeError, ConnectionResetError):
                pass
            data = b""
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                    if b"\r\n\r\n" in data:
                        headpart, _, rest = data.partition(b"\r\n\r\n")
                        m = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", headpart)
                        if m and len(rest) >= int(m.group(1)):
                            break
            except (ConnectionResetError, socket.timeout):
                pass
        finally:
            s.close()
        m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
        return (int(m.group(1)) if m else None), data

    def test_body_over_1mib(self):
        pad = "x" * (MIB + 10)
        payload = ('{"username":5,"password":"x","pad":"%s"}' % pad).encode()
        head = (b"POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(payload))
        status, data = self.raw_exchange(head, payload)
        self.assertEqual(status, 413, data[:500])
        self.assertIn(b'"too_large"', data)
        # just under the limit is read and judged on its content
        pad = "x" * (MIB - 200)
        payload = '{"username":5,"password":"x","pad":"%s"}' % pad
        self.assertLessEqual(len(payload), MIB)
        r = self.request("POST", "/api/v1/login", raw=payload,
                         headers={"Content-Type": "application/json"})
        self.assertError(r, 422, "unprocessable")

    def test_declared_length_over_1mib_is_refused_early(self):
        head = (b"POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (64 * MIB))
        t0 = time.monotonic()
        status, data = self.raw_exchange(head, read_timeout=10)
        self.assertEqual(status, 413, data[:500])
        self.assertLess(time.monotonic() - t0, 9)
        self.assertStatus(self.get("/healthz"), 200)

    # ---- headers on every response ----
    def check_common_headers(self, r, api=True, public=False):
        h = r.headers
        self.assertRegex(h.get("x-request-id", ""), REQUEST_ID, r.describe())
        self.assertEqual(h.get("x-content-type-options"), "nosniff", r.describe())
        self.assertEqual(h.get("x-frame-options"), "DENY", r.describe())
        self.assertEqual(h.get("referrer-policy"), "no-referrer", r.describe())
        self.assertTrue(h.get("content-security-policy", "").startswith("default-src 'self'"),
                        r.describe())
        if api:
            # Only a public answer, the same for every anonymous reader, may
            # be kept by a shared cache; errors and personal answers never.
            self.assertEqual(h.get("cache-control"),
                             "public, max-age=15" if public else "no-store", r.describe())

    def test_security_headers(self):
        r = self.get("/api/v1/units/01")
        self.check_common_headers(r, public=True)
        self.check_common_headers(self.get("/api/v1/units/01",
                                           headers={"If-None-Match": r.headers["etag"]}),
                                  public=True)
        self.check_common_headers(self.get("/api/v1/units/01", as_user="phucxa"))
        self.check_common_headers(self.get("/api/v1/units/99999"))
        self.check_common_headers(self.get("/api/v1/me"))
        self.check_common_headers(self.get("/api/v1/me", as_user="phucxa"))
        self.check_common_headers(self.request("PUT", "/api/v1/units", raw=b"{}"))
        self.check_common_headers(self.get("/healthz"), api=False)
        self.check_common_headers(self.get("/api/v1/nothing-here"))
        ids = {self.get("/api/v1/units/01").headers["x-request-id"] for _ in range(5)}
        self.assertEqual(len(ids), 5, "generated request ids should differ")

    def test_request_id_echo(self):
        for rid in ("abc-123.X_y", "a" * 64, "0"):
            r = self.get("/api/v1/units/01", headers={"X-Request-Id": rid})
            self.assertEqual(r.headers.get("x-request-id"), rid)
            r = self.get("/api/v1/units/99999", headers={"X-Request-Id": rid})
            self.assertEqual(r.headers.get("x-request-id"), rid, "echo on errors too")
        for bad in ("a" * 65, "has space", "semi;colon", "ü", "a/b"):
            r = self.get("/api/v1/units/01", headers={"X-Request-Id": bad.encode("utf-8")})
            got = r.headers.get("x-request-id", "")
            self.assertNotEqual(got, bad)
            self.assertRegex(got, REQUEST_ID, "a bad client id is replaced by a generated one")

    # ---- routing ----
    def test_unknown_route(self):
        for path in ("/api/v1/nothing-here", "/api/v2/units", "/api/v1/units/00001/extra/x",
                     "/api/v1/"):
            r = self.get(path)
            self.assertError(r, 404, "not_found", msg=path)

    def test_method_not_allowed(self):
        r = self.request("PUT", "/api/v1/units", body={})
        self.assertError(r, 405, "method_not_allowed")
        allow = {m.strip().upper() for m in r.headers.get("allow", "").split(",")}
        self.assertTrue({"GET", "POST"} <= allow, "Allow: %r" % r.headers.get("allow"))
        r = self.request("DELETE", "/api/v1/units/00001")
        self.assertError(r, 405, "method_not_allowed")
        self.assertIn("GET", r.headers.get("allow", ""))
        r = self.request("GET", "/api/v1/login")
        self.assertError(r, 405, "method_not_allowed")
        self.assertIn("POST", r.headers.get("allow", ""))


# ---- sign-in throttling ----
# Each test signs in from its own loopback addresses (127.x.y.z all reach the
# server), so that the per-address counters of one test do not touch another.

THROTTLE_USERS = ("ratetest", "victim1", "victim2", "natuser", "shared")
THROTTLE_PASSWORD = "rate-limit-pass"
WAIT_TIMEOUT = 30.0      # seconds a test waits for a delay of a few seconds to end
ADDR_FREE = 24           # serve --login-addr-limit for these tests (default 100)


def login_from(server, source, username, password=THROTTLE_PASSWORD, lang=None):
    """POST /api/v1/login from the loopback address `source`."""
    hdrs = {"Content-Type": "application/json"}
    if lang:
        hdrs["Accept-Language"] = lang
    body = json.dumps({"username": username, "password": password}).encode("utf-8")
    conn = http.client.HTTPConnection(server.host, server.port, timeout=60,
                                      source_address=(source, 0))
    try:
        conn.request("POST", "/api/v1/login", body=body, headers=hdrs)
        r = conn.getresponse()
        raw = r.read()
        status, headers = r.status, Headers(r.getheaders())
    except (OSError, http.client.HTTPException) as e:
        raise AssertionError("login of %r from %s failed: %r\n%s"
                             % (username, source, e, server.stderr_tail()))
    finally:
        conn.close()
    return Response("POST", "/api/v1/login", status, headers, parse_body(raw), raw)


def login_when_allowed(server, source, username, password=THROTTLE_PASSWORD,
                       timeout=WAIT_TIMEOUT):
    """Repeats a login while it is answered 429 (a refused attempt counts
    nothing) and returns the first other answer; fails after timeout s."""
    deadline = time.monotonic() + timeout
    while True:
        r = login_from(server, source, username, password)
        if r.status != 429:
            return r
        if time.monotonic() > deadline:
            raise AssertionError("%s@%s still refused after %gs: %s"
                                 % (username, source, timeout, r.describe()))
        time.sleep(0.1)


def retry_after(test, r):
    """The 429's Retry-After as whole seconds (1..15 min)."""
    test.assertError(r, 429, "too_many_requests")
    ra = r.headers.get("retry-after", "")
    test.assertRegex(ra, r"^\d+$", "Retry-After should be whole seconds")
    test.assertTrue(0 < int(ra) <= 15 * 60, "Retry-After=%s" % ra)
    test.assertNotIn("token", r.json)
    return int(ra)


def fail_many(server, sources_and_users, password="wrong-password"):
    """Failed logins, two at a time (each is an Argon2 run; more in parallel
    only compete for the CPU); returns the statuses in order."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda su: login_from(server, su[0], su[1], password).status,
                             sources_and_users))


def fnv1a_slot(name, slots=4096):
    """The slot of the old in-process table (FNV-1a 64, a public hash)."""
    h = 1469598103934665603
    for b in name.encode("utf-8"):
        h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h % slots


class LoginThrottleTest(ServerTestCase):
    """Own server: its counters must not leak into other tests."""

    @classmethod
    def setUpClass(cls):
        cls._tokens = {}

        def add_users(srv):
            for name in THROTTLE_USERS:
                rc, out, err = cli("user", "add", "--db", srv.db, "--username", name,
                                   "--role", "citizen", "--unit", "00001",
                                   input="%s\n%s\n" % (THROTTLE_PASSWORD, THROTTLE_PASSWORD))
                if rc != 0:
                    raise AssertionError("user add %s exited %d: %s %s" % (name, rc, out, err))

        # The address's free failures lowered from 100 (each failure is an
        # Argon2 run); the other keys keep their defaults.
        cls.server = Server("--login-addr-limit", str(ADDR_FREE), name="login-throttle",
                            setup=add_users)
        cls.server.start()

    def test_known_and_unknown_usernames_take_as_long(self):
        # An unknown username costs the same Argon2 run as a wrong password.
        known, unknown = [], []
        for i in range(9):
            # three accounts, three failures each: throttled by no rule, old or new
            for name, into in ((("hcm", "badinh", "trucbach")[i % 3], known),
                               ("no-such-user-%d" % i, unknown)):
                t0 = time.perf_counter()
                r = login_from(self.server, "127.2.0.%d" % (i + 1), name, "wrong-password")
                into.append(time.perf_counter() - t0)
                self.assertError(r, 401, "unauthorized")
        k, u = statistics.median(known), statistics.median(unknown)
        self.assertLessEqual(max(k, u) / min(k, u), 1.5,
                             "median known %.1f ms, unknown %.1f ms" % (k * 1e3, u * 1e3))

    def test_account_waits_grow_and_the_right_password_works_after(self):
        src = "127.3.0.1"
        ok = login_from(self.server, src, "ratetest")
        self.assertStatus(ok, 200, "the CLI-created user can log in")
        for i in range(5):
            r = login_from(self.server, src, "ratetest", "wrong-%d" % i)
            self.assertError(r, 401, "unauthorized", msg="failed attempt %d" % (i + 1))
        # past the 5 free failures: a wait, even with the right password
        r = login_from(self.server, src, "ratetest")
        first = retry_after(self, r)
        self.assertLessEqual(first, 2)
        self.assertTrue(has_vietnamese_letter(r.error_message), r.error_message)
        self.assertIn("%d giây" % first, r.error_message)
        # other accounts from the same address are not held up
        self.assertStatus(login_from(self.server, src, "todan1", DEMO_PASSWORD), 200)
        # sessions opened before keep working
        self.assertStatus(self.get("/api/v1/me", token=ok.json["token"]), 200)
        # the wait over, one more failure makes the next wait longer ...
        r = login_when_allowed(self.server, src, "ratetest", "wrong-again")
        self.assertError(r, 401, "unauthorized")
        second = retry_after(self, login_from(self.server, src, "ratetest"))
        self.assertGreater(second, first)
        # ... and the right password works once it is over: no lockout
        r = login_when_allowed(self.server, src, "ratetest")
        self.assertStatus(r, 200)
        # which cleared the counter: five free failures again
        for i in range(5):
            r = login_from(self.server, src, "ratetest", "wrong-%d" % i)
            self.assertError(r, 401, "unauthorized", msg="after success, attempt %d" % (i + 1))

    def test_victim_signs_in_while_others_fail_on_the_username(self):
        # 16 failures from 4 other addresses: below the username's 20
        statuses = fail_many(self.server, [("127.4.1.%d" % a, "victim1")
                                           for a in range(1, 5) for _ in range(4)])
        self.assertEqual(statuses, [401] * 16)
        r = login_from(self.server, "127.4.0.1", "victim1")
        self.assertStatus(r, 200, "the victim, from their own address")
        # past the username's threshold: a short, growing wait from any new address
        statuses = fail_many(self.server, [("127.4.2.%d" % a, "victim1")
                                           for a in range(1, 6) for _ in range(4)])
        self.assertEqual(statuses, [401] * 20)
        first = retry_after(self, login_from(self.server, "127.4.3.1", "victim1"))
        self.assertLessEqual(first, 2)
        r = login_when_allowed(self.server, "127.4.3.1", "victim1", "wrong-password")
        self.assertError(r, 401, "unauthorized")
        second = retry_after(self, login_from(self.server, "127.4.3.2", "victim1"))
        self.assertGreater(second, first)
        # the victim's own address, where they signed in, is not held up by
        # the username's counter (attackers cannot make theirs known) ...
        r = login_from(self.server, "127.4.0.1", "victim1")
        self.assertStatus(r, 200, "the victim's known address")
        # ... and that success cleared the username's counter for everyone
        r = login_from(self.server, "127.4.3.3", "victim1", "wrong-password")
        self.assertError(r, 401, "unauthorized")
        # from a new address the victim only has to wait, is never locked out
        statuses = fail_many(self.server, [("127.4.4.%d" % (k // 4 + 1), "victim1")
                                           for k in range(19)])
        self.assertEqual(statuses, [401] * 19)
        retry_after(self, login_from(self.server, "127.4.5.1", "victim1"))
        self.assertStatus(login_when_allowed(self.server, "127.4.5.1", "victim1"), 200)

    def test_other_logins_do_not_free_a_limited_account(self):
        victim, src = "victim2", "127.5.0.1"
        for i in range(5):
            self.assertError(login_from(self.server, src, victim, "wrong-%d" % i), 401)
        retry_after(self, login_from(self.server, src, victim))
        # Usernames aimed at the victim's slot of the old table (a public hash)
        slot, crafted, i = fnv1a_slot(victim), [], 0
        while len(crafted) < 16:
            name = "x%d" % i
            if fnv1a_slot(name) == slot:
                crafted.append(name)
            i += 1
        statuses = fail_many(self.server, [("127.5.1.%d" % (k // 4 + 1), name)
                                           for k, name in enumerate(crafted)])
        self.assertEqual(statuses, [401] * len(crafted))
        # The victim's counter is still there: once its wait is over, one more
        # failure is the 6th, and the answer after it waits longer (2 s).
        r = login_when_allowed(self.server, src, victim, "wrong-again")
        self.assertError(r, 401, "unauthorized")
        self.assertGreaterEqual(retry_after(self, login_from(self.server, src, victim)), 2,
                                "the counter was evicted by colliding usernames")
        # ... and 64 failed logins on other usernames from 4 addresses (each
        # costs an Argon2 run, ~0.1-0.2 s; tests/unit/test_store_logins.c adds
        # 4,200 counters straight to the store)
        spray = [("127.5.2.%d" % (k % 4 + 1), "spray-%d" % k) for k in range(64)]
        t0 = time.monotonic()
        statuses = fail_many(self.server, spray)
        spent = time.monotonic() - t0
        self.assertEqual(statuses.count(401), len(spray), "all plain failures")
        r = login_when_allowed(self.server, src, victim, "wrong-again")
        self.assertError(r, 401, "unauthorized")
        self.assertGreaterEqual(retry_after(self, login_from(self.server, src, victim)), 4,
                                "the counter was reset (%d failures took %.0fs)"
                                % (len(spray), spent))

    def test_address_limit_allows_a_shared_nat_and_own_logins_do_not_reset_it(self):
        src, half = "127.6.0.1", ADDR_FREE // 2
        # failures on different usernames from one address (an office NAT)
        statuses = fail_many(self.server, [(src, "nat-%d" % k) for k in range(half)])
        self.assertEqual(statuses, [401] * half)
        self.assertStatus(login_from(self.server, src, "natuser"), 200,
                          "a colleague behind the same address signs in")
        statuses = fail_many(self.server, [(src, "nat-%d" % k) for k in range(half, ADDR_FREE)])
        self.assertEqual(statuses, [401] * (ADDR_FREE - half))
        # the address's free failures used up: the next waits
        first = retry_after(self, login_from(self.server, src, "nat-%d" % ADDR_FREE))
        self.assertLessEqual(first, 2)
        # signing in to one's own account does not reset the address
        self.assertStatus(login_when_allowed(self.server, src, "natuser"), 200)
        second = retry_after(self, login_from(self.server, src, "nat-%d" % (ADDR_FREE + 1)))
        self.assertGreaterEqual(second, first)
        # reads that need no login still work
        self.assertStatus(self.get("/api/v1/units/01"), 200)

    def test_two_servers_on_one_database_share_the_counters(self):
        other = Server(name="login-throttle-2", db=self.server.db, demo=False)
        other.start()
        try:
            src = "127.7.0.1"
            for i in range(3):
                self.assertError(login_from(self.server, src, "shared", "wrong-%d" % i), 401)
            for i in range(2):
                self.assertError(login_from(other, src, "shared", "wrong-b%d" % i), 401)
            # 5 failures in all: both servers make the 6th wait
            r = login_from(self.server, src, "shared", lang="en")
            ra = retry_after(self, r)
            self.assertIn("wait %d seconds" % ra, r.error_message)
            retry_after(self, login_from(other, src, "shared"))
            # a success on one clears the counter on both
            self.assertStatus(login_when_allowed(other, src, "shared"), 200)
            for i in range(5):
                self.assertError(login_from(self.server, src, "shared", "wrong-c%d" % i), 401)
        finally:
            other.stop()


if __name__ == "__main__":
    main()
