"""
Black-box harness for the thichung API tests (Python 3 standard library only).

Environment (set by tests/CMakeLists.txt):
  THC_BIN       path to the built `thichung` binary
  THC_DATA_DIR  the project's data/ directory (units.csv, population.csv)
  THC_TEST_TMP  scratch directory (created if missing)
  THC_TEST_KEEP=1 keeps every server's temporary directory for inspection

A Server runs `thichung demo --db DIR/thc.db` (schema, real units and
population, demo users), then `thichung serve --db DIR/thc.db --listen
127.0.0.1:PORT [extra args]`, and waits for GET /healthz to answer 200.
stop() sends SIGTERM and asserts the process exits 0 within 10 s.
"""

import atexit
import csv
import fcntl
import hashlib
import http.client
import json
import os
import re
import unicodedata
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def _env_path(name, default):
    value = os.environ.get(name)
    return value if value else default


BIN = _env_path("THC_BIN", os.path.join(REPO, "build", "thichung"))
DATA_DIR = _env_path("THC_DATA_DIR", os.path.join(REPO, "data"))
TEST_TMP = _env_path("THC_TEST_TMP", os.path.join(tempfile.gettempdir(), "thc-test"))
KEEP = os.environ.get("THC_TEST_KEEP") == "1"
# With THC_TEST_PG_DIR (a cluster started by scripts/pg-cluster.sh), every
# server gets a fresh PostgreSQL database instead of a SQLite file.
PG_DIR = os.environ.get("THC_TEST_PG_DIR") or None
PG_CLUSTER = os.path.join(REPO, "scripts", "pg-cluster.sh")


def new_database(dirpath):
    """A fresh database for one server: a SQLite file, or a PostgreSQL database."""
    if PG_DIR is None:
        return os.path.join(dirpath, "thc.db")
    name = "t_" + os.path.basename(dirpath).replace("-", "_").lower()
    out = subprocess.run([PG_CLUSTER, "createdb", PG_DIR, name], check=True,
                         capture_output=True, text=True, timeout=60)
    return out.stdout.strip()


def _pg_sql(sql):
    """Runs one statement on the cluster's own database "thc"; returns its output."""
    url = subprocess.run([PG_CLUSTER, "url", PG_DIR], check=True, capture_output=True,
                         text=True, timeout=60).stdout.strip()
    return subprocess.run(["psql", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-d", url,
                           "-c", sql], check=True, capture_output=True, text=True,
                          timeout=CLI_TIMEOUT).stdout.strip()


