"""
The server as a process and a network peer: health, graceful SIGTERM,
slow clients, per-address connection limits, oversized and malformed
request heads (answered by thichung itself, with its security headers),
query strings, trusted proxies (X-Forwarded-For/-Proto, Secure cookies,
HSTS).  The attack of many slow clients at once is tests/api/test_slow_clients.py.

serve options used beyond docs/api.md:
  --timeout SECONDS        a connection that does not complete a request in
                           that time (or stays idle that long) is closed
  --max-conn-per-ip N      at most N simultaneous connections from one address;
                           further ones are closed at once (or answered 429/503)
  --trusted-proxy ADDR     X-Forwarded-For/-Proto are believed from ADDR only
  --secure-cookies         every cookie is Secure
  --hsts SECONDS           Strict-Transport-Security on requests that came over HTTPS

Readings:
- On SIGTERM the server stops accepting, finishes the requests it is
  handling (their responses arrive complete), closes idle keep-alive
  connections, and exits 0 within 10 s.
- A slow client is dropped after --timeout without a response or with a
  408/400; other clients are served meanwhile.
- A request header block over 8 KiB gets 431 or 400, or the connection is
  closed; a 2 KiB header is fine.
- The whole 127.0.0.0/8 is loopback on Linux: connections from 127.0.0.2
  count as another client address.
"""

import gzip
import http.client
import json
import os
import resource
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest

from harness import (BIN, DATA_DIR, DEMO_PASSWORD, HOST, TEST_TMP, Server, ServerTestCase, cli,
                     main, new_database, read_response)

GET_HEALTH = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def recv_until_closed(sock, timeout):
    """Reads until the peer closes; returns (bytes, closed?, seconds waited)."""
    t0 = time.monotonic()
    data = b""
    sock.settimeout(timeout)
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return data, True, time.monotonic() - t0
            data += chunk
    except ConnectionResetError:
        return data, True, time.monotonic() - t0
    except socket.timeout:
        return data, False, time.monotonic() - t0


# TCP states in /proc/net/tcp: the server's side of a connection that a
# client opened and has not yet seen closed.
TCP_ESTABLISHED, TCP_CLOSE_WAIT = "01", "08"


