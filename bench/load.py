"""`python -m bench.load`: gunicorn on the ×10 benchmark database (generated first when it is
missing), then locust in headless mode — 20 users for 60 s, the mixed scenario of
`bench/locustfile.py` — and its requests per second, p95 and errors, in
`bench/results/load.json`. Exit 1 when any request failed."""

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

from bench.__main__ import DEFAULT_URL, PYTHON, RESULTS, ROOT, _admin_connection, _env, _with_name, machine

PASSWORD = "bench-charge-innovaction"  # noqa: S105 (synthetic accounts of a throw-away database)
VENV_BIN = Path(PYTHON).parent


def prepare(out: Path) -> None:
    """In the database of DATABASE_URL: a known password for the bench's accounts and the
    generated leads; the accounts, their projects and the month to read, as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovaction.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password

    from innovaction.models import User
    from portfolio.models import Project
    from scorecard.periods import Period

    User.objects.filter(email__endswith="@echelle.test").update(password=make_password(PASSWORD))
    leads = []
    for user in User.objects.filter(email__startswith="b.agent").order_by("pk")[:20]:
        projects = list(Project.objects.filter(lead=user).order_by("pk").values_list("pk", flat=True)[:20])
        if projects:
            leads.append({"email": user.email, "projects": projects})
    readable = list(Project.objects.filter(confidential=False).order_by("?").values_list("pk", flat=True)[:200])
    out.write_text(
        json.dumps(
            {
                "password": PASSWORD,
                "leads": leads,
                "projects": readable,
                "period": str(Period.current().previous()),
            }
        ),
        encoding="utf-8",
    )


def _has_data(url: str) -> bool:
    try:
        with psycopg.connect(url) as connection:
            return bool(connection.execute("SELECT count(*) FROM portfolio_project").fetchone()[0])
    except psycopg.Error:
        return False


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn ne répond pas sur {url}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_LOAD_PORT", 8023)))
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args(argv)
    if args.prepare:
        prepare(Path(args.prepare))
        return 0

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    base = url.rsplit("/", 1)[1] or "innovaction_bench"
    database = _with_name(url, f"{base}_x10")
    with _admin_connection(url):
        pass  # fails early and clearly when PostgreSQL is down
    if not _has_data(database):
        print("Pas encore de base ×10 : génération (python -m bench --scales 10 --data-only)…", flush=True)
        subprocess.run([PYTHON, "-m", "bench", "--scales", "10", "--data-only"], cwd=ROOT, check=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    accounts = RESULTS / "load-accounts.json"
    env = _env(database)
    subprocess.run([PYTHON, "-m", "bench.load", "--prepare", str(accounts)], cwd=ROOT, env=env, check=True)

    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "innovaction.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    host = f"http://127.0.0.1:{args.port}"
    try:
        _wait_for(f"{host}/healthz")
        prefix = RESULTS / "load"
        subprocess.run(
            [
                str(VENV_BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.users),
                "--run-time",
                f"{args.seconds}s",
                "--host",
                host,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={**env, "BENCH_LOAD_ACCOUNTS": str(accounts)},
            check=False,
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    rows = list(csv.DictReader((RESULTS / "load_stats.csv").open(encoding="utf-8")))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    report = {
        "users": args.users,
        "seconds": args.seconds,
        "gunicorn_workers": args.workers,
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "requests_per_second": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "per_endpoint": [
            {
                "name": row["Name"],
                "method": row["Type"],
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "p95_ms": float(row["95%"]),
            }
            for row in rows
            if row["Name"] != "Aggregated"
        ],
        "machine": machine(),
    }
    (RESULTS / "load.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(
        f"\nCharge : {report['users']} utilisateurs, {report['seconds']} s — {report['requests']} requêtes, "
        f"{report['requests_per_second']} req/s, p50 {report['p50_ms']:.0f} ms, p95 {report['p95_ms']:.0f} ms, "
        f"{report['errors']} erreur(s). Détail : bench/results/load.json"
    )
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
