"""The harness the drills share: a private PostgreSQL cluster, a private Redis, gunicorn and Celery workers.

Everything runs on loopback, in a temporary directory, on ports of its own (never the machine's shared
PostgreSQL on 5432 or Redis on 6379), and is stopped by ``Stack.close()`` (process groups saved at start),
even when a drill fails or is interrupted.
"""

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG_BIN = Path(os.environ.get("DRILL_PG_BIN", "/usr/lib/postgresql/15/bin"))


class DrillFailed(Exception):
    pass


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port(preferred):
    """The preferred port if nothing listens there, else the next free one."""
    for port in range(preferred, preferred + 50):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise DrillFailed(f"no free port near {preferred}")


def wait_until(predicate, *, timeout, interval=0.2, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise DrillFailed(f"timed out after {timeout}s waiting for {what}")


def run(main):
    """Run a drill's main() as a script: its exit status, or 1 with the reason when a step failed."""
    try:
        sys.exit(main())
    except DrillFailed as exc:
        log(f"FAIL  {exc}")
        sys.exit(1)


class Check:
    """Collects named checks; a drill exits non-zero when one fails."""

    def __init__(self):
        self.results = []

    def __call__(self, name, ok, detail=""):
        self.results.append((name, bool(ok), detail))
        log(f"{'PASS' if ok else 'FAIL'}  {name}{'  (' + str(detail) + ')' if detail != '' else ''}")
        return ok

    @property
    def passed(self):
        return all(ok for _, ok, _ in self.results)


class Stack:
    """Private services for one drill. Use as a context manager."""

    def __init__(self, name, *, pg_port=5499, redis_port=6390, web_port=8390):
        self.name = name
        self.dir = Path(tempfile.mkdtemp(prefix=f"drill-{name}-"))
        os.chmod(self.dir, 0o755)
        self.pg_port = free_port(pg_port)
        self.redis_port = free_port(redis_port)
        self.web_port = free_port(web_port)
        self.db_name = f"drill_{name}"
        self.procs = {}  # name -> Popen, each the leader of its own process group
        self.pg_dir = self.dir / "pg"
        self.pg_started = False
        self.media = self.dir / "media"
        self.mail = self.dir / "mail"
        self.static = self.dir / "static"

    # --- lifecycle -------------------------------------------------------------------------------------------
    def __enter__(self):
        signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self):
        for name in list(self.procs):
            self.kill(name, signal.SIGTERM, wait=10)
        if self.pg_started:
            self.pg_stop(mode="immediate")
        if os.environ.get("DRILL_KEEP"):
            log(f"kept {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def spawn(self, name, args, *, env=None, log_name=None):
        out = open(self.dir / (log_name or f"{name}.log"), "ab")
        proc = subprocess.Popen(
            args, cwd=ROOT, env=env or self.env(), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        out.close()
        self.procs[name] = proc
        return proc

    def kill(self, name, sig=signal.SIGTERM, *, wait=10):
        """Signal a process group we started and reap it (SIGKILL if it outlives ``wait``)."""
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        _killpg(proc.pid, sig)
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            _killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        _killpg(proc.pid, signal.SIGKILL)  # pool children left in the group
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and _group_alive(proc.pid):
            time.sleep(0.1)

    def log_tail(self, name, chars=3000):
        path = self.dir / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    # --- environment -----------------------------------------------------------------------------------------
    @property
    def database_url(self):
        return f"postgres://postgres@127.0.0.1:{self.pg_port}/{self.db_name}"

    @property
    def broker_url(self):
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CELERY_", "DJANGO_", "CACHE_"))}
        env.update(
            DATABASE_URL=self.database_url,
            CELERY_BROKER_URL=self.broker_url,
            CACHE_URL=f"redis://127.0.0.1:{self.redis_port}/1",
            DEBUG="false",
            SECRET_KEY="drill-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="false",
            SITE_URL=f"http://127.0.0.1:{self.web_port}",
            MEDIA_ROOT=str(self.media),
            STATIC_ROOT=str(self.static),
            VAR_DIR=str(self.dir / "var"),
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(self.mail),
            LOG_LEVEL="WARNING",
            PYTHONPATH=str(ROOT),
        )
        env.update({k: str(v) for k, v in extra.items()})
        return env

    # --- PostgreSQL ------------------------------------------------------------------------------------------
    def _as_postgres(self, *args, timeout=120):
        done = subprocess.run(
            ["runuser", "-u", "postgres", "--", *map(str, args)], capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0:
            raise DrillFailed(f"{args[0]} failed: {done.stdout[-1500:]}{done.stderr[-1500:]}")
        return done.stdout

    def pg_init(self):
        self.pg_dir.mkdir()
        shutil.chown(self.pg_dir, "postgres", "postgres")
        self._as_postgres(PG_BIN / "initdb", "-D", self.pg_dir, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                          "--no-locale", "--no-sync")
        self.pg_start()
        self._as_postgres(PG_BIN / "createdb", "-h", "127.0.0.1", "-p", self.pg_port, self.db_name)

    def pg_start(self):
        opts = (f"-p {self.pg_port} -c listen_addresses=127.0.0.1 -k {self.pg_dir} -c fsync=off "
                "-c synchronous_commit=off -c max_connections=60")
        self._as_postgres(PG_BIN / "pg_ctl", "-D", self.pg_dir, "-l", self.pg_dir / "server.log", "-w", "-t", "60",
                          "-o", opts, "start")
        self.pg_started = True

    def pg_stop(self, mode="fast"):
        self._as_postgres(PG_BIN / "pg_ctl", "-D", self.pg_dir, "-m", mode, "-w", "-t", "60", "stop")
        self.pg_started = False

    def sql(self, query):
        """One value or rows from the drill database, read with psql (no Django in the drill process)."""
        done = subprocess.run(
            [PG_BIN / "psql", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", "-d", self.db_name,
             "-At", "-F", "\t", "-c", query],
            capture_output=True, text=True, timeout=30,
        )
        if done.returncode != 0:
            raise DrillFailed(f"psql failed: {done.stderr}")
        rows = [line.split("\t") for line in done.stdout.splitlines() if line]
        return rows

    def sql_value(self, query):
        rows = self.sql(query)
        return int(rows[0][0]) if rows else None

    def boot(self):
        """A fresh private PostgreSQL with the portal's schema, and a private Redis."""
        self.pg_init()
        self.redis_start()
        log(f"private PostgreSQL :{self.pg_port}, Redis :{self.redis_port}, gunicorn :{self.web_port}, dir {self.dir}")
        self.manage("migrate", "--noinput")

    # --- Redis -----------------------------------------------------------------------------------------------
    def redis_start(self):
        self.spawn("redis", ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", str(self.dir)])
        wait_until(lambda: self.redis_ping(), timeout=10, what="redis")

    def redis_ping(self):
        try:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def redis_stop(self):
        self.kill("redis", signal.SIGTERM)

    # --- Django ----------------------------------------------------------------------------------------------
    def manage(self, *args, timeout=600):
        done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env(), capture_output=True,
                              text=True, timeout=timeout)
        if done.returncode != 0:
            raise DrillFailed(f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
        return done.stdout

    def fixture(self, *args, timeout=600):
        """Run bench/drills/fixtures.py in the drill's environment; returns its JSON answer."""
        done = subprocess.run([PYTHON, str(ROOT / "bench" / "drills" / "fixtures.py"), *map(str, args)], cwd=ROOT,
                              env=self.env(), capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise DrillFailed(f"fixtures {args} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def worker_start(self, name="worker", *, concurrency=2, **env):
        proc = self.spawn(name, [PYTHON, "-m", "celery", "-A", "alliance", "worker", f"--concurrency={concurrency}",
                                 "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
                                 "-n", f"{name}-{os.getpid()}@%h"], env=self.env(**env), log_name=f"{name}.log")
        wait_until(lambda: b" ready." in (self.dir / f"{name}.log").read_bytes() or proc.poll() is not None,
                   timeout=60, what=f"celery {name}")
        if proc.poll() is not None:
            raise DrillFailed(f"celery {name} exited:\n{self.log_tail(name)}")
        return proc

    def web_start(self, *, workers=3, **env):
        proc = self.spawn("web", [str(ROOT / ".venv" / "bin" / "gunicorn"), "alliance.wsgi",
                                  "--bind", f"127.0.0.1:{self.web_port}", "--workers", str(workers),
                                  "--timeout", "30", "--graceful-timeout", "5"], env=self.env(**env))

        def up():
            if proc.poll() is not None:
                raise DrillFailed(f"gunicorn exited:\n{self.log_tail('web')}")
            try:
                with urllib.request.urlopen(f"{self.url}/accounts/login/", timeout=2) as response:
                    return response.status == 200
            except (OSError, urllib.error.URLError):
                return False

        wait_until(up, timeout=60, what="gunicorn")
        return proc

    @property
    def url(self):
        return f"http://127.0.0.1:{self.web_port}"


class _LoopbackCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    def return_ok_secure(self, cookie, request):
        return True


class Browser:
    """A person's browser: cookies, CSRF tokens, no automatic redirects (to see the real status codes)."""

    CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base):
        self.base = base
        # The production settings mark cookies Secure; the drills speak plain HTTP on loopback.
        self.jar = http.cookiejar.CookieJar(policy=_LoopbackCookiePolicy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), self._NoRedirect())

    def request(self, path, data=None, *, timeout=30):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        try:
            with self.opener.open(req, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read().decode(errors="replace")
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode(errors="replace")

    def csrf(self, path):
        status, _, page = self.request(path)
        match = self.CSRF.search(page)
        if status != 200 or not match:
            raise DrillFailed(f"GET {path}: {status}, no CSRF token")
        return match.group(1)

    def login(self, email, password):
        token = self.csrf("/accounts/login/")
        status, headers, _ = self.request("/accounts/login/",
                                          {"csrfmiddlewaretoken": token, "username": email, "password": password})
        if status != 302:
            raise DrillFailed(f"login of {email} answered {status}")


def _killpg(pgid, sig):
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def _group_alive(pgid):
    """True while a process of the group is still running (zombies do not count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]
