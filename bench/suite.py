"""`make bench`: the shop's answers against the framework ceiling, side by side in one run, at 1k/100k/1M SKUs.

For each catalog size (built once into BENCH_DATA_DIR/<skus>/ by `manage.py generate_catalog`; a `.built`
marker written last lets a second run start at once) the suite starts the shop exactly as `make run` does
(scripts/run.sh, web process only, no demo data), once with the catalog cache and once without
(`CATALOG_CACHE_TIMEOUT=0`), and:

- throughput (the largest catalog of the run): each scenario's exact answer is served by the framework ceiling
  (../shared/bench/ceiling.py, 2 sync gunicorn workers); shop and ceiling are measured alternately
  (`wrk -t1 -c16`, ALTERNATIONS times each) and the figure is the median of the ratios shop/ceiling;
- one-client latency at every size (`wrk -t1 -c1`): p50, p95, p99 of list, detail and the search term list, the
  sizes side by side (every size's shop running, each scenario measured on each size in turn, ALTERNATIONS times);
- queries per request (bench/catalog_bench.py, in process) and the largest web worker's resident memory;
- orders: bench/orders_bench.py, when it offers `--json-out` (SQLite, and PostgreSQL through
  scripts/test-services.sh).

It prints one Markdown table and writes it, with a latency chart (docs/performance-latency.png), into
docs/performance.md between the bench markers. `QUICK=1` (or --quick): 1k SKUs only, 3-second runs, one
alternation, a few scenarios: about a minute.
"""

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CEILING_DIR = ROOT.parent / "shared" / "bench"
DOC = ROOT / "docs" / "performance.md"
CHART = ROOT / "docs" / "performance-latency.png"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
PYTHON = str(ROOT / ".venv" / "bin" / "python")


@dataclass
class Scenario:
    """A path to measure, named, with the SQL statements one uncached request of it runs."""

    name: str
    path: str
    queries: int


@dataclass
class Row:
    """One line of the table."""

    scenario: str
    skus: int
    shop_rps: float | None = None
    ceiling_rps: float | None = None
    ratio: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    queries: int | None = None
    rss_mb: float | None = None
    pss_mb: float | None = None
    notes: list[str] = field(default_factory=list)


def parse_wrk(output: str) -> dict[str, float]:
    """The JSON line bench/wrk_report.lua prints at the end of a wrk run."""
    for line in output.splitlines():
        if line.startswith("WRKJSON "):
            return dict(json.loads(line[len("WRKJSON ") :]))
    raise RuntimeError(f"wrk printed no report:\n{output}")


def median_ratio(pairs: list[tuple[float, float]]) -> float:
    """The median of shop/ceiling over alternated measurements."""
    return statistics.median(shop / ceiling for shop, ceiling in pairs if ceiling > 0)


def wrk(url: str, *, connections: int, seconds: float) -> dict[str, float]:
    """Run wrk against the URL and return its report."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(ROOT / "bench" / "wrk_report.lua"), url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    return parse_wrk(result.stdout)


def wait_until_up(url: str, seconds: float = 180) -> None:
    """Poll the URL until it answers 200."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - loopback
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up in {seconds} s")


