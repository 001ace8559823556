"""Service load test: authenticated read latency while roster jobs run, against the same at rest.

The load test, precisely:

* **Server**: ``branch-roster serve`` started as its own process on the loopback interface
  (a temporary data folder and SQLite database, the sample branch seeded, ``--workers 1``
  job slot, ``--http-workers`` server processes, 5 s solver limit per job).
* **Load generator**: ``wrk`` (C, Debian package ``wrk``) in its own process, so the
  client does not share the server's interpreter or GIL. **Closed loop**: ``--connections``
  (default 200) keep-alive connections each send the next read as soon as the previous
  answer arrived (no think time), for ``--duration`` seconds per round (default 10); with
  ``--think-ms T`` every connection waits a uniformly random 0..2T ms between reads (200
  polling clients, T on average; the jitter keeps them from firing in lockstep).
* **Reads**: every request is authenticated (``Authorization: Bearer`` session token of the
  branch manager, checked on every request) and sends ``Accept-Encoding: gzip`` (as httpx,
  requests and browsers do by default), in turn over the four reads a manager page or
  HR system makes: the job status ``GET /v1/jobs/{id}``, the roster ``GET
  /v1/jobs/{id}/result`` (JSON, ~250 KB, ~25 KB gzipped), the week's availability list ``GET
  /v1/branches/{b}/weeks/{w}/availability`` and the published week ``GET
  /v1/branches/{b}/weeks/{w}/history``. Any answer but 2xx/3xx, and any read not answered
  within 30 s, counts as an error (wrk leaves those out of the latencies).
* **Rounds**: first one job is solved and published (so every read has something to return);
  then ``--rounds`` rounds **at rest** (no job queued), then ``--jobs`` (default 10) roster
  jobs are queued and the same rounds run **under load** while they run (1 solving, the rest
  queued). Remaining jobs are cancelled and the server stopped.

* **Fast reads**: ``--fast-reads both`` measures everything twice in the same run, first
  with the server's fast reads off (``serve --no-fast-reads``: every read through FastAPI
  and the database), then on, each on a fresh server, and reports the ratios on / off.

Reports the median over rounds of p50, p95 and p99 latency and of requests per second,
errors, the p95 ratio loaded / at rest (same run; compare ratios across machines), the jobs
running and queued during the loaded rounds, and the load average before and after.

Run: ``flock /tmp/bench.lock .venv/bin/python benchmarks/service_load.py [--connections 200]
[--jobs 10] [--rounds 3] [--duration 10] [--http-workers 1] [--solver-workers 1]
[--fast-reads on|off|both]
[--json out.json]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
WEEK = "2026-W49"
BRANCH = "SH-PD-001"
HOST = "127.0.0.1"  # loopback only
PASSWORD = "bench-password-1"

WRK_SCRIPT = """
local paths = {%(paths)s}
local think = %(think)d
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1],
                    {["Authorization"] = "%(auth)s", ["Accept-Encoding"] = "gzip"})
