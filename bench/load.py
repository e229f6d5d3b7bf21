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

    def __init__(self, base_url, *, force_close=False):
        self.base_url = base_url.rstrip("/")
        # force_close: a new connection per request, for clients that wait longer than the server's keep-alive.
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                          connector=aiohttp.TCPConnector(force_close=force_close),
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


# --- Scenarios, run as a separate process: python -m bench.load spec.json  (prints one JSON object) ---------

def signed_in(base_url, session_key, **kwargs):
    """A Session carrying a server-side session created by the orchestrator for one account."""
    session = Session(base_url, **kwargs)
    session.http.cookie_jar.update_cookies({"sessionid": session_key}, response_url=yarl_url(base_url))
    return session


def yarl_url(base_url):
    from yarl import URL

    return URL(base_url)


async def scenario_submit(spec):
    """Each client (its own applicant) opens the form and submits a valid unit application, per alliance."""
    base = spec["base_url"]
    sessions = [signed_in(base, key) for key in spec["sessions"]]
    latencies, failures = [], []

    async def client(index, session):
        for target in spec["targets"]:
            path = f"/members/apply/{target['slug']}/unit/"
            token = await session.csrf(path)
            data = {**spec["form"], "unit_type": target["unit_type"], "unit_name": f"基准测试单位{index}号",
                    "csrfmiddlewaretoken": token, "submit": "提交申请"}
            status, body, ms = await session.post(path, data)
            if status == 302:
                latencies.append(ms)
            else:
                failures.append({"status": status, "body": body[:300]})

    await asyncio.gather(*(client(i, s) for i, s in enumerate(sessions)))
    for s in sessions:
        await s.close()
    return {"latency": summary(latencies), "failures": len(failures), "failure_sample": failures[:2]}


async def scenario_pages(spec):
    """`clients` concurrent sessions each GET `requests` paths chosen round-robin from the list."""
    base = spec["base_url"]
    sessions = [signed_in(base, spec["session"]) if spec.get("session") else Session(base)
                for _ in range(spec["clients"])]
    paths = spec["paths"]
    latencies, bad = [], 0
    for s in sessions:  # warm-up: one request each, not counted
        await s.get(paths[0])

    async def client(offset, session):
        nonlocal bad
        for i in range(spec["requests"]):
            status, _, ms = await session.get(paths[(offset + i * 7) % len(paths)])
            if status == 200:
                latencies.append(ms)
            else:
                bad += 1

    await asyncio.gather(*(client(i, s) for i, s in enumerate(sessions)))
    for s in sessions:
        await s.close()
    return {"latency": summary(latencies), "failures": bad}


async def scenario_throughput(spec):
    out = {}
    for name, path in spec["paths"].items():
        await throughput(spec["base_url"], path, clients=spec["clients"], seconds=2)  # warm-up
        out[name] = await throughput(spec["base_url"], path, clients=spec["clients"], seconds=spec["seconds"])
    return out


async def scenario_vote(spec):
    """All directors fetch the motion page (CSRF), then post their ballots at the same moment."""
    base = spec["base_url"]
    sessions = [signed_in(base, key, force_close=True) for key in spec["sessions"]]
    path = spec["path"]
    gate = asyncio.Semaphore(10)

    async def token(session):
        async with gate:
            return await session.csrf(path)

    try:
        tokens = await asyncio.gather(*(token(s) for s in sessions))
    except Exception:
        for s in sessions:
            await s.close()
        raise
    start = asyncio.Event()
    latencies, failures = [], []

    async def cast(session, tok, i):
        await start.wait()
        status, body, ms = await session.post(spec["vote_path"], {"csrfmiddlewaretoken": tok,
                                                                  "choice": ["for", "against", "abstain"][i % 3]},
                                              referer_path=path)
        (latencies if status == 302 else failures).append(ms if status == 302 else status)

    tasks = [asyncio.create_task(cast(s, t, i)) for i, (s, t) in enumerate(zip(sessions, tokens, strict=True))]
    await asyncio.sleep(0.2)
    started = time.perf_counter()
    start.set()
    await asyncio.gather(*tasks)
    wall = (time.perf_counter() - started) * 1000
    for s in sessions:
        await s.close()
    return {"latency": summary(latencies), "failures": failures, "wall_ms": wall}


SCENARIOS = {"submit": scenario_submit, "pages": scenario_pages, "throughput": scenario_throughput,
             "vote": scenario_vote}


def main(argv):
    import json

    with open(argv[1]) as f:
        spec = json.load(f)
    result = asyncio.run(asyncio.wait_for(SCENARIOS[spec["scenario"]](spec), timeout=spec.get("timeout", 300)))
    print(json.dumps(result))


if __name__ == "__main__":
    import sys

    main(sys.argv)