def descendants(pid: int) -> list[int]:
    """Every process below pid."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def gunicorn_workers(pid: int) -> list[int]:
    """The gunicorn workers (not the master) under pid."""
    workers = []
    for process in descendants(pid):
        try:
            cmdline = Path(f"/proc/{process}/cmdline").read_bytes()
            status = Path(f"/proc/{process}/status").read_text()
            parent = int(re.search(r"^PPid:\s+(\d+)", status, re.M).group(1))  # type: ignore[union-attr]
            parent_cmdline = Path(f"/proc/{parent}/cmdline").read_bytes()
        except (OSError, AttributeError):
            continue
        # A worker's parent is gunicorn's master, not the shell that honcho starts the master with.
        shell = Path(os.fsdecode(parent_cmdline.split(b"\0")[0])).name in {"sh", "bash", "dash"}
        if b"gunicorn" in cmdline and b"gunicorn" in parent_cmdline and not shell:
            workers.append(process)
    return workers


def _largest_mb(pid: int, file: str, field_name: str) -> float | None:
    """The largest `field_name` (kB) of /proc/<worker>/<file> over the gunicorn workers under pid, in MB."""
    sizes = []
    for worker in gunicorn_workers(pid):
        try:
            found = re.search(rf"^{field_name}:\s+(\d+) kB", Path(f"/proc/{worker}/{file}").read_text(), re.M)
        except OSError:
            continue
        if found:
            sizes.append(int(found.group(1)) / 1024)
    return max(sizes) if sizes else None


def worker_rss_mb(pid: int) -> float | None:
    """The largest resident memory (RSS: every page mapped, shared ones included) of the gunicorn workers, in MB."""
    return _largest_mb(pid, "status", "VmRSS")


def worker_pss_mb(pid: int) -> float | None:
    """The largest proportional memory (PSS: a page shared by n processes counts 1/n, so the workers' sum is what
    they cost the machine) of the gunicorn workers, in MB."""
    return _largest_mb(pid, "smaps_rollup", "Pss")


def _cpu_ticks(pid: int) -> int:
    """CPU time (user + system, in clock ticks) a process has used."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def wait_until_settled(pid: int, workers: int, quiet: float = 0.5, seconds: float = 120) -> None:
    """Wait until the server's `workers` gunicorn workers exist and none has used the CPU for `quiet` seconds.

    The health check answers as soon as one worker is up; another may still be loading the shop, sharing the two
    cores with the one being measured (a cold worker in the measured window: a one-client p99 of 70-100 ms).
    """
    deadline = time.monotonic() + seconds
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        pids = gunicorn_workers(pid)
        used = sum(_cpu_ticks(worker) for worker in pids)
        if len(pids) < workers or used != last:
            last, since = used, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.1)
    raise RuntimeError(f"the workers under {pid} did not settle in {seconds} s")


