"""`python -m bench --scales 1 10 100`: for each scale, a fresh PostgreSQL database (migrated
once into a template, then cloned), the data generated and measured by `bench.run` in a
process of its own; then one table, the targets of issue 9, and `bench/results/latest.json`
(plus a dated copy; both kept out of git).

`--check-queries` fails (exit 1) when a page runs more SQL queries at a larger scale than at
the smallest: the N+1 guard CI runs at every commit.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from bench.measures import MEASURES

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/innovaction_bench"
PYTHON = sys.executable


def _with_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_connection(url: str):
    return psycopg.connect(_with_name(url, "postgres"), autocommit=True)


def _recreate(url: str, name: str, template: str | None = None) -> None:
    with _admin_connection(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            connection.execute(f'CREATE DATABASE "{name}"')


def _env(url: str) -> dict:
    # DEBUG off: with it on, Django keeps every query's SQL, which is not what production does.
    # LOG_LEVEL warning: WeasyPrint logs every step of every PDF at info.
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "innovaction.settings",
        "LOG_LEVEL": "WARNING",
    }


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = next(
        (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")),
        "0",
    )
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    return {
        "system": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "load_average_1min_at_start": load,
    }


def _postgres_version(url: str) -> str:
    with _admin_connection(url) as connection:
        return connection.execute("SHOW server_version").fetchone()[0]


def evaluate(results: list[dict], scales: list[int]) -> list[tuple[str, bool, str]]:
    """The targets of issue 9 that these results can tell: (target, met, figures)."""
    by = {(r["name"], r["scale"]): r for r in results}
    entries = {m.name: m for m in MEASURES}
    smallest, largest = min(scales), max(scales)
    checks = []
    for name in dict.fromkeys(r["name"] for r in results):
        entry = entries.get(name)
        rows = [by[(name, s)] for s in scales if (name, s) in by]
        if entry is not None and entry.is_page and len(rows) > 1:
            counts = [r["queries"] for r in rows]
            checks.append(
                (
                    f"{name}: même nombre de requêtes à chaque échelle",
                    len(set(counts)) == 1,
                    " / ".join(f"×{r['scale']} {r['queries']}" for r in rows),
                )
            )
        top = by.get((name, largest))
        if top is None:
            continue
        if entry is not None and entry.paginated and smallest != largest and (name, smallest) in by:
            base = by[(name, smallest)]["p95_ms"]
            checks.append(
                (
                    f"{name}: p95 ×{largest} ≤ 1,5 × p95 ×{smallest}",
                    top["p95_ms"] <= 1.5 * base,
                    f"{top['p95_ms']:.0f} ms / {base:.0f} ms = {top['p95_ms'] / base:.2f}",
                )
            )
        target = entry.target_p95_ms if entry else None
        if target is not None and largest == 100:
            checks.append((f"{name}: p95 ≤ {target:.0f} ms", top["p95_ms"] <= target, f"{top['p95_ms']:.0f} ms"))
        if entry is not None and entry.target_p95_ms_1x is not None and (name, 1) in by:
            one = by[(name, 1)]["p95_ms"]
            checks.append(
                (f"{name}: p95 ×1 ≤ {entry.target_p95_ms_1x:.0f} ms", one <= entry.target_p95_ms_1x, f"{one:.0f} ms")
            )
        if entry is not None and entry.is_page and top["ratio_to_floor"] is not None:
            checks.append((f"{name}: p95 ≤ 3 × plancher", top["ratio_to_floor"] <= 3, f"× {top['ratio_to_floor']:.2f}"))
        if entry is not None and entry.compare_with and (entry.compare_with, largest) in by:
            peer = by[(entry.compare_with, largest)]["p95_ms"]
            checks.append(
                (
                    f"{name}: p95 ≤ p95 de {entry.compare_with}",
                    top["p95_ms"] <= peer,
                    f"{top['p95_ms']:.0f} ms / {peer:.0f} ms",
                )
            )
    return checks


def table(results: list[dict]) -> str:
    header = (
        f"{'mesure':<26} {'échelle':>7} {'p50 ms':>8} {'p95 ms':>8} {'requêtes':>8} {'plancher p95':>12} {'ratio':>6}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        floor = f"{r['floor_p95_ms']:.1f}" if r["floor_p95_ms"] is not None else "—"
        ratio = f"{r['ratio_to_floor']:.2f}" if r["ratio_to_floor"] is not None else "—"
        lines.append(
            f"{r['name']:<26} {'×' + str(r['scale']):>7} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} "
            f"{r['queries']:>8} {floor:>12} {ratio:>6}"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[10], choices=[1, 10, 100])
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page (at least 50 for figures)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--only", nargs="*", default=None, help="names of the measures to run")
    parser.add_argument("--data-only", action="store_true", help="generate the databases, measure nothing")
    parser.add_argument("--check-queries", action="store_true", help="fail when a page's query count grows")
    args = parser.parse_args(argv)

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    base = urlsplit(url).path.lstrip("/") or "innovaction_bench"
    scales = sorted(set(args.scales))
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    template = f"{base}_modele"
    print(f"Base modèle {template} : migrations…", flush=True)
    _recreate(url, template)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=_env(_with_name(url, template)), check=True
    )

    results, datasets = [], {}
    for scale in scales:
        name = f"{base}_x{scale}"
        print(f"Échelle ×{scale} (base {name})", flush=True)
        _recreate(url, name, template)
        out = RESULTS / f"scale-{scale}.json"
        command = [PYTHON, "-m", "bench.run", "--scale", str(scale), "--out", str(out)]
        command += ["--requests", str(args.requests), "--warmup", str(args.warmup)]
        if args.only or args.data_only:
            command += ["--only", *(args.only or [])]
        subprocess.run(command, cwd=ROOT, env=_env(_with_name(url, name)), check=True)
        payload = json.loads(out.read_text())
        datasets[scale] = {"rows": payload["dataset"], "seconds": payload["data_seconds"]}
        results.extend(payload["measures"])

    described = machine() | {"postgresql": _postgres_version(url)}
    summary = (
        f"{described['system']}, {described['cores']} cœurs {described['cpu']}, {described['memory_gib']} Gio, "
        f"PostgreSQL {described['postgresql']}, Python {described['python']}, "
        f"charge {described['load_average_1min_at_start']}"
    )
    for result in results:
        result["machine"] = summary
    checks = evaluate(results, scales)
    report = {
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "scales": scales,
        "requests": args.requests,
        "machine": described,
        "datasets": datasets,
        "measures": results,
        "targets": [{"target": t, "met": met, "figures": f} for t, met, f in checks],
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    latest = RESULTS / "latest.json"
    latest.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    shutil.copyfile(latest, RESULTS / f"run-{stamp}-x{'-'.join(map(str, scales))}.json")

    print()
    print(table(results))
    print()
    print(f"Machine : {summary}")
    print()
    for target, met, figures in checks:
        print(f"  [{'ok' if met else 'MANQUÉ'}] {target} — {figures}")
    print(f"\nRésultats : {latest.relative_to(ROOT)} ; durée totale {report['total_seconds']:.0f} s")

    if args.check_queries:
        smallest = {r["name"]: r["queries"] for r in results if r["scale"] == scales[0]}
        grown = [
            (f"{r['name']} ×{r['scale']}", f"{smallest[r['name']]} → {r['queries']} requêtes")
            for r in results
            if r["kind"] == "page" and r["name"] in smallest and r["queries"] > smallest[r["name"]]
        ]
        if grown:
            print("\nÉCHEC : le nombre de requêtes d'une page grandit avec les données (N+1 ?) :")
            for target, figures in grown:
                print(f"  {target} — {figures}")
            return 1
        print("\nNombre de requêtes constant entre les échelles : OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