end
math.randomseed(%(seed)d)
if think > 0 then delay = function() return math.random(0, 2 * think) end end
done = function(summary, latency, requests)
  local bad = summary.errors.connect + summary.errors.read + summary.errors.write
            + summary.errors.timeout + summary.errors.status
  io.write(string.format(
    'WRK {"p50": %%d, "p95": %%d, "p99": %%d, "requests": %%d, "seconds": %%f, "errors": %%d}\\n',
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.requests, summary.duration / 1e6, bad))
end
"""


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start_server(
    folder: Path,
    port: int,
    http_workers: int,
    time_limit: float,
    job_nice: int = 19,
    fast_reads: bool = True,
    solver_workers: int = 1,
) -> Any:
    """``branch-roster serve`` in its own process; returns it once it answers."""
    env = {**os.environ, "BRANCH_ROSTER_PASSWORD": PASSWORD, "BRANCH_ROSTER_SECRET": "b" * 40}
    cmd = [
        str(Path(sys.executable).with_name("branch-roster")),
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
        "--data",
        str(folder),
        "--workers",
        "1",
        "--time-limit",
        str(time_limit),
        "--week",
        WEEK,
        "--log-level",
        "warning",
    ]
    if http_workers != 1:
        cmd += ["--http-workers", str(http_workers)]
    if job_nice != 19:
        cmd += ["--job-nice", str(job_nice)]
    if not fast_reads:
        cmd += ["--no-fast-reads"]
    if solver_workers != 1:
        cmd += ["--solver-workers", str(solver_workers)]
    log = (folder.parent / "server.log").open("w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped; see {folder.parent / 'server.log'}")
        try:
            if httpx.get(f"http://{HOST}:{port}/openapi.json", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass  # not listening yet: ask again
        time.sleep(0.5)
    proc.terminate()
    raise SystemExit("the server did not start within 180 s")


def wrk_round(base: str, auth: str, paths: list[str], args: argparse.Namespace) -> dict:
    """One wrk round; latencies in seconds."""
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(
        WRK_SCRIPT
        % {
            "paths": ", ".join(json.dumps(p) for p in paths),
            "think": args.think_ms,
            "seed": 7,
            "auth": auth,
        }
    )
    cmd = [
        "wrk",
        "-t",
        str(args.threads),
        "-c",
        str(args.connections),
        "-d",
        f"{args.duration}s",
        "--timeout",
        "30s",
        "-s",
        str(script),
        base,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    script.unlink()
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    raw = json.loads(line[4:])
    return {
        "p50": raw["p50"] / 1e6,
        "p95": raw["p95"] / 1e6,
        "p99": raw["p99"] / 1e6,
        "rps": raw["requests"] / raw["seconds"],
        "errors": raw["errors"],
    }


def median_of(runs: list[dict]) -> dict:
    """The median of each figure over rounds (errors summed)."""
    out = {k: statistics.median(r[k] for r in runs) for k in ("p50", "p95", "p99", "rps")}
    out["errors"] = sum(r["errors"] for r in runs)
    out["rounds"] = runs
    return out


def queue_job(client: httpx.Client, time_limit: float) -> str:
    """Queue the sample week's job; returns its id."""
    resp = client.post(
        f"/v1/branches/{BRANCH}/jobs", json={"week": WEEK, "time_limit_s": time_limit}
    )
    resp.raise_for_status()
    return str(resp.json()["id"])


def job_states(client: httpx.Client, jobs: list[str]) -> dict[str, int]:
    """How many of ``jobs`` are in each state."""
    states: dict[str, int] = {}
    for job in jobs:
        status = client.get(f"/v1/jobs/{job}").json()["status"]
        states[status] = states.get(status, 0) + 1
    return states


def measure(args: argparse.Namespace, fast_reads: bool) -> dict:
    """Start a server, publish one job, then the rounds at rest and with jobs queued."""
    tmp = Path(tempfile.mkdtemp(prefix="service-load-"))
    port = free_port()
    base = f"http://{HOST}:{port}"
    server = start_server(
        tmp / "data",
        port,
        args.http_workers,
        args.time_limit,
        args.job_nice,
        fast_reads,
        args.solver_workers,
    )
    try:
        token = httpx.post(
            f"{base}/v1/auth/login", json={"username": "manager", "password": PASSWORD}
        ).json()["token"]
        auth = f"Bearer {token}"
        client = httpx.Client(base_url=base, headers={"Authorization": auth}, timeout=30)
        first = queue_job(client, args.time_limit)
        while job_states(client, [first]).get("succeeded", 0) == 0:
            if job_states(client, [first]).keys() & {"failed", "cancelled"}:
                raise SystemExit(f"the first job failed: {client.get(f'/v1/jobs/{first}').text}")
            time.sleep(0.5)
        client.post(f"/v1/jobs/{first}/publish", json={}).raise_for_status()
        paths = [
            f"/v1/jobs/{first}",
            f"/v1/jobs/{first}/result",
            f"/v1/branches/{BRANCH}/weeks/{WEEK}/availability",
            f"/v1/branches/{BRANCH}/weeks/{WEEK}/history",
        ]
        for path in paths:
            client.get(path).raise_for_status()
        rest = median_of([wrk_round(base, auth, paths, args) for _ in range(args.rounds)])
        jobs = [queue_job(client, args.time_limit) for _ in range(args.jobs)]
        time.sleep(1.0)
        states_start = job_states(client, jobs)
        busy = median_of([wrk_round(base, auth, paths, args) for _ in range(args.rounds)])
        states_end = job_states(client, jobs)
        for job in jobs:
            client.post(f"/v1/jobs/{job}/cancel")
        client.close()
    finally:
        server.terminate()
        server.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "fast_reads": fast_reads,
        "jobs_at_start_of_loaded_rounds": states_start,
        "jobs_at_end_of_loaded_rounds": states_end,
        "at_rest": rest,
        "jobs_running": busy,
        "p95_ratio": busy["p95"] / rest["p95"],
    }