@contextmanager
def started(command: list[str], env: dict[str, str], health: str, log: Path) -> Iterator[int]:
    """Start a server in its own process group, wait for health, stop the whole group afterwards."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until_up(health)
        wait_until_settled(process.pid, int(env.get("WEB_CONCURRENCY", "2")))
        yield process.pid
    finally:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(process.pid, sig)
                process.wait(timeout=20)
                break
            except (ProcessLookupError, subprocess.TimeoutExpired):
                continue


def shop(data_dir: Path, port: int, *, cached: bool, log: Path) -> AbstractContextManager[int]:
    """The shop as `make run` starts it (web only, no demo data) on this catalog."""
    env = {**os.environ, "MEIDUO_DATA_DIR": str(data_dir), "HOST": "127.0.0.1", "PORT": str(port)}
    env.update(MEIDUO_LOAD_DEMO="0", MEIDUO_RUN_PROCESSES="web", DJANGO_SETTINGS_MODULE="config.settings.base")
    # wrk's thousands of requests a second come from loopback: exempt it from the API's default request rates.
    env.update(THROTTLE_EXEMPT_IPS="127.0.0.1")
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)
    if not cached:
        env["CATALOG_CACHE_TIMEOUT"] = "0"
    return started(["scripts/run.sh"], env, f"http://127.0.0.1:{port}/healthz", log)


def ceiling(body: Path, port: int, log: Path) -> AbstractContextManager[int]:
    """The framework ceiling serving exactly these bytes."""
    env = {**os.environ, "BODY_FILE": str(body)}
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "-w",
        "2",
        "-b",
        f"127.0.0.1:{port}",
        "--chdir",
        str(CEILING_DIR),
        "ceiling:application",
    ]
    return started(command, env, f"http://127.0.0.1:{port}/", log)


def build_catalog(data_dir: Path, skus: int) -> None:
    """Migrate and generate the catalog once (the `.built` marker is written last); a built one is migrated to
    the current schema (a no-op when it is)."""
    env = {**os.environ, "MEIDUO_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)
    if (data_dir / ".built").exists():
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    print(f"bench: building the {skus:,}-SKU catalog in {data_dir} (once)", flush=True)
    started_at = time.monotonic()
    for command in (["migrate", "--noinput", "-v0"], ["generate_catalog", "--skus", str(skus)]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)
    (data_dir / ".built").write_text(f"{skus} SKUs built in {time.monotonic() - started_at:.0f} s\n")


def describe(data_dir: Path) -> dict[str, list[Scenario]]:
    """The throughput and latency scenarios of this catalog with their queries per request (bench/catalog_bench.py)."""
    env = {**os.environ, "MEIDUO_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    result = subprocess.run(
        [PYTHON, "bench/catalog_bench.py"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    described = json.loads(result.stdout.strip().splitlines()[-1])
    return {kind: [Scenario(**item) for item in described[kind]] for kind in ("throughput", "latency")}


def fetch(url: str) -> bytes:
    """The exact body the shop answers."""
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - loopback
        return bytes(answer.read())


def throughput(data_dir: Path, skus: int, scenarios: list[Scenario], args: argparse.Namespace, work: Path) -> list[Row]:
    """Each scenario, cached and uncached, alternated with the ceiling serving the same bytes."""
    rows = []
    shop_port, ceiling_port = args.port, args.port + 2
    for cached in (True, False):
        with shop(data_dir, shop_port, cached=cached, log=work / "shop.log") as shop_pid:
            for scenario in scenarios:
                url = f"http://127.0.0.1:{shop_port}{scenario.path}"
                body = work / "body.json"
                body.write_bytes(fetch(url))
                wrk(url, connections=16, seconds=1)  # warm the workers on this answer
                row = Row(
                    f"{scenario.name} ({'cached' if cached else 'uncached'})",
                    skus,
                    queries=None if cached else scenario.queries,
                )
                pairs, shop_runs = [], []
                with ceiling(body, ceiling_port, work / "ceiling.log"):
                    wrk(f"http://127.0.0.1:{ceiling_port}/", connections=16, seconds=1)
                    for _ in range(args.alternations):
                        mine = wrk(url, connections=16, seconds=args.seconds)
                        theirs = wrk(f"http://127.0.0.1:{ceiling_port}/", connections=16, seconds=args.seconds)
                        pairs.append((mine["rps"], theirs["rps"]))
                        shop_runs.append(mine)
                        if mine["non_2xx"] or mine["socket_errors"]:
                            row.notes.append(
                                f"{int(mine['non_2xx'])} non-2xx, {int(mine['socket_errors'])} socket errors"
                            )
                row.shop_rps = statistics.median(p[0] for p in pairs)
                row.ceiling_rps = statistics.median(p[1] for p in pairs)
                row.ratio = median_ratio(pairs)
                row.p50_ms = statistics.median(run["p50_ms"] for run in shop_runs)
                row.p99_ms = statistics.median(run["p99_ms"] for run in shop_runs)
                row.rss_mb, row.pss_mb = worker_rss_mb(shop_pid), worker_pss_mb(shop_pid)
                print(format_row(row), flush=True)
                rows.append(row)
    return rows


def warm(url: str, pid: int, tries: int = 5) -> None:
    """Warm every web worker of the server `pid` on this answer before a one-client run measures it.

    One connection reaches one worker, and the 4 of a warm-up may all reach the same one, leaving the other to meet
    the scenario cold in a measured run (one-client p99s of 40-60 ms, and 63 ms once in a full run). So the warm-up
    is repeated until each worker has used the CPU during it."""
    for _ in range(tries):
        before = {worker: _cpu_ticks(worker) for worker in gunicorn_workers(pid)}
        wrk(url, connections=4, seconds=1)
        if all(_cpu_ticks(worker) > ticks for worker, ticks in before.items()):
            return


def latency(catalogs: dict[int, list[Scenario]], args: argparse.Namespace, work: Path) -> list[Row]:
    """One client, uncached: p50/p95/p99 of each latency scenario at every catalog size, side by side.

    Every size's shop runs at once (idle but for the one measured), and each scenario is measured on each size
    in turn, `args.alternations` times: a 1M figure and its 1k counterpart are taken in the same minute, as a
    ratio and its ceiling are, instead of minutes apart (a run taken later on a busier or slower machine moved
    sub-millisecond p50s by 0.3 ms). A row's rate and p50 are the medians of its runs, its p95 and p99 the worst
    run's.
    """
    seconds = max(1, round(args.seconds / args.alternations))
    reports: dict[tuple[int, str], list[dict[str, float]]] = {}
    rows = []
    with ExitStack() as stack:
        urls, pids = {}, {}
        for index, skus in enumerate(catalogs):
            port = args.port + 1 + index
            data_dir = args.data_dir / str(skus)
            pids[skus] = stack.enter_context(shop(data_dir, port, cached=False, log=work / f"shop-{skus}.log"))
            urls[skus] = f"http://127.0.0.1:{port}"
        names = list(dict.fromkeys(scenario.name for scenarios in catalogs.values() for scenario in scenarios))
        for name in names:
            at = [
                (skus, scenario)
                for skus, scenarios in catalogs.items()
                for scenario in scenarios
                if scenario.name == name
            ]
            for skus, scenario in at:
                warm(urls[skus] + scenario.path, pids[skus])
            for _ in range(args.alternations):
                for skus, scenario in at:
                    report = wrk(urls[skus] + scenario.path, connections=1, seconds=seconds)
                    reports.setdefault((skus, name), []).append(report)
            smallest = min(skus for skus, _scenario in at)
            for skus, scenario in at:
                runs = reports[skus, name]
                row = Row(
                    f"1 client: {scenario.name}",
                    skus,
                    shop_rps=statistics.median(run["rps"] for run in runs),
                    p50_ms=statistics.median(run["p50_ms"] for run in runs),
                    p95_ms=max(run["p95_ms"] for run in runs),
                    p99_ms=max(run["p99_ms"] for run in runs),
                    queries=scenario.queries,
                )
                row.rss_mb, row.pss_mb = worker_rss_mb(pids[skus]), worker_pss_mb(pids[skus])
                if skus != smallest and row.p50_ms:  # the scale target: p50 against the smallest catalog's
                    base = statistics.median(run["p50_ms"] for run in reports[smallest, name])
                    row.notes.append(f"p50 {row.p50_ms / base:.2f}× the {smallest:,}-SKU p50")
                print(format_row(row), flush=True)
                rows.append(row)
    order = list(catalogs)
    return sorted(rows, key=lambda row: order.index(row.skus))  # grouped by size, each in its scenarios' order


def orders(args: argparse.Namespace, work: Path) -> list[Row]:
    """Order placement rows from bench/orders_bench.py (SQLite, then PostgreSQL), when it offers --json-out."""
    script = ROOT / "bench" / "orders_bench.py"
    if "--json-out" not in script.read_text():
        return [
            Row("orders (cart add + order)", 0, notes=["not measured: bench/orders_bench.py has no --json-out yet"])
        ]
    rows = []
    for engine, prefix in (("sqlite", []), ("postgres", ["scripts/test-services.sh"])):
        out = work / f"orders-{engine}.json"
        command = [*prefix, PYTHON, str(script), "--json-out", str(out), *(["--quick"] if args.quick else [])]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if result.returncode != 0 or not out.exists():
            rows.append(Row(f"orders on {engine}", 0, notes=[f"failed: {result.stderr.strip()[-200:]}"]))
            continue
        for item in json.loads(out.read_text()):
            rows.append(
                Row(
                    f"{item['scenario']} ({item['engine']})",
                    0,
                    item.get("shop_rps"),
                    item.get("ceiling_rps"),
                    item.get("ratio"),
                    item.get("p50_ms"),
                    None,
                    item.get("p99_ms"),
                    item.get("queries_per_request"),
                    item.get("worker_rss_mb"),
                    notes=[f"oversold {item.get('oversold')}, server errors {item.get('server_errors')}"],
                )
            )
    return rows


def number(value: float | None, digits: int = 0) -> str:
    """A table cell."""
    return "—" if value is None else f"{value:,.{digits}f}"


COLUMNS = (
    "scenario | SKUs | shop req/s | ceiling req/s | ratio | p50 ms | p95 ms | p99 ms | queries/req"
    " | worker RSS / PSS MB"
)
COLUMNS += " | notes"
HEADER = f"| {COLUMNS} |\n| --- |{' ---: |' * 9} --- |"


def format_row(row: Row) -> str:
    """One Markdown table line."""
    ratio = "—" if row.ratio is None else f"{row.ratio:.2f}×"
    cells = [
        row.scenario,
        number(row.skus) if row.skus else "—",
        number(row.shop_rps),
        number(row.ceiling_rps),
        ratio,
        number(row.p50_ms, 2),
        number(row.p95_ms, 2),
        number(row.p99_ms, 2),
        number(row.queries),
        number(row.rss_mb) + ("" if row.pss_mb is None else f" / {number(row.pss_mb)}"),
        "; ".join(row.notes),
    ]
    return f"| {' | '.join(cells)} |"


def chart(rows: list[Row]) -> bool:
    """Latency (p50) against catalog size, one line per one-client scenario; False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        # Scenario names hold Chinese search words: a CJK font when the machine has one (make test installs it).
        matplotlib.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "Noto Sans CJK JP", "DejaVu Sans"]
    except ImportError:
        return False
    series: dict[str, list[tuple[int, float]]] = {}
    for row in rows:
        if row.scenario.startswith("1 client: ") and row.p50_ms is not None:
            series.setdefault(row.scenario.removeprefix("1 client: "), []).append((row.skus, row.p50_ms))
    if not series:
        return False
    figure, axes = plt.subplots(figsize=(9, 5.5))
    for name, points in sorted(series.items()):
        points.sort()
        axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=name)
    axes.set_xscale("log")
    axes.set_xlabel("SKUs in the catalog")
    axes.set_ylabel("p50 latency, one client, uncached (ms)")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=7, ncol=2)
    figure.tight_layout()
    figure.savefig(CHART, dpi=100)
    return True


