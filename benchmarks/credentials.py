"""``python -m benchmarks.credentials``: the credential endpoint, served from its cache.

Baseline: the same standard-library HTTP server stack answering a fixed JSON document of the
same size (what any loopback endpoint costs at the least). Measured in a client process apart
from the server process, as an SDK would ask, over one kept-alive connection:

- credentials served per second from the cache, and the ratio to the baseline;
- the latency a request adds over the baseline (median and 99th percentile; target < 2 ms);
- what one renewal costs (``resolve_keys``: ``api.session`` and botocore's cached role keys),
  which the cache saves on every other request.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import textwrap
from collections.abc import Sequence

from .world import PROFILE, world

TARGET_ADDED_MS = 2.0

# The server process: our endpoint for the profile and a baseline that always answers the same
# bytes; prints where both are, then serves until its stdin closes.
SERVER = """
    import json, sys, time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    import threading
    import ipyawssso
    from ipyawssso.core.credential_server import AUTHORIZATION_ENV, resolve_keys

    server = ipyawssso.serve_credentials({profile!r})
    started = time.perf_counter()
    for _ in range(20):
        resolve_keys({profile!r})
    renewal_s = (time.perf_counter() - started) / 20
    body = json.dumps({{"AccessKeyId": "A" * 20, "SecretAccessKey": "S" * 40,
                       "Token": "T" * 80, "Expiration": "2030-01-01T00:00:00Z"}}).encode()

    class Fixed(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        def log_message(self, *args):
            pass

    baseline = ThreadingHTTPServer(("127.0.0.1", 0), Fixed)
    baseline.daemon_threads = True
    threading.Thread(target=baseline.serve_forever, daemon=True).start()
    print(json.dumps({{"url": server.url, "token": server.env[AUTHORIZATION_ENV],
                      "baseline": f"http://127.0.0.1:{{baseline.server_address[1]}}/",
                      "renewal_s": renewal_s}}), flush=True)
    sys.stdin.read()
"""

# The client process: N requests on one connection to each URL, alternating blocks so that
# neither gets a warmer machine; latencies in seconds.
CLIENT = """
    import http.client, json, os, statistics, time
    from urllib.parse import urlsplit

    def run(url, token, n):
        parts = urlsplit(url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        headers = {{"Authorization": token}} if token else {{}}
        times = []
        for _ in range(n):
            t = time.perf_counter()
            conn.request("GET", parts.path or "/", headers=headers)
            answer = conn.getresponse()
            data = answer.read()
            times.append(time.perf_counter() - t)
            assert answer.status == 200, (answer.status, data)
        conn.close()
        return times

    ours, base = [], []
    run(os.environ["BENCH_URL"], os.environ["BENCH_TOKEN"], 200)  # warm up both
    run(os.environ["BENCH_BASELINE"], "", 200)
    for _ in range({blocks}):
        ours += run(os.environ["BENCH_URL"], os.environ["BENCH_TOKEN"], {block})
        base += run(os.environ["BENCH_BASELINE"], "", {block})

    def summary(times):
        times = sorted(times)
        return {{"median": statistics.median(times), "p99": times[int(len(times) * 0.99)],
                 "rps": len(times) / sum(times)}}

    print(json.dumps({{"ours": summary(ours), "baseline": summary(base)}}))
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.credentials", description=__doc__)
    parser.add_argument("--requests", type=int, default=5000, help="per endpoint")
    args = parser.parse_args(argv)
    block = 250
    blocks = max(1, args.requests // block)
    print(
        f"credential endpoint: {blocks * block} requests per endpoint on one kept-alive "
        f"connection, client and server in separate processes; Python "
        f"{platform.python_version()} on {platform.machine()}"
    )
    with world(accounts=1, roles_per_account=1) as here:
        server = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(SERVER.format(profile=PROFILE))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=here.env,
            cwd=str(here.home),
        )
        try:
            assert server.stdout is not None
            where = json.loads(server.stdout.readline())
            here.sandbox.reset_calls()
            result = here.run(
                CLIENT.format(blocks=blocks, block=block),
                BENCH_URL=where["url"],
                BENCH_TOKEN=where["token"],
                BENCH_BASELINE=where["baseline"],
            )
        finally:
            if server.stdin is not None:
                server.stdin.close()
            server.wait(timeout=30)
    ours, base = result["ours"], result["baseline"]
    added = (ours["median"] - base["median"]) * 1000
    added_p99 = (ours["p99"] - base["p99"]) * 1000
    calls = sum(here.sandbox.calls.values())
    rows = [
        ("ours: credentials served per second (cache)", f"{ours['rps']:,.0f}/s", ""),
        ("baseline: fixed JSON, same HTTP stack", f"{base['rps']:,.0f}/s", ""),
        ("RATIO ours / baseline throughput", f"{ours['rps'] / base['rps']:.2f}x", ""),
        (
            "ours: latency per request (median / p99)",
            f"{ours['median'] * 1000:.3f} / {ours['p99'] * 1000:.3f} ms",
            "",
        ),
        (
            "baseline: latency per request (median / p99)",
            f"{base['median'] * 1000:.3f} / {base['p99'] * 1000:.3f} ms",
            "",
        ),
        (
            "added latency from the cache (median / p99)",
            f"{added:.3f} / {added_p99:.3f} ms",
            f"target < {TARGET_ADDED_MS:g} ms: "
            + ("met" if max(added, added_p99) < TARGET_ADDED_MS else "MISSED"),
        ),
        (
            "one renewal (resolve_keys: api.session + cached role keys)",
            f"{where['renewal_s'] * 1000:.1f} ms",
            f"{where['renewal_s'] / ours['median']:.0f}x a cached answer",
        ),
        ("AWS calls while serving", str(calls), "all from the cache" if calls == 0 else ""),
    ]
    width = max(len(r[0]) for r in rows)
    value = max(len(r[1]) for r in rows)
    print()
    for name, figure, note in rows:
        print(f"{name:<{width}}  {figure:>{value}}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
