"""Generate one scale's data in the (empty, migrated) database of DATABASE_URL and measure
every registered entry; write the results as JSON. Run by `python -m bench`, one process per
scale, so each scale gets its own database and settings.

Requests go in-process through Django's test Client — the whole stack (middleware, session,
authentication, CSP, templates) against the real PostgreSQL database — without the network
and WSGI server in between: those add the same cost to every page and their noise would drown
the differences the targets are about. `make load` measures through gunicorn instead.
Each page and its floor are requested alternately, so both see the same machine load.
"""

import argparse
import json
import os
import statistics
import sys
import time


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = fraction * (len(ordered) - 1)
    low = int(index)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (index - low)


def _timed(function) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def _get(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} → {response.status_code}")
    return response


def measure(entry, context, clients, *, requests: int, warmup: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # A slow task sets fewer runs; a quick run (--requests 5, CI) never does more than asked.
    repeat = min(entry.repeat, requests) if entry.repeat else requests
    if entry.is_page:
        client = clients[entry.role]
        url = entry.url(context)
        work = lambda: _get(client, url)  # noqa: E731
        floor_url = entry.floor_url(context) if entry.floor_url else None
        floor = (lambda: _get(client, floor_url)) if floor_url else None
    else:
        work = lambda: entry.run(context)  # noqa: E731
        floor = entry.floor_run(context) if entry.floor_run else None
    for _ in range(warmup):
        work()
        if floor:
            floor()
    with CaptureQueriesContext(connection) as captured:
        work()
    # Read now: the next request resets the connection's query log.
    queries = len(captured.captured_queries)
    times, floor_times = [], []
    for _ in range(repeat):
        times.append(_timed(work))
        if floor:
            floor_times.append(_timed(floor))
    p95 = _percentile(times, 0.95)
    floor_p95 = _percentile(floor_times, 0.95) if floor_times else None
    return {
        "name": entry.name,
        "scale": context.scale,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "queries": queries,
        "floor_p50_ms": round(statistics.median(floor_times), 1) if floor_times else None,
        "floor_p95_ms": round(floor_p95, 1) if floor_p95 is not None else None,
        "ratio_to_floor": round(p95 / floor_p95, 2) if floor_p95 else None,
        "runs": repeat,
        "kind": "page" if entry.is_page else "task",
        "url": entry.url(context) if entry.is_page else None,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--only", nargs="*", default=None, help="names of the measures to run")
    parser.add_argument("--out", required=True)
    parser.add_argument("--reuse", action="store_true", help="measure the data already there (no generation)")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovaction.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    from bench import generate
    from bench.measures import MEASURES, Context
    from innovaction.middleware import SlidingSessionMiddleware
    from portfolio.choices import Phase
    from portfolio.models import Project
    from scorecard.periods import Period

    scale = generate.SCALES[args.scale]
    started = time.perf_counter()
    dataset = {} if args.reuse else generate.build(scale)
    data_seconds = time.perf_counter() - started
    print(f"  données ×{scale.factor} : {dataset} en {data_seconds:.1f} s", flush=True)

    # The session's once-a-minute refresh (SlidingSessionMiddleware) is not a page's cost: left
    # out, so that a page's query count does not depend on when the minute ends.
    SlidingSessionMiddleware.EVERY = float("inf")
    users = generate._bench_users()
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    # A typical file: in progress, not confidential, the same code at every scale.
    project = Project.objects.filter(phase=Phase.REALISATION, confidential=False).order_by("code").first()
    context = Context(scale=scale.factor, period=str(Period.current().previous()), project_pk=project.pk)

    results = []
    with override_settings(ROOT_URLCONF="bench.urls"):
        for entry in MEASURES:
            if args.only is not None and entry.name not in args.only:
                continue
            result = measure(entry, context, clients, requests=args.requests, warmup=args.warmup)
            results.append(result)
            floor = f"{result['floor_p95_ms']:.1f}" if result["floor_p95_ms"] is not None else "—"
            print(
                f"  {result['name']:<26} p50 {result['p50_ms']:>8.1f}  p95 {result['p95_ms']:>8.1f}  "
                f"plancher p95 {floor:>7}  requêtes {result['queries']:>3}",
                flush=True,
            )
    payload = {
        "scale": scale.factor,
        "dataset": dataset,
        "data_seconds": round(data_seconds, 1),
        "debug": settings.DEBUG,
        "measures": results,
    }
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=2, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