def write_doc(table: str, header: str) -> None:
    """Put the table between the bench markers of docs/performance.md."""
    text = DOC.read_text() if DOC.exists() else f"# Performance\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text += f"\n## Latest `make bench`\n\n{BEGIN}\n{END}\n"
    before, rest = text.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    DOC.write_text(f"{before}{BEGIN}\n{header}\n\n{table}\n{END}{after}")


def main() -> None:
    """Build the catalogs, run every scenario, print and write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", default=os.environ.get("QUICK") not in (None, "", "0"))
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("BENCH_DATA_DIR", ROOT / "var" / "bench")))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "18400")))
    parser.add_argument("--no-orders", action="store_true", help="skip the order scenarios")
    args = parser.parse_args()
    sizes = [1_000] if args.quick else [1_000, 100_000, 1_000_000]
    args.seconds = 3 if args.quick else 8
    args.alternations = 1 if args.quick else 3
    subprocess.run(["scripts/apt-install.sh", "wrk"], cwd=ROOT, check=True)
    for skus in sizes:
        build_catalog(args.data_dir / str(skus), skus)
    rows: list[Row] = []
    print(HEADER, flush=True)
    with tempfile.TemporaryDirectory(prefix="meiduo-bench-") as folder:
        work = Path(folder)
        described = {skus: describe(args.data_dir / str(skus)) for skus in sizes}
        catalogs = {skus: described[skus]["latency"][: 4 if args.quick else None] for skus in sizes}
        rows += latency(catalogs, args, work)
        throughput_at = sizes[0] if args.quick else 100_000  # throughput at 100k SKUs, as the issue measured it
        scenarios = described[throughput_at]["throughput"]
        rows += throughput(
            args.data_dir / str(throughput_at), throughput_at, scenarios[:3] if args.quick else scenarios, args, work
        )
        if not args.no_orders:
            rows += orders(args, work)
    table = "\n".join([HEADER, *(format_row(row) for row in rows)])
    drawn = chart(rows)
    stamp = time.strftime("%Y-%m-%d %H:%M %Z")
    header = (
        f"Measured {stamp} on {os.cpu_count()} cores{' (QUICK)' if args.quick else ''}; ratio = median of "
        f"shop/ceiling over {args.alternations} alternated {args.seconds}-s wrk runs, 16 connections."
    )
    if drawn:
        header += f"\n\n![latency against catalog size]({CHART.name})"
    write_doc(table, header)
    print(f"\nbench: table written to {DOC.relative_to(ROOT)}{' with ' + CHART.name if drawn else ''}")


if __name__ == "__main__":
    main()
