"""Service load test: read latency while roster jobs run, against the same reads at rest.

Starts the service on the loopback interface only (a temporary data folder, the sample
branch seeded), then:

1. baseline: ``--rounds`` rounds of ``--reads`` concurrent GETs (job status and the
   published week) with no job running;
2. under load: queues ``--jobs`` roster jobs (``--slots`` run at once, the rest wait) and
   repeats the same rounds while they run;
3. cancels whatever is still queued or running and stops the server.

Reports the median over rounds of each round's p50 and p95 latency, errors, and the ratio
under load / baseline measured in the same run (compare ratios across machines).

Run: ``.venv/bin/python benchmarks/service_load.py [--reads 200] [--jobs 10] [--rounds 3]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import uvicorn  # noqa: E402

from scheduler.service import RosterService, ServiceSettings, create_app  # noqa: E402
from scheduler.service.seed import seed_sample  # noqa: E402

WEEK = "2026-W49"
BRANCH = "SH-PD-001"
HOST = "127.0.0.1"  # loopback only


def serve(settings: ServiceSettings) -> tuple[uvicorn.Server, threading.Thread, str]:
    svc = RosterService(settings)
    os.environ.setdefault("BRANCH_ROSTER_PASSWORD", "bench-password")
    seed_sample(svc, WEEK)
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, svc), host=HOST, port=0, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, thread, f"http://{HOST}:{port}"


async def one_round(base: str, headers: dict[str, str], paths: list[str], n: int) -> dict:
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=60
    ) as client:

        async def read(i: int) -> tuple[float, int]:
            t0 = time.perf_counter()
            resp = await client.get(paths[i % len(paths)])
            return time.perf_counter() - t0, resp.status_code

        results = await asyncio.gather(*(read(i) for i in range(n)))
    times = sorted(t for t, _ in results)
    return {
        "p50": statistics.median(times),
        "p95": times[min(len(times) - 1, int(0.95 * len(times)))],
        "errors": sum(1 for _, code in results if code != 200),
    }


def rounds(base: str, headers: dict[str, str], paths: list[str], n: int, k: int) -> dict:
    runs = [asyncio.run(one_round(base, headers, paths, n)) for _ in range(k)]
    return {
        "p50": statistics.median(r["p50"] for r in runs),
        "p95": statistics.median(r["p95"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=200, help="concurrent reads per round")
    parser.add_argument("--jobs", type=int, default=10, help="roster jobs queued")
    parser.add_argument("--slots", type=int, default=1, help="jobs solved at once")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=5.0, help="solver seconds per job")
    args = parser.parse_args()
    if not 1 <= args.reads <= 1000 or not 0 <= args.jobs <= 50:
        parser.error("keep it bounded: --reads 1..1000, --jobs 0..50")

    folder = Path(tempfile.mkdtemp(prefix="service-load-"))
    settings = ServiceSettings(
        data_dir=folder,
        workers=args.slots,
        solver_workers=1,
        solve_time_limit_s=args.time_limit,
        secret="b" * 40,
    )
    server, thread, base = serve(settings)
    try:
        login = httpx.post(
            f"{base}/v1/auth/login", json={"username": "manager", "password": "bench-password"}
        )
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        first = httpx.post(
            f"{base}/v1/branches/{BRANCH}/jobs",
            headers=headers,
            json={"week": WEEK, "time_limit_s": args.time_limit},
        ).json()["id"]
        while httpx.get(f"{base}/v1/jobs/{first}", headers=headers).json()["status"] in (
            "queued",
            "running",
        ):
            time.sleep(0.5)
        paths = [
            f"/v1/jobs/{first}",
            f"/v1/branches/{BRANCH}/weeks/{WEEK}/availability",
            f"/v1/jobs/{first}/result",
        ]
        rest = rounds(base, headers, paths, args.reads, args.rounds)
        jobs = [
            httpx.post(
                f"{base}/v1/branches/{BRANCH}/jobs",
                headers=headers,
                json={"week": WEEK, "time_limit_s": args.time_limit},
            ).json()["id"]
            for _ in range(args.jobs)
        ]
        time.sleep(2.0)  # let the first jobs start
        running = sum(
            httpx.get(f"{base}/v1/jobs/{j}", headers=headers).json()["status"] == "running"
            for j in jobs
        )
        busy = rounds(base, headers, paths, args.reads, args.rounds)
        for j in jobs:
            httpx.post(f"{base}/v1/jobs/{j}/cancel", headers=headers)
    finally:
        server.should_exit = True
        thread.join(30)
    load = os.getloadavg()
    print(
        f"reads per round {args.reads}, rounds {args.rounds}; {args.jobs} jobs queued, "
        f"{running} running during the loaded rounds; load average {load[0]:.1f}"
    )
    print(f"{'':<12}{'p50 ms':>10}{'p95 ms':>10}{'errors':>8}")
    for name, r in (("at rest", rest), ("jobs running", busy)):
        print(f"{name:<12}{1000 * r['p50']:>10.1f}{1000 * r['p95']:>10.1f}{r['errors']:>8}")
    print(f"p95 ratio loaded / at rest: {busy['p95'] / rest['p95']:.2f}")


if __name__ == "__main__":
    main()