def server_sockets(port):
    """The server's connected sockets on port: [(state, bytes not yet read)]."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            local, state, queues = cols[1], cols[3], cols[4]
            if int(local.rsplit(":", 1)[1], 16) == port and state in (TCP_ESTABLISHED,
                                                                       TCP_CLOSE_WAIT):
                found.append((state, int(queues.split(":")[1], 16)))
    return found


def wait_until(test, what, condition, timeout=10):
    """Polls condition() until it is true; fails naming what after timeout s."""
    deadline = time.monotonic() + timeout
    while not condition():
        test.assertLess(time.monotonic(), deadline, "waited %gs for %s" % (timeout, what))
        select.select([], [], [], 0.02)


def heard_from(sock):
    """Whether the server has answered or closed sock, without blocking."""
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


def can_bind(addr):
    try:
        with socket.socket() as s:
            s.bind((addr, 0))
        return True
    except OSError:
        return False


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


def parse_raw_response(data):
    """(status, {lower-case name: value}, body) of the first response in data."""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


class OwnRepliesChecks:
    """Every response carries the security headers, also those to requests
    that libmicrohttpd used to answer itself (414, 431, 400) with a page of
    its own and none of them.  (A mixin: run by HealthTest's server.)"""

    def exchange(self, data, first=None):
        """Sends data on a new connection (after `first`, a request answered
        on the same connection) and reads until the server closes it."""
        s = self.server.connect(timeout=15)
        try:
            if first is not None:
                s.sendall(first)
                status, _, _ = read_response(s)
                self.assertEqual(status, 200, "the first request on the connection")
            try:
                s.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
            got, closed, _ = recv_until_closed(s, 15)
        finally:
            s.close()
        self.assertTrue(got, "no reply, the connection was just closed (%d bytes sent)" % len(data))
        return parse_raw_response(got)

    def assertOurError(self, reply, status, code, what):
        got_status, headers, body = reply
        self.assertEqual(got_status, status, "%s: %r" % (what, body[:300]))
        for name, value in SECURITY_HEADERS.items():
            self.assertEqual(headers.get(name), value, "%s: header %s in %r" % (what, name, headers))
        self.assertIn("frame-ancestors 'none'", headers.get("content-security-policy", ""), what)
        self.assertTrue(headers.get("x-request-id"), what)
        self.assertEqual(headers.get("content-type"), "application/json; charset=utf-8", what)
        err = json.loads(body)["error"]
        self.assertEqual(err["code"], code, what)
        self.assertTrue(err["message"], what)
        return err

    def test_oversized_heads(self):
        line = b"GET /api/v1/units/" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
        headers40 = b"".join(b"X-H-%d: %s\r\n" % (i, b"b" * 100) for i in range(390))
        headers200 = b"X-Big: " + b"c" * 200000 + b"\r\n"
        for what, data, status, code in (
                ("a 20 KB request line", line, 414, "uri_too_long"),
                ("40 KB of headers", b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + headers40 + b"\r\n",
                 431, "headers_too_large"),
                ("200 KB of headers", b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + headers200 + b"\r\n",
                 431, "headers_too_large")):
            self.assertOurError(self.exchange(data), status, code, what)
            self.assertStatus(self.get("/healthz"), 200, "after " + what)

    def test_malformed_heads(self):
        for what, data, status, code in (
                ("garbage", b"\x00\x01\x02garbage\r\n\r\n", 400, "invalid"),
                ("HTTP/9.9", b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", 400, "invalid"),
                ("no Host", b"GET /healthz HTTP/1.1\r\n\r\n", 400, "invalid"),
                ("a header without colon", b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad\r\n\r\n",
                 400, "invalid"),
                ("Content-Length: -5", b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\n"
                 b"Content-Length: -5\r\n\r\n", 400, "invalid"),
                ("a chunked body", b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\nzz\r\n", 411, "length_required")):
            self.assertOurError(self.exchange(data), status, code, what)
        # In English when asked, before the fault.
        err = self.assertOurError(self.exchange(b"GET / HTTP/1.1\r\nAccept-Language: en\r\n\r\n"),
                                  400, "invalid", "no Host, in English")
        self.assertIn("Host header is missing", err["message"])

    def test_later_heads_on_a_kept_alive_connection(self):
        """The heads after the first reach libmicrohttpd directly: within its
        buffer (64 KiB) thichung still answers them itself."""
        first = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        line = b"GET /api/v1/units/" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
        self.assertOurError(self.exchange(line, first=first), 414, "uri_too_long",
                            "a 20 KB request line after a first request")
        big = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"d" * 20000 + b"\r\n\r\n"
        self.assertOurError(self.exchange(big, first=first), 431, "headers_too_large",
                            "20 KB of headers after a first request")
        chunked = (b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                   b"\r\n5\r\nhello\r\n0\r\n\r\n")
        self.assertOurError(self.exchange(chunked, first=first), 411, "length_required",
                            "a chunked body after a first request")


def login_via(server, headers, source=None, username="phucxa"):
    """POST /api/v1/login with extra headers, optionally from another address."""
    conn = http.client.HTTPConnection(HOST, server.port, timeout=30,
                                      source_address=(source, 0) if source else None)
    try:
        conn.request("POST", "/api/v1/login",
                     body=json.dumps({"username": username, "password": DEMO_PASSWORD}),
                     headers=dict({"Content-Type": "application/json"}, **headers))
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, resp.getheaders(), json.loads(body)
    finally:
        conn.close()


def set_cookies(headers):
    return [v for k, v in headers if k.lower() == "set-cookie"]


def header(headers, name):
    return next((v for k, v in headers if k.lower() == name.lower()), None)


def served_from(server, source):
    """Whether a GET /healthz from source is answered 200 (not refused)."""
    conn = http.client.HTTPConnection(HOST, server.port, timeout=5, source_address=(source, 0))
    try:
        conn.request("GET", "/healthz")
        resp = conn.getresponse()
        resp.read()
        return resp.status == 200
    except OSError:
        return False
    finally:
        conn.close()


class ProxyTestBase(ServerTestCase):

    def create_hamlet(self, token, headers, source=None):
        """Creates a hamlet under 00001; returns the audit row's client_addr."""
        conn = http.client.HTTPConnection(HOST, self.server.port, timeout=30,
                                          source_address=(source, 0) if source else None)
        try:
            conn.request("POST", "/api/v1/units",
                         body=json.dumps({"parent_code": "00001", "level": "hamlet",
                                          "name": "Thôn qua proxy", "type": "thôn"}),
                         headers=dict({"Content-Type": "application/json",
                                       "Authorization": "Bearer " + token}, **headers))
            resp = conn.getresponse()
            body = json.loads(resp.read())
            self.assertEqual(resp.status, 201, body)
        finally:
            conn.close()
        r = self.get("/api/v1/audit?unit=00001&limit=1000", as_user="phucxa")
        self.assertStatus(r, 200)
        rows = [e for e in r.json["items"]
                if e["action"] == "unit.create" and e["entity_id"] == body["code"]]
        self.assertEqual(len(rows), 1, r.json["items"][:3])
        return rows[0]["client_addr"]


class TrustedProxyTest(ProxyTestBase):
    """Behind a proxy (--trusted-proxy 127.0.0.1): X-Forwarded-Proto says
    whether the client used HTTPS, X-Forwarded-For who the client is."""

    server_args = ("--trusted-proxy", "127.0.0.1", "--hsts", "31536000",
                   "--max-conn-per-ip", "2")

    def test_https_marks_cookies_secure_and_sends_hsts(self):
        status, headers, body = login_via(self.server, {"X-Forwarded-Proto": "https"})
        self.assertEqual(status, 200, body)
        cookies = set_cookies(headers)
        self.assertEqual(len(cookies), 2, cookies)
        for c in cookies:
            self.assertTrue(c.endswith("; Secure"), c)
            self.assertIn("SameSite=Strict", c)
        self.assertEqual(header(headers, "Strict-Transport-Security"), "max-age=31536000")
        # Logging out clears the cookie with the same attributes.
        conn = http.client.HTTPConnection(HOST, self.server.port, timeout=30)
        conn.request("POST", "/api/v1/logout", headers={
            "Authorization": "Bearer " + body["token"], "X-Forwarded-Proto": "https"})
        resp = conn.getresponse()
        resp.read()
        self.assertEqual(resp.status, 200)
        self.assertEqual([v for k, v in resp.getheaders() if k.lower() == "set-cookie"],
                         ["thc_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure"])
        conn.close()
        # The web application's files and errors carry HSTS too.
        for path in ("/", "/api/v1/nowhere"):
            r = self.get(path, headers={"X-Forwarded-Proto": "https"})
            self.assertEqual(r.headers.get("strict-transport-security"), "max-age=31536000", path)

    def test_plain_http_through_the_proxy(self):
        for proto in (None, "http", "https, http", "HTTPS-ish"):
            status, headers, _ = login_via(self.server,
                                           {"X-Forwarded-Proto": proto} if proto else {})
            self.assertEqual(status, 200)
            for c in set_cookies(headers):
                self.assertNotIn("Secure", c, proto)
            self.assertIsNone(header(headers, "Strict-Transport-Security"), proto)
        status, headers, _ = login_via(self.server, {"X-Forwarded-Proto": "HTTPS"})
        self.assertTrue(all(c.endswith("; Secure") for c in set_cookies(headers)))

    def test_client_address_from_x_forwarded_for(self):
        token = self.token("phucxa")
        self.assertEqual(self.create_hamlet(token, {"X-Forwarded-For": "198.51.100.9"}),
                         "198.51.100.9")
        # The right-most: what the client wrote itself comes first.
        self.assertEqual(self.create_hamlet(token, {
            "X-Forwarded-For": "203.0.113.66, 198.51.100.10"}), "198.51.100.10")
        # Another trusted hop (127.0.0.1 itself) is skipped.
        self.assertEqual(self.create_hamlet(token, {
            "X-Forwarded-For": "2001:db8::5, 127.0.0.1"}), "2001:db8::5")
        # Nothing usable: the proxy's own address.
        self.assertEqual(self.create_hamlet(token, {"X-Forwarded-For": "unknown"}), "127.0.0.1")
        self.assertEqual(self.create_hamlet(token, {}), "127.0.0.1")
        deadline = time.monotonic() + 10
        while "addr=198.51.100.9 via=127.0.0.1" not in self.server.stderr_tail(200000):
            self.assertLess(time.monotonic(), deadline, "no access log line with via=")
            time.sleep(0.05)

    def test_untrusted_peer_is_not_believed(self):
        if not can_bind("127.0.0.2"):
            self.skipTest("127.0.0.2 is not usable as a source address")
        token = self.token("phucxa")
        self.assertEqual(self.create_hamlet(token, {"X-Forwarded-For": "198.51.100.9",
                                                    "X-Forwarded-Proto": "https"},
                                            source="127.0.0.2"), "127.0.0.2")
        status, headers, _ = login_via(self.server, {"X-Forwarded-Proto": "https",
                                                     "X-Forwarded-For": "198.51.100.9"},
                                       source="127.0.0.2")
        self.assertEqual(status, 200)
        self.assertFalse(any("Secure" in c for c in set_cookies(headers)))
        self.assertIsNone(header(headers, "Strict-Transport-Security"))

    def test_proxy_not_limited_per_address(self):
        """Every client arrives from the proxy: --max-conn-per-ip 2 does not
        apply to it, while it does to anyone else."""
        held = []
        try:
            for i in range(6):
                c = http.client.HTTPConnection(HOST, self.server.port, timeout=10)
                c.request("GET", "/healthz")
                resp = c.getresponse()
                resp.read()
                self.assertEqual(resp.status, 200, "connection %d from the proxy" % (i + 1))
                held.append(c)
            if can_bind("127.0.0.2"):
                others = [self.server.connect(timeout=5, source="127.0.0.2") for _ in range(3)]
                got, closed, _ = recv_until_closed(others[2], 5)
                self.assertTrue(closed and not got, "the third from 127.0.0.2")
                for s in others:
                    s.close()
                # The server counts them until it has seen them closed: wait
                # until 127.0.0.2 is served again, so that the next test
                # from there does not meet a limit this one left full.
                deadline = time.monotonic() + 10
                while not served_from(self.server, "127.0.0.2"):
                    self.assertLess(time.monotonic(), deadline, "127.0.0.2 never served again")
        finally:
            for c in held:
                c.close()


class DirectClientsTest(ProxyTestBase):
    """Without --trusted-proxy, X-Forwarded-* from anyone are ignored, and
    HSTS is never sent over plain HTTP; --secure-cookies marks the cookies
    Secure all the same."""

    server_args = ("--secure-cookies", "--hsts", "600")

    def test_forwarded_headers_ignored(self):
        fake = {"X-Forwarded-For": "198.51.100.9", "X-Forwarded-Proto": "https"}
        status, headers, _ = login_via(self.server, fake)
        self.assertEqual(status, 200)
        self.assertIsNone(header(headers, "Strict-Transport-Security"))
        self.assertEqual(self.create_hamlet(self.token("phucxa"), fake), "127.0.0.1")

    def test_secure_cookies_always(self):
        status, headers, _ = login_via(self.server, {})
        self.assertEqual(status, 200)
        cookies = set_cookies(headers)
        self.assertEqual(len(cookies), 2)
        self.assertTrue(all(c.endswith("; Secure") for c in cookies), cookies)


class QueryStringChecks:
    """The query string is read by thichung itself (http/query.c), strictly:
    what libmicrohttpd used to let through quietly is a 400 naming the
    parameter.  (A mixin: run by HealthTest's server.)"""

    def test_refused_naming_the_parameter(self):
        cases = [
            # (query, parameter named, what the English message says)
            ("parent=01&parent=79", "parent", "given twice"),
            ("level=district&parent=01&%70arent=79", "parent", "given twice"),
            ("q=%zz", "q", "percent escape"),
            ("q=ha%2", "q", "percent escape"),
            ("parent=01%00", "parent", "NUL"),
            ("q=%C3%28", "q", "UTF-8"),
            ("q=%C0%80", "q", "UTF-8"),
        ]
        for query, name, says in cases:
            for lang, expect in (("en", says), ("vi", None)):
                r = self.get("/api/v1/units?" + query, headers={"Accept-Language": lang})
                err = self.assertError(r, 400, "invalid", mentions="'%s'" % name,
                                       msg="?" + query)
                if expect:
                    self.assertIn(expect, err["message"], "?" + query)
                else:
                    self.assertIn("tham số", err["message"], "?" + query)

    def test_caps(self):
        r = self.get("/api/v1/units?" + "&".join("p%d=1" % i for i in range(33)))
        self.assertError(r, 400, "invalid", mentions="32")
        r = self.get("/api/v1/units?q=" + "a" * 4200)
        self.assertError(r, 414, "uri_too_long", mentions="4096")
        self.assertEqual(r.headers.get("x-content-type-options"), "nosniff")

    def test_still_read_as_before(self):
        for q in ("ha+noi", "ha%20noi", "h%C3%A0%20n%E1%BB%99i", "H%C3%A0+N%E1%BB%99i"):
            r = self.get("/api/v1/units?q=%s&limit=5&" % q)
            self.assertStatus(r, 200, q)
            self.assertIn("01", [u["code"] for u in r.json["items"]], q)
        r = self.get("/api/v1/units?parent=01&level=district&limit=1")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["items"][0]["parent_code"], "01")
        # Unknown parameters are ignored, as before.
        self.assertStatus(self.get("/api/v1/units/01?whatever=1&x"), 200)


class HealthTest(OwnRepliesChecks, QueryStringChecks, ServerTestCase):

    def test_healthz(self):
        r = self.get("/healthz")
        self.assertStatus(r, 200)
        self.assertEqual(r.json, {"status": "ok", "db": "ok", "version": "0.1.0"})
        self.assertRegex(r.headers.get("content-type", ""), r"^application/json")
        self.assertTrue(r.headers.get("x-request-id"))
        self.assertEqual(r.headers.get("x-content-type-options"), "nosniff")
        r = self.request("HEAD", "/healthz")
        self.assertIn(r.status, (200, 405))
        self.assertEqual(r.raw, b"")

    def test_gzip_for_answers_made_per_request(self):
        """A signed-in answer of 1 KB or more goes gzipped to a client that takes
        gzip, and decodes to what a client without it gets; small answers,
        refusing clients (q=0) and public answers kept in memory go as they are."""
        path = "/api/v1/units?parent=001&limit=100"
        plain = self.get(path, as_user="admin")
        self.assertStatus(plain, 200)
        self.assertIsNone(plain.headers.get("content-encoding"))
        self.assertGreater(len(plain.raw), 1024)
        r = self.request("GET", path, as_user="admin", headers={"Accept-Encoding": "gzip, br"})
        self.assertEqual(r.headers.get("content-encoding"), "gzip")
        self.assertIn("Accept-Encoding", r.headers.get("vary", ""))
        self.assertLess(len(r.raw), len(plain.raw) // 2)
        self.assertEqual(json.loads(gzip.decompress(r.raw)), plain.json)
        r = self.request("GET", path, as_user="admin", headers={"Accept-Encoding": "gzip;q=0"})
        self.assertIsNone(r.headers.get("content-encoding"))
        r = self.request("GET", "/api/v1/units/01", as_user="admin",
                         headers={"Accept-Encoding": "gzip"})
        self.assertIsNone(r.headers.get("content-encoding"), "under 1 KB")
        r = self.request("GET", path, headers={"Accept-Encoding": "gzip"})
        self.assertStatus(r, 200)
        self.assertIsNone(r.headers.get("content-encoding"), "a public answer kept in memory")

    def test_keep_alive_and_parallel_clients(self):
        conn = http.client.HTTPConnection(HOST, self.server.port, timeout=30)
        first = None
        for _ in range(20):
            conn.request("GET", "/api/v1/units/01")
            resp = conn.getresponse()
            body = resp.read()
            self.assertEqual(resp.status, 200)
            self.assertEqual(json.loads(body)["code"], "01")
            if first is None:
                first = conn.sock
            self.assertIs(conn.sock, first, "the server closed a keep-alive connection")
        conn.close()
        errors = []

        def worker(n):
            try:
                for i in range(15):
                    code = ("01", "79", "001", "00001")[(n + i) % 4]
                    r = self.server.request("GET", "/api/v1/units/" + code)
                    if r.status != 200 or r.json["code"] != code:
                        errors.append(r.describe())
            except AssertionError as e:
                errors.append(str(e))

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(errors, [])

    def check_healthy(self):
        r = self.get("/healthz")
        self.assertStatus(r, 200, "server unhealthy after the previous request")

    def send_expect_refusal(self, data, allowed=(400, 431)):
        s = self.server.connect(timeout=10)
        try:
            try:
                s.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
            got, closed, _ = recv_until_closed(s, 10)
        finally:
            s.close()
        if got:
            status = int(got.split(b" ", 2)[1]) if got.startswith(b"HTTP/1.") else None
            self.assertIn(status, allowed, got[:300])
        else:
            self.assertTrue(closed, "no answer and no close for an oversized request")

    def test_header_over_8k(self):
        self.send_expect_refusal(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                                 + b"a" * 9000 + b"\r\nConnection: close\r\n\r\n")
        self.check_healthy()
        many = b"".join(b"X-H-%d: %s\r\n" % (i, b"b" * 50) for i in range(200))
        self.send_expect_refusal(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n" + many
                                 + b"Connection: close\r\n\r\n")
        self.check_healthy()
        self.send_expect_refusal(b"GET /api/v1/units?q=" + b"a" * 10000
                                 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                                 allowed=(400, 414, 431))
        self.check_healthy()
        r = self.get("/healthz", headers={"X-Medium": "m" * 2048})
        self.assertStatus(r, 200, "a 2 KiB header is acceptable")

    def test_garbage_request(self):
        for junk in (b"\x00\x01\x02garbage\r\n\r\n", b"GET\r\n\r\n",
                     b"GET /healthz HTTP/9.9\r\n\r\n",
                     b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"):
            s = self.server.connect(timeout=10)
            try:
                try:
                    s.sendall(junk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                got, _, _ = recv_until_closed(s, 10)
            finally:
                s.close()
            if got:
                self.assertRegex(got[:12], rb"^HTTP/1\.[01] (4\d\d|505)", got[:200])
            self.check_healthy()


class StartupTest(unittest.TestCase):

    def test_options(self):
        rc, out, err = cli("serve", "--help")
        self.assertEqual(rc, 0, err)
        for opt in ("--header-timeout", "--body-timeout", "--max-conn ", "--max-conn-per-ip",
                    "--trusted-proxy", "--secure-cookies", "--hsts", "--login-addr-limit"):
            self.assertIn(opt, out, "serve --help should document " + opt)
        for args, names in ((("--trusted-proxy", "10.0.0.1,nginx"), "'nginx'"),
                            (("--max-conn", "8"), "--max-conn"),
                            (("--header-timeout", "0"), "--header-timeout"),
                            (("--hsts", "-1"), "--hsts"),
                            (("--login-addr-limit", "0"), "--login-addr-limit"),
                            (("--feedback-anon-limit", "x"), "--feedback-anon-limit")):
            tmp = tempfile.mkdtemp(prefix="options-", dir=TEST_TMP)
            try:
                rc, out, err = cli("serve", "--db", os.path.join(tmp, "thc.db"), *args)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            self.assertEqual(rc, 2, "%r: %s" % (args, err))
            self.assertIn(names, err)

    def test_fd_limit_raised(self):
        """A soft RLIMIT_NOFILE of 1024 would fail accept() well before 1,024
        connections: the server raises it for --max-conn (1024) and the rest."""
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard != resource.RLIM_INFINITY and hard < 2048:
            self.skipTest("hard RLIMIT_NOFILE below 2048")
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))
        try:
            srv = Server(demo=False, name="nofile").start()
        finally:
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        try:
            with open("/proc/%d/limits" % srv.proc.pid) as f:
                line = next(l for l in f if l.startswith("Max open files"))
            self.assertGreaterEqual(int(line.split()[3]), 2048, line)
        finally:
            srv.stop()

    def test_ipv6_loopback(self):
        try:
            with socket.socket(socket.AF_INET6) as s:
                s.bind(("::1", 0))
                port = s.getsockname()[1]
        except OSError:
            self.skipTest("no IPv6 loopback")
        tmp = tempfile.mkdtemp(prefix="ipv6-", dir=TEST_TMP)
        proc = subprocess.Popen([BIN, "serve", "--db", new_database(tmp), "--listen",
                                 "[::1]:%d" % port], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=dict(os.environ, THC_DATA_DIR=DATA_DIR))
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    conn = http.client.HTTPConnection("::1", port, timeout=2)
                    conn.request("GET", "/healthz")
                    resp = conn.getresponse()
                    resp.read()
                    conn.close()
                    break
                except OSError:
                    self.assertIsNone(proc.poll(), "serve --listen [::1]:%d exited" % port)
                    self.assertLess(time.monotonic(), deadline, "no answer on [::1]:%d" % port)
                    time.sleep(0.1)
            self.assertEqual(resp.status, 200)
            self.assertEqual(resp.getheader("x-frame-options"), "DENY")
        finally:
            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(10), 0)
            shutil.rmtree(tmp, ignore_errors=True)


class GracefulStopTest(unittest.TestCase):

    def test_sigterm_finishes_requests_in_flight(self):
        srv = Server(name="sigterm").start()
        try:
            conns = []
            for _ in range(4):
                c = http.client.HTTPConnection(HOST, srv.port, timeout=30)
                c.request("GET", "/healthz")      # the server has accepted this connection
                resp = c.getresponse()
                resp.read()
                self.assertEqual(resp.status, 200)
                conns.append(c)
            idle = srv.connect(timeout=30)       # a connection that never sends anything
            users = ["phucxa", "hanoi", "badinh", "trucbach"]
            for c, user in zip(conns, users):
                c.request("POST", "/api/v1/login",
                          body=json.dumps({"username": user, "password": DEMO_PASSWORD}),
                          headers={"Content-Type": "application/json"})
            # SIGTERM once the server has read every login (nothing left in
            # its sockets' receive queues): they are in flight.
            wait_until(self, "the server to read the logins",
                       lambda: all(q == 0 for _, q in server_sockets(srv.port)))
            srv.terminate()
            for c, user in zip(conns, users):
                resp = c.getresponse()
                body = resp.read()
                self.assertEqual(resp.status, 200, "login in flight at SIGTERM: %r\n%s"
                                 % (body[:300], srv.stderr_tail()))
                self.assertEqual(json.loads(body)["user"]["username"], user)
            rc = srv.wait_stopped(10)
            self.assertEqual(rc, 0, "exit status after SIGTERM (None: still running after 10 s)\n"
                             + srv.stderr_tail())
            for c in conns:
                c.close()
            idle.close()
            with self.assertRaises(OSError):
                socket.create_connection((HOST, srv.port), timeout=2).close()
        finally:
            if srv.proc is not None:
                srv.stop()

    def test_acknowledged_concurrent_writes_survive_kill_9(self):
        """Writers in parallel (on SQLite their writes share commits): every
        case answered 201 before SIGKILL, which comes while writes are in
        flight, is there afterwards with its person and audit row."""
        srv = Server("--threads", "8", name="kill9-group").start()
        try:
            token = srv.login("ytephucxa")
            acked, lock, stop = [], threading.Lock(), threading.Event()

            def writer(w):
                n = 0
                while not stop.is_set() and n < 60:     # 480 at most: one audit page
                    n += 1
                    body = json.dumps({"person": {"full_name": "Người bền %d-%d" % (w, n),
                                                  "birth_year": 1980, "sex": "female",
                                                  "unit_code": "00001-001"},
                                       "detected_on": "2021-08-10", "source": "community",
                                       "test_type": "rt-pcr"}).encode("utf-8")
                    conn = http.client.HTTPConnection(HOST, srv.port, timeout=30)
                    try:
                        conn.request("POST", "/api/v1/cases", body=body,
                                     headers={"Content-Type": "application/json",
                                              "Authorization": "Bearer " + token})
                        r = conn.getresponse()
                        data = r.read()
                        if r.status == 201:
                            with lock:
                                acked.append(json.loads(data)["id"])
                    except (OSError, http.client.HTTPException, ValueError):
                        return          # the server is gone: this write was not acknowledged
                    finally:
                        conn.close()

            threads = [threading.Thread(target=writer, args=(w,)) for w in range(8)]
            for t in threads:
                t.start()
            try:
                wait_until(self, "100 acknowledged writes", lambda: len(acked) >= 100, timeout=60)
                srv.proc.send_signal(signal.SIGKILL)
                srv.proc.wait()
            finally:
                stop.set()
                for t in threads:
                    t.join(60)
            with lock:
                created = list(acked)
            srv._close_files()
            srv.launch()                       # same database, new process
            token = srv.login("ytephucxa")
            for case_id in created:
                r = srv.request("GET", "/api/v1/cases/%d" % case_id, token=token)
                self.assertEqual(r.status, 200, "lost after kill -9: case %d" % case_id)
            r = srv.request("GET", "/api/v1/audit?unit=00001-001&limit=1000",
                            token=srv.login("phucxa"))       # an official reads the audit
            self.assertEqual(r.status, 200, r.describe())
            logged = {int(e["entity_id"]) for e in r.json["items"]
                      if e["action"] == "case.create"}
            missing = set(created) - logged
            self.assertFalse(missing, "audit rows lost after kill -9: %s" % sorted(missing)[:10])
        finally:
            if srv.proc is not None:
                srv.stop()

    def test_acknowledged_writes_survive_kill_9(self):
        """Every write the server answered 201 to is there after SIGKILL."""
        srv = Server(name="kill9").start()
        try:
            token = srv.login("phucxa")
            created = []
            for i in range(20):
                r = srv.request("POST", "/api/v1/units", token=token,
                                body={"parent_code": "00001", "level": "hamlet",
                                      "name": "Thôn bền vững %d" % i, "type": "thôn"})
                self.assertEqual(r.status, 201, r.describe())
                created.append(r.json["code"])
            srv.proc.send_signal(signal.SIGKILL)
            srv.proc.wait()
            srv._close_files()
            srv.launch()                       # same database, new process
            token = srv.login("phucxa")
            for code in created:
                r = srv.request("GET", "/api/v1/units/" + code, token=token)
                self.assertEqual(r.status, 200, "lost after kill -9: %s" % code)
            r = srv.request("GET", "/api/v1/audit?unit=00001&limit=1000", token=token)
            logged = {e["entity_id"] for e in r.json["items"] if e["action"] == "unit.create"}
            self.assertTrue(set(created) <= logged, "audit rows lost after kill -9")
        finally:
            if srv.proc is not None:
                srv.stop()

    def test_sigterm_when_idle(self):
        srv = Server(name="sigterm-idle").start()
        srv.stop()   # asserts exit 0 within 10 s


class SlowClientTest(ServerTestCase):
    server_args = ("--timeout", "2")

    def others_are_served(self, seconds, slow):
        """Others are served for `seconds`, while the slow sockets stay
        connected; between requests it waits on them (a drop ends the wait)."""
        deadline = time.monotonic() + seconds
        n = 0
        while time.monotonic() < deadline:
            r = self.get("/api/v1/units/01")
            self.assertStatus(r, 200, "served while a slow client hangs")
            n += 1
            select.select(slow, [], [], max(0.0, min(0.1, deadline - time.monotonic())))
            self.assertFalse(any(heard_from(s) for s in slow),
                             "a slow client answered or dropped before --timeout 2")
        return n

    def assertDropped(self, sock, what):
        got, closed, waited = recv_until_closed(sock, 15)
        self.assertTrue(closed, "%s not disconnected within 15 s (--timeout 2)" % what)
        if got:
            self.assertRegex(got[:12], rb"^HTTP/1\.[01] (408|400)", got[:200])

    def test_partial_headers(self):
        slow = [self.server.connect(timeout=30) for _ in range(4)]
        t0 = time.monotonic()
        for s in slow:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        self.assertGreater(self.others_are_served(1.0, slow), 3)
        for s in slow:
            self.assertDropped(s, "a client sending only part of its headers")
            s.close()
        self.assertGreater(time.monotonic() - t0, 1.0, "dropped before the timeout")
        self.assertStatus(self.get("/healthz"), 200)

    def test_partial_body(self):
        s = self.server.connect(timeout=30)
        s.sendall(b"POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                  b'{"username":')
        self.others_are_served(0.5, [s])
        self.assertDropped(s, "a client sending only part of its body")
        s.close()
        self.assertStatus(self.get("/healthz"), 200)

    def test_idle_keep_alive(self):
        s = self.server.connect(timeout=30)
        s.sendall(GET_HEALTH)
        status, _, _ = read_response(s)
        self.assertEqual(status, 200)
        got, closed, _ = recv_until_closed(s, 15)
        self.assertTrue(closed, "an idle keep-alive connection outlives --timeout 2")
        s.close()

    def test_timeout_does_not_cut_normal_requests(self):
        conn = http.client.HTTPConnection(HOST, self.server.port, timeout=30)
        for _ in range(3):
            conn.request("GET", "/healthz")
            resp = conn.getresponse()
            resp.read()
            self.assertEqual(resp.status, 200)
            # idle for 0.5 s, well within --timeout 2: the connection stays
            readable, _, _ = select.select([conn.sock], [], [], 0.5)
            self.assertEqual(readable, [], "an idle connection closed before --timeout")
        conn.close()


class PerAddressLimitTest(ServerTestCase):
    server_args = ("--max-conn-per-ip", "8", "--timeout", "30")

    def test_limit(self):
        socks = []
        try:
            for _ in range(20):
                socks.append(self.server.connect(timeout=10))
            # the gate has taken all 20: 8 held, the 12 beyond refused at once
            wait_until(self, "the 12 connections beyond the limit to be refused",
                       lambda: sum(heard_from(x) for x in socks) >= 12)
            for s in socks:
                try:
                    s.sendall(GET_HEALTH)
                except OSError:
                    pass
            outcomes = []
            deadline = time.monotonic() + 8
            for s in socks:
                try:
                    s.settimeout(max(0.2, deadline - time.monotonic()))
                    status, _, _ = read_response(s)
                    outcomes.append(status)
                except (OSError, http.client.HTTPException):
                    outcomes.append(None)
            ok = outcomes.count(200)
            refused = sum(1 for o in outcomes if o in (None, 429, 503))
            self.assertLessEqual(ok, 8, "more than 8 connections served at once: %r" % outcomes)
            self.assertGreaterEqual(ok, 1, outcomes)
            self.assertEqual(ok + refused, 20, outcomes)
            # another address is served meanwhile
            if can_bind("127.0.0.2"):
                conn = http.client.HTTPConnection(HOST, self.server.port, timeout=10,
                                                  source_address=("127.0.0.2", 0))
                conn.request("GET", "/healthz")
                self.assertEqual(conn.getresponse().status, 200,
                                 "another address refused while 127.0.0.1 is at its limit")
                conn.close()
        finally:
            for s in socks:
                s.close()
        # once they are closed, 127.0.0.1 is served again
        deadline = time.monotonic() + 10
        while True:
            try:
                r = self.server.request("GET", "/healthz", timeout=2)
                if r.status == 200:
                    break
            except AssertionError:
                pass
            self.assertLess(time.monotonic(), deadline, "127.0.0.1 still refused\n"
                            + self.server.stderr_tail())
            time.sleep(0.2)
        # and, once the server has let go of all 20, up to the limit works
        wait_until(self, "the server to close the 20 connections",
                   lambda: server_sockets(self.server.port) == [])
        held = []
        try:
            for i in range(7):
                c = http.client.HTTPConnection(HOST, self.server.port, timeout=10)
                c.request("GET", "/healthz")
                resp = c.getresponse()
                resp.read()
                self.assertEqual(resp.status, 200, "connection %d of 7 refused" % (i + 1))
                held.append(c)
        finally:
            for c in held:
                c.close()


if __name__ == "__main__":
    main()