def print_run(run: dict) -> None:
    """The figures of one server configuration as a small table."""
    print(
        f"fast reads {'on' if run['fast_reads'] else 'off'}: "
        f"jobs {run['jobs_at_start_of_loaded_rounds']} at the start of the loaded rounds, "
        f"{run['jobs_at_end_of_loaded_rounds']} at the end"
    )
    print(f"{'':<14}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>9}{'errors':>8}")
    for name, key in (("at rest", "at_rest"), ("jobs running", "jobs_running")):
        r = run[key]
        print(
            f"{name:<14}{1000 * r['p50']:>9.1f}{1000 * r['p95']:>9.1f}{1000 * r['p99']:>9.1f}"
            f"{r['rps']:>9.0f}{r['errors']:>8}"
        )
    print(f"p95 ratio loaded / at rest: {run['p95_ratio']:.2f}")


def main() -> None:
    """Run the load test and print (and optionally save) its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=200, help="concurrent connections")
    parser.add_argument("--jobs", type=int, default=10, help="roster jobs queued")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per round")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--think-ms", type=int, default=0, help="wait between reads")
    parser.add_argument("--http-workers", type=int, default=1, help="server processes")
    parser.add_argument("--job-nice", type=int, default=19, help="niceness of job processes")
    parser.add_argument("--time-limit", type=float, default=5.0, help="solver seconds per job")
    parser.add_argument("--solver-workers", type=int, default=1, help="CP-SAT workers per job")
    parser.add_argument(
        "--fast-reads",
        choices=("on", "off", "both"),
        default="on",
        help="serve with the fast reads on, off, or measure off then on (ratio on / off)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if not 1 <= args.connections <= 1000 or not 0 <= args.jobs <= 50:
        parser.error("keep it bounded: --connections 1..1000, --jobs 0..50")
    if shutil.which("wrk") is None:
        parser.error("needs wrk (apt-get install wrk)")

    modes = {"on": [True], "off": [False], "both": [False, True]}[args.fast_reads]
    load_before = os.getloadavg()
    runs = [measure(args, fast) for fast in modes]
    load_after = os.getloadavg()
    report: dict[str, Any] = {
        "connections": args.connections,
        "think_ms": args.think_ms,
        "duration_s": args.duration,
        "rounds": args.rounds,
        "http_workers": args.http_workers,
        "job_nice": args.job_nice,
        "jobs": args.jobs,
        "load_average_before": load_before[0],
        "load_average_after": load_after[0],
        "runs": runs,
    }
    print(
        f"{args.connections} connections, think {args.think_ms} ms, {args.rounds} rounds of "
        f"{args.duration} s, {args.http_workers} server process(es), {args.jobs} jobs queued; "
        f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after"
    )
    for run in runs:
        print_run(run)
    if len(runs) == 2:
        off, on = runs
        report["on_over_off"] = {
            key: {
                "p95": on[key]["p95"] / off[key]["p95"],
                "rps": on[key]["rps"] / off[key]["rps"],
            }
            for key in ("at_rest", "jobs_running")
        }
        for key, ratio in report["on_over_off"].items():
            print(f"{key}: p95 on / off {ratio['p95']:.2f}, reads/s on / off {ratio['rps']:.2f}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
