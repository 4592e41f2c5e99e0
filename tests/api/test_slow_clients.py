"""
Slow clients ("slowloris") must not starve everyone else.

The audit's reproduction: 1,100 connections from 22 addresses, each sending
one byte of its request headers every few seconds.  Before the fix,
libmicrohttpd's idle timeout restarted with every byte, the connections
filled the 1,024 slots (64 allowed per address) and every other request
waited until they left.  Now a request's headers must be complete within
--header-timeout of the connection (10 s by default), and when the server
is full it drops the connections that have not finished their headers,
oldest first, so that a complete request always gets in.

The attack runs with --max-conn-per-ip 64 (the audit's setting, and the
old default), so that the 1,100 connections exceed the 1,024 slots: the
lower default of 32 per address would hold them to 704 on its own.  Every
dropped connection reconnects (at most once a second each), so the
pressure stays for the whole 30 seconds, while a normal request from
127.0.0.1 is timed every half second: each one must be answered, 200, in
under a second.

Only loopback addresses, a bounded number of connections and a bounded
duration.  127.0.0.2..127.0.0.23 are loopback on Linux (127.0.0.0/8).
"""

import http.client
import os
import resource
import selectors
import socket
import threading
import time
import unittest

from harness import HOST, Server, cli, main

ADDRESSES = ["127.0.0.%d" % i for i in range(2, 24)]       # 22 addresses
CONNECTIONS = 1100                                           # 50 per address
HOLD_S = 30.0
PROBE_EVERY_S = 0.5
PROBE_LIMIT_S = 1.0
BYTE_EVERY_S = 3.0            # each slow connection sends a byte this often
RECONNECT_AFTER_S = 1.0       # a dropped one comes back after this long
HEAD = b"GET /api/v1/units/01 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "


def one_unit(server):
    """The probe's unit, without the whole demo database (faster on PostgreSQL)."""
    path = os.path.join(server.dir, "units.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("code,name,level,parent_code,type\n01,Thành phố Hà Nội,province,,Thành phố Trung ương\n")
    for args in (("migrate", "--db", server.db), ("import", "units", "--db", server.db, path)):
        rc, out, err = cli(*args)
        if rc != 0:
            raise AssertionError("thichung %s: %s%s" % (" ".join(args[:2]), out, err))


def raise_fd_limit(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= need:
        return True
    if hard != resource.RLIM_INFINITY and hard < need:
        return False
    resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))
    return True


def can_bind(addr):
    try:
        with socket.socket() as s:
            s.bind((addr, 0))
        return True
    except OSError:
        return False


class SlowConn:
    """One attacking connection: its socket, the next time it acts."""

    def __init__(self, addr, due):
        self.addr = addr
        self.sock = None
        self.due = due            # next byte, or next reconnect when sock is None
        self.sent = 0


class Attack:
    """CONNECTIONS slow connections held from ADDRESSES by one thread."""

    def __init__(self, port):
        self.port = port
        self.sel = selectors.DefaultSelector()
        self.conns = [SlowConn(ADDRESSES[i % len(ADDRESSES)], 0.0) for i in range(CONNECTIONS)]
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.open = 0             # connected and not yet dropped by the server
        self.max_open = 0
        self.dropped = 0          # closed by the server (timeout, eviction, limit)
        self.connects = 0
        self.errors = []

    def _connect(self, c, now):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            s.bind((c.addr, 0))
            s.connect_ex((HOST, self.port))
        except OSError as e:
            s.close()
            c.due = now + RECONNECT_AFTER_S
            self.errors.append("connect from %s: %r" % (c.addr, e))
            return
        c.sock = s
        c.sent = 0
        # Spread the bytes so that the server sees a steady trickle.
        c.due = now + 0.2 + (id(c) % 1000) / 1000.0 * BYTE_EVERY_S
        self.sel.register(s, selectors.EVENT_READ, c)
        with self.lock:
            self.connects += 1
            self.open += 1
            self.max_open = max(self.max_open, self.open)

    def _drop(self, c, now):
        self.sel.unregister(c.sock)
        c.sock.close()
        c.sock = None
        c.due = now + RECONNECT_AFTER_S
        with self.lock:
            self.open -= 1
            self.dropped += 1

    def _send(self, c, now):
        data = HEAD if c.sent == 0 else b"a"
        try:
            c.sock.send(data)
            c.sent += 1
            c.due = now + BYTE_EVERY_S
        except BlockingIOError:            # still connecting: try again soon
            c.due = now + 0.2
        except OSError:
            self._drop(c, now)

    def run(self):
        ramp = time.monotonic()
        for i, c in enumerate(self.conns):  # about 1,100 a second, not all at once
            c.due = ramp + i / 1100.0
        while not self.stop.is_set():
            now = time.monotonic()
            for key, _ in self.sel.select(timeout=0.05):
                c = key.data
                try:
                    data = c.sock.recv(4096)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if not data:
                    self._drop(c, now)   # the server closed it (maybe after a 408)
            now = time.monotonic()
            for c in self.conns:
                if c.due > now:
                    continue
                if c.sock is None:
                    self._connect(c, now)
                else:
                    self._send(c, now)
        for c in self.conns:
            if c.sock is not None:
                self.sel.unregister(c.sock)
                c.sock.close()
        self.sel.close()