def _pg_demo_template():
    """The name of a PostgreSQL database holding `thichung demo` made by this
    binary, made once per cluster and build.  A demo on PostgreSQL is tens of
    thousands of round trips; a copy of a template is one file copy, so every
    server class after the first starts in about a second."""
    st = os.stat(BIN)
    # The demo reads the data directory's units and population (a copy of
    # data/ made of links to it makes the same demo).
    data = [os.path.realpath(os.path.join(DATA_DIR, f)) for f in ("units.csv", "population.csv")]
    key = hashlib.sha1(("%d:%d:%s:%s" % (st.st_mtime_ns, st.st_size, data, SUPPORT_EXTRA)).encode())
    name = "tpl_demo_" + key.hexdigest()[:12]
    with open(os.path.join(TEST_TMP, name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)     # one maker per cluster; the others wait
        if _pg_sql("SELECT 1 FROM pg_database WHERE datname = '%s'" % name) != "1":
            work = name + "_making"
            _pg_sql("DROP DATABASE IF EXISTS %s" % work)
            url = subprocess.run([PG_CLUSTER, "createdb", PG_DIR, work], check=True,
                                 capture_output=True, text=True, timeout=60).stdout.strip()
            rc, out, err = cli("demo", "--db", url)
            if rc != 0:
                raise AssertionError("`thichung demo` on PostgreSQL exited %d:\n%s\n%s"
                                     % (rc, out[-2000:], err[-4000:]))
            # Published under its final name only once whole.
            _pg_sql("ALTER DATABASE %s RENAME TO %s" % (work, name))
            # Earlier builds' templates go (one being copied right now stays).
            old = _pg_sql("SELECT datname FROM pg_database WHERE datname LIKE 'tpl\\_demo\\_%%'"
                          " AND datname NOT IN ('%s', '%s')" % (name, work))
            for db in old.split():
                try:
                    _pg_sql("DROP DATABASE IF EXISTS %s" % db)
                except subprocess.CalledProcessError:
                    pass
    return name


def new_demo_database(dirpath):
    """A fresh database holding the demo data, or None when the caller must
    run `thichung demo` itself (SQLite: a demo there takes a second)."""
    if PG_DIR is None:
        return None
    tpl = _pg_demo_template()
    name = "t_" + os.path.basename(dirpath).replace("-", "_").lower()
    _pg_sql("CREATE DATABASE %s TEMPLATE %s" % (name, tpl))
    return subprocess.run([PG_CLUSTER, "url", PG_DIR, name], check=True, capture_output=True,
                          text=True, timeout=60).stdout.strip()

HOST = "127.0.0.1"
DEMO_PASSWORD = "demo2021"
# username -> (role, unit code) of the demo accounts
DEMO_USERS = {
    "admin": ("admin", "VN"),
    "hanoi": ("province_officer", "01"),
    "hcm": ("province_officer", "79"),
    "badinh": ("district_officer", "001"),
    "phucxa": ("commune_officer", "00001"),
    "trucbach": ("commune_officer", "00004"),
    "ytephucxa": ("health_worker", "00001"),
    "todan1": ("team_member", "00001-001"),
    "nguoidan": ("citizen", "00001-001-0001"),
    "doanhnghiep": ("business", "00001"),
}


_VI_LETTERS = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
_VI_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vi_key(text):
    """Vietnamese alphabetical order, as the server sorts names (COLLATE vi):
    letters in the alphabet's order, then tones, then case, then bytes."""
    primary, tones, cases = [], [], []
    for ch in text:
        d = unicodedata.normalize("NFD", ch)
        tone = 0
        for m in d[1:]:
            tone = _VI_TONES.get(m, tone)
        letter = unicodedata.normalize("NFC", "".join(m for m in d if m not in _VI_TONES))
        low = "đ" if letter in "đĐ" else letter.lower()
        if low in _VI_LETTERS:
            w = 300 + _VI_LETTERS.index(low) + 1
        elif ch.isdigit() and ch.isascii():
            w, tone = 200 + int(ch), 0
        elif ch in " \t\n\r\u00a0":
            w, tone = 1, 0
        elif ord(ch) < 0x80:
            w, tone = 2 + ord(ch), 0
        else:
            w, tone = 0x10000 + ord(ch), 0
        primary.append(w)
        tones.append(tone)
        cases.append(1 if low in _VI_LETTERS and letter != low else 0)
    return (primary, tones, cases, text.encode())


HEALTH_TIMEOUT = 20.0     # seconds to wait for /healthz after start
STOP_TIMEOUT = 10.0       # seconds the server may take to exit on SIGTERM
CLI_TIMEOUT = 300.0

RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$")
VI_LETTERS = set("àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợ"
                 "ùúủũụưừứửữựỳýỷỹỵ")
VI_LETTERS |= {c.upper() for c in VI_LETTERS}

os.makedirs(TEST_TMP, exist_ok=True)

_live = []   # servers still running, killed at exit if a test left one behind


@atexit.register
def _kill_leftovers():
    for srv in list(_live):
        if srv.proc is not None and srv.proc.poll() is None:
            srv.proc.kill()
            srv.proc.wait()


def has_vietnamese_letter(text):
    return any(c in VI_LETTERS for c in text or "")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _check_bin():
    if not (os.path.isfile(BIN) and os.access(BIN, os.X_OK)):
        raise AssertionError("THC_BIN=%r is not an executable file (build the project first)" % BIN)


# A support programme still open for applications (every shipped one has
# closed), added beside data/support's.
SUPPORT_EXTRA = _env_path("THC_SUPPORT_EXTRA", os.path.join(REPO, "tests", "fixtures", "support"))


def _child_env():
    env = dict(os.environ)
    env["THC_DATA_DIR"] = DATA_DIR
    env["THC_SUPPORT_EXTRA"] = SUPPORT_EXTRA
    return env


def cli(*args, input=None, timeout=CLI_TIMEOUT):
    """Runs THC_BIN with args; returns (exit code, stdout, stderr) as text."""
    _check_bin()
    if isinstance(input, str):
        input = input.encode("utf-8")
    p = subprocess.run([BIN] + [str(a) for a in args], input=input,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout, env=_child_env(),
                       stdin=None if input is not None else subprocess.DEVNULL)
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


def qs(**params):
    """Query string with %20 for spaces and UTF-8 percent-encoding."""
    return urllib.parse.urlencode({k: v for k, v in params.items() if v is not None},
                                  quote_via=urllib.parse.quote)


def units_csv(path=None):
    """Rows of units.csv as dicts (code,name,level,parent_code,type)."""
    path = path or os.path.join(DATA_DIR, "units.csv")
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def population_csv(path=None):
    path = path or os.path.join(DATA_DIR, "population.csv")
    with open(path, encoding="utf-8", newline="") as f:
        return {r["code"]: int(r["population"]) for r in csv.DictReader(f)}


class Headers(dict):
    """Lower-cased header names; duplicates joined with ', ', all kept in get_all()."""

    def __init__(self, pairs):
        super().__init__()
        self._all = {}
        for name, value in pairs:
            key = name.lower()
            self._all.setdefault(key, []).append(value)
            self[key] = value if key not in self else self[key] + ", " + value

    def get_all(self, name):
        return list(self._all.get(name.lower(), []))


class Response:
    """Unpacks as (status, headers, json, raw); also has attributes and describe()."""

    def __init__(self, method, path, status, headers, body_json, raw):
        self.method, self.path = method, path
        self.status, self.headers, self.json, self.raw = status, headers, body_json, raw

    def _t(self):
        return (self.status, self.headers, self.json, self.raw)

    def __iter__(self):
        return iter(self._t())

    def __getitem__(self, i):
        return self._t()[i]

    def __len__(self):
        return 4

    @property
    def error_code(self):
        try:
            return self.json["error"]["code"]
        except (TypeError, KeyError):
            return None

    @property
    def error_message(self):
        try:
            return self.json["error"]["message"]
        except (TypeError, KeyError):
            return None

    def describe(self):
        body = self.raw[:600].decode("utf-8", "replace")
        return "%s %s -> %s %s" % (self.method, self.path, self.status, body)


def parse_body(raw):
    if not raw:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None


def read_response(sock, method="GET"):
    """Reads one HTTP response from a connected socket: (status, Headers, raw body)."""
    r = http.client.HTTPResponse(sock, method=method)
    r.begin()
    raw = r.read()
    return r.status, Headers(r.getheaders()), raw


class Server:
    """One thichung server on a free loopback port with a fresh database."""

    def __init__(self, *serve_args, demo=True, db=None, setup=None, name="srv"):
        self.serve_args = [str(a) for a in serve_args]
        self.demo = demo
        self.setup = setup          # callable(server) run after demo, before serve
        self.name = name
        self.dir = None
        self.db = db
        self.port = None
        self.host = HOST
        self.proc = None
        self.demo_output = ""
        self._stderr = self._stdout = None

    # ---- lifecycle ----
    def start(self):
        _check_bin()
        self.dir = tempfile.mkdtemp(prefix="%s-" % self.name, dir=TEST_TMP)
        demo = self.demo
        if self.db is None and demo:
            self.db = new_demo_database(self.dir)
            demo = self.db is None           # else copied from the template, demo and all
        if self.db is None:
            self.db = new_database(self.dir)
        if demo:
            rc, out, err = cli("demo", "--db", self.db)
            self.demo_output = out + err
            with open(os.path.join(self.dir, "demo.out"), "w", encoding="utf-8") as f:
                f.write(self.demo_output)
            if rc != 0:
                raise AssertionError("`thichung demo --db %s` exited %d:\n%s\n%s"
                                     % (self.db, rc, out[-2000:], err[-4000:]))
        if self.setup is not None:
            self.setup(self)
        self.launch()
        return self

    def launch(self):
        """Starts `serve` on the existing database and waits for /healthz."""
        self.port = free_port()
        self._stdout = open(os.path.join(self.dir, "serve.out"), "wb")
        self._stderr = open(os.path.join(self.dir, "serve.err"), "wb")
        cmd = [BIN, "serve", "--db", self.db, "--listen",
               "%s:%d" % (self.host, self.port)] + self.serve_args
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self._stdout,
                                     stderr=self._stderr, env=_child_env())
        _live.append(self)
        deadline = time.monotonic() + HEALTH_TIMEOUT
        last = None
        while time.monotonic() < deadline:
            rc = self.proc.poll()
            if rc is not None:
                raise AssertionError("server %s exited with %d before answering /healthz\n%s"
                                     % (" ".join(cmd), rc, self.stderr_tail()))
            try:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=2)
                conn.request("GET", "/healthz")
                resp = conn.getresponse()
                resp.read()
                conn.close()
                if resp.status == 200:
                    return self
                last = "status %d" % resp.status
            except OSError as e:
                last = repr(e)
            time.sleep(0.1)
        self.proc.kill()
        self.proc.wait()
        raise AssertionError("server did not answer GET /healthz 200 within %gs (last: %s)\n%s"
                             % (HEALTH_TIMEOUT, last, self.stderr_tail()))

    def terminate(self):
        """Sends SIGTERM without waiting."""
        self.proc.send_signal(signal.SIGTERM)

    def wait_exit(self, timeout=STOP_TIMEOUT):
        """Waits for exit; returns the exit code, or None if still running."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def wait_stopped(self, timeout=STOP_TIMEOUT):
        """After terminate(): waits for the exit (killing the server if it takes
        longer than timeout) and cleans up.  Returns the exit status, or None
        if it had to be killed; the caller asserts on it."""
        rc = self.wait_exit(timeout)
        if rc is None:
            self.proc.kill()
            self.proc.wait()
        self._close_files()
        if self in _live:
            _live.remove(self)
        self.proc = None
        if rc == 0 and not KEEP:
            shutil.rmtree(self.dir, ignore_errors=True)
        return rc

    def stop(self):
        """SIGTERM, then asserts exit status 0 within 10 s."""
        if self.proc is None:
            return
        already = self.proc.poll()
        if already is None:
            self.terminate()
        rc = self.wait_exit(STOP_TIMEOUT)
        if rc is None:
            self.proc.kill()
            self.proc.wait()
        self._close_files()
        if self in _live:
            _live.remove(self)
        proc, self.proc = self.proc, None
        if already is not None:
            raise AssertionError("server had already exited (status %d) before stop()\n%s"
                                 % (already, self.stderr_tail()))
        if rc is None:
            raise AssertionError("server did not exit within %gs of SIGTERM\n%s"
                                 % (STOP_TIMEOUT, self.stderr_tail()))
        if rc != 0:
            raise AssertionError("server exited with status %d after SIGTERM (want 0)\n%s"
                                 % (rc, self.stderr_tail()))
        if not KEEP:
            shutil.rmtree(self.dir, ignore_errors=True)
        del proc

    def _close_files(self):
        for f in (self._stdout, self._stderr):
            if f is not None:
                f.close()
        self._stdout = self._stderr = None

    def stderr_tail(self, n=4000):
        if not self.dir:
            return ""
        try:
            with open(os.path.join(self.dir, "serve.err"), "rb") as f:
                data = f.read()
        except OSError:
            return "(no server stderr)"
        return "--- server stderr (%s, last %d bytes) ---\n%s" % (
            os.path.join(self.dir, "serve.err"), n, data[-n:].decode("utf-8", "replace"))

    def __enter__(self):
        return self.start()

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.stop()
        else:
            try:
                self.stop()
            except AssertionError as e:
                sys.stderr.write("while handling a test failure: %s\n" % e)
        return False

    # ---- HTTP ----
    @property
    def base_url(self):
        return "http://%s:%d" % (self.host, self.port)

    def connect(self, timeout=30, source=None):
        """A raw TCP socket to the server (optionally from source address)."""
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(timeout)
        if source:
            s.bind((source, 0))
        s.connect((self.host, self.port))
        return s

    def request(self, method, path, body=None, token=None, headers=None, raw=None,
                timeout=60):
        """Returns Response (unpacks to status, headers, parsed JSON or None, raw bytes)."""
        hdrs = {}
        data = None
        if raw is not None:
            data = raw.encode("utf-8") if isinstance(raw, str) else raw
        elif body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
        if token:
            hdrs["Authorization"] = "Bearer " + token
        if headers:
            hdrs.update(headers)
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            r = conn.getresponse()
            rawbody = r.read()
            hd = Headers(r.getheaders())
            status = r.status
        except (OSError, http.client.HTTPException) as e:
            raise AssertionError("%s %s failed: %r\n%s" % (method, path, e, self.stderr_tail()))
        finally:
            conn.close()
        return Response(method, path, status, hd, parse_body(rawbody), rawbody)

    def login_response(self, username, password=DEMO_PASSWORD, headers=None):
        return self.request("POST", "/api/v1/login",
                            body={"username": username, "password": password},
                            headers=headers)

    def login(self, username, password=DEMO_PASSWORD):
        r = self.login_response(username, password)
        if r.status != 200 or not isinstance(r.json, dict) or not r.json.get("token"):
            raise AssertionError("login as %r failed: %s" % (username, r.describe()))
        return r.json["token"]

    def cli(self, *args, input=None):
        return cli(*args, input=input)


class ServerTestCase(unittest.TestCase):
    """A test class sharing one server; subclasses may set server_args."""

    server_args = ()
    server = None
    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        cls._tokens = {}
        cls.server = Server(*cls.server_args, name=cls.__name__)
        cls.server.start()
        try:
            cls.make_fixture()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def make_fixture(cls):
        """What the class's tests share, made through the API once the server is up."""

    @classmethod
    def fixture_post(cls, path, body, as_user):
        """A POST of the fixture: its JSON answer, or the class fails to set up."""
        r = cls.server.request("POST", path, body=body, token=cls.token(as_user))
        if r.status not in (200, 201) or not isinstance(r.json, dict):
            raise AssertionError("fixture: %s" % r.describe())
        return r.json

    @classmethod
    def tearDownClass(cls):
        srv, cls.server = cls.server, None
        if srv is not None:
            srv.stop()

    @classmethod
    def token(cls, username, password=DEMO_PASSWORD):
        """Logs in once per user per class."""
        if username not in cls._tokens:
            cls._tokens[username] = cls.server.login(username, password)
        return cls._tokens[username]

    def request(self, method, path, body=None, token=None, headers=None, raw=None,
                as_user=None):
        if as_user is not None:
            token = self.token(as_user)
        return self.server.request(method, path, body=body, token=token,
                                   headers=headers, raw=raw)

    def get(self, path, as_user=None, **kw):
        return self.request("GET", path, as_user=as_user, **kw)

    def post(self, path, body, as_user=None, **kw):
        return self.request("POST", path, body=body, as_user=as_user, **kw)

    # ---- assertions ----
    def assertStatus(self, resp, status, msg=None):
        want = status if isinstance(status, (tuple, list, set)) else (status,)
        if resp.status not in want:
            tail = ("\n" + self.server.stderr_tail(2000)) if resp.status >= 500 and self.server else ""
            self.fail("%sexpected status %s, got: %s%s"
                      % (msg + ": " if msg else "", "/".join(map(str, want)), resp.describe(), tail))
        if 200 <= resp.status < 300 and resp.raw and resp.json is None:
            self.fail("success body is not JSON: %s" % resp.describe())

    def assertError(self, resp, status, code=None, mentions=None, msg=None, field=None):
        """An error reply {"error":{"code","message"}} with this status (and code);
        mentions: a substring (or tuple of alternatives) the message must contain;
        field: the input the reply names in "field" (the form shows it there)."""
        self.assertStatus(resp, status, msg)
        err = (resp.json or {}).get("error") if isinstance(resp.json, dict) else None
        if not isinstance(err, dict) or not isinstance(err.get("code"), str) \
                or not isinstance(err.get("message"), str) or not err["message"]:
            self.fail("not an error object {\"error\":{\"code\",\"message\"}}: " + resp.describe())
        if code is not None:
            codes = code if isinstance(code, (tuple, list, set)) else (code,)
            if err["code"] not in codes:
                self.fail("expected error code %s: %s" % ("/".join(codes), resp.describe()))
        if mentions is not None:
            alts = mentions if isinstance(mentions, (tuple, list)) else (mentions,)
            if not any(a.lower() in err["message"].lower() for a in alts):
                self.fail("error message should name %s: %s" % (" or ".join(map(repr, alts)),
                                                                 resp.describe()))
        if field is not None and err.get("field") != field:
            self.fail("error should be at field %r: %s" % (field, resp.describe()))
        if field is None and "field" in err and not isinstance(err["field"], str):
            self.fail("\"field\" should be a string: " + resp.describe())
        return err

    def assertTime(self, value, what="time"):
        self.assertIsInstance(value, str, "%s should be an RFC 3339 string" % what)
        self.assertRegex(value, RFC3339_UTC, "%s should be a UTC RFC 3339 instant" % what)


def main():
    unittest.main(verbosity=2)
