"""A small asyncio load client: concurrent sessions against the portal on loopback, latencies in ms."""

import asyncio
import re
import statistics
import time

import aiohttp

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def percentile(values, p):
    """Nearest-rank percentile of a list of numbers (p in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-p * len(ordered) // 100))
    return ordered[int(rank) - 1]


def summary(latencies):
    return {"n": len(latencies), "p50": percentile(latencies, 50), "p95": percentile(latencies, 95),
            "mean": statistics.fmean(latencies) if latencies else float("nan")}


class Session:
    """One signed-in (or anonymous) browser-like client."""

    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                          timeout=aiohttp.ClientTimeout(total=60))

    async def close(self):
        await self.http.close()

    async def get(self, path):
        started = time.perf_counter()
        async with self.http.get(self.base_url + path, allow_redirects=False) as response:
            body = await response.text()
        return response.status, body, (time.perf_counter() - started) * 1000

    async def post(self, path, data, *, referer_path=None):
        started = time.perf_counter()
        headers = {"Referer": self.base_url + (referer_path or path)}
        async with self.http.post(self.base_url + path, data=data, headers=headers, allow_redirects=False) as response:
            body = await response.text()
        return response.status, body, (time.perf_counter() - started) * 1000

    async def csrf(self, path):
        status, body, _ = await self.get(path)
        match = CSRF_RE.search(body)
        if not match:
            raise RuntimeError(f"No CSRF token on {path} (HTTP {status})")
        return match.group(1)

    async def login(self, email, password):
        token = await self.csrf("/accounts/login/")
        status, _, _ = await self.post("/accounts/login/", {"csrfmiddlewaretoken": token, "username": email,
                                                            "password": password})
        if status != 302:
            raise RuntimeError(f"Login failed for {email}: HTTP {status}")


async def throughput(base_url, path, *, clients, seconds, session_factory=None):
    """Requests per second over a fixed duration with `clients` concurrent sessions; every answer must be 200."""
    sessions = [await session_factory() if session_factory else Session(base_url) for _ in range(clients)]
    done, errors = 0, 0
    deadline = time.perf_counter() + seconds

    async def loop(session):
        nonlocal done, errors
        while time.perf_counter() < deadline:
            status, _, _ = await session.get(path)
            if status == 200:
                done += 1
            else:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(loop(s) for s in sessions))
    elapsed = time.perf_counter() - started
    for session in sessions:
        await session.close()
    if errors:
        raise RuntimeError(f"{errors} non-200 answers from {path}")
    return done / elapsed