def probe(port):
    """GET /api/v1/units/01 from 127.0.0.1 on a new connection: (status or
    error text, seconds)."""
    t0 = time.monotonic()
    conn = http.client.HTTPConnection(HOST, port, timeout=PROBE_LIMIT_S)
    try:
        conn.request("GET", "/api/v1/units/01")
        resp = conn.getresponse()
        resp.read()
        return resp.status, time.monotonic() - t0
    except (OSError, http.client.HTTPException) as e:
        return repr(e), time.monotonic() - t0
    finally:
        conn.close()


class SlowlorisTest(unittest.TestCase):

    def test_others_served_while_1100_slow_connections_hold_on(self):
        if not all(can_bind(a) for a in (ADDRESSES[0], ADDRESSES[-1])):
            self.skipTest("127.0.0.2..23 are not usable as source addresses")
        if not raise_fd_limit(CONNECTIONS + 256):
            self.skipTest("RLIMIT_NOFILE too low for %d connections" % CONNECTIONS)
        srv = Server("--max-conn-per-ip", "64", demo=False, setup=one_unit,
                     name="slowloris").start()
        attack = Attack(srv.port)
        thread = threading.Thread(target=attack.run, daemon=True)
        probes = []
        try:
            thread.start()
            # Ramp up: until (nearly) every slow connection is open.
            deadline = time.monotonic() + 10
            while attack.max_open < CONNECTIONS - 100 and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertGreaterEqual(attack.max_open, CONNECTIONS - 100,
                                    "could not open the slow connections: %r" % attack.errors[:3])
            end = time.monotonic() + HOLD_S
            while time.monotonic() < end:
                t = time.monotonic()
                status, took = probe(srv.port)
                probes.append((round(t - end + HOLD_S, 1), status, round(took, 3), attack.open))
                time.sleep(max(0.0, PROBE_EVERY_S - (time.monotonic() - t)))
        finally:
            attack.stop.set()
            thread.join(10)
        bad = [p for p in probes if p[1] != 200 or p[2] >= PROBE_LIMIT_S]
        summary = ("%d probes, slowest %.3f s; slow connections: %d opened, at most %d at "
                   "once, %d dropped by the server"
                   % (len(probes), max(p[2] for p in probes), attack.connects,
                      attack.max_open, attack.dropped))
        self.assertEqual(bad, [], "probes (second, status, seconds, slow connections open) "
                         "that failed or took %g s or more; %s\n%s"
                         % (PROBE_LIMIT_S, summary, srv.stderr_tail(1500)))
        self.assertGreaterEqual(len(probes), int(HOLD_S / PROBE_EVERY_S) - 2, summary)
        # The attack did hold the server full: more connections than it has slots.
        self.assertGreater(attack.max_open, 1024, summary)
        # and the server shed them (header deadline, eviction) rather than
        # serving them: each one came back at least once.
        self.assertGreater(attack.dropped, CONNECTIONS, summary)
        print(summary)
        srv.stop()

    def test_default_per_address_limit(self):
        """32 connections per address by default; the 33rd is closed at once."""
        if not can_bind(ADDRESSES[0]):
            self.skipTest("127.0.0.2 is not usable as a source address")
        srv = Server(demo=False, name="per-address").start()
        socks = []
        try:
            for _ in range(40):
                s = socket.socket()
                s.bind((ADDRESSES[0], 0))
                s.settimeout(5)
                s.connect((HOST, srv.port))
                s.sendall(b"GET /healthz HTTP/1.1\r\n")      # headers left unfinished
                socks.append(s)
            closed = 0
            for s in socks[32:]:
                s.settimeout(1)
                try:
                    closed += s.recv(100) == b""
                except ConnectionResetError:
                    closed += 1
                except socket.timeout:
                    pass
            self.assertEqual(closed, 8, "connections 33..40 from one address")
            # The 32 others are still open, and another address is served.
            r = srv.request("GET", "/healthz", timeout=5)
            self.assertEqual(r.status, 200)
        finally:
            for s in socks:
                s.close()
        srv.stop()


if __name__ == "__main__":
    main()
