"""mrpl performance benchmark: one command, one machine, one table.

    python bench/run.py            # the full run (several minutes)
    python bench/run.py --quick    # tiny sizes, few repeats: proves it runs

Run it with the interpreter of an environment where mrpl is installed from a wheel
(`pip install .`, not `-e`): the commands timed are the `mrplc` beside that interpreter.
An editable install adds its import hook to every start (the reference's too), and the
bench says so when it finds one; with no `mrplc` there it times `python -m mrpl` from the
checkout. See docs/performance.md.

Measures, against fixed references on the same machine:
  1. parse + check throughput (MB/s) against PyYAML's C loader on the same plan as YAML;
  2. cold `mrplc check` of the largest example against `python -c "import lark, click"`
     (paired, alternating runs);
  3. scaling: the 10x and 100x synthetic plans against the 1x plan;
  4. the language server: start to the first diagnostics of an open plan against a cold
     `mrplc check` of it, and didChange to publishDiagnostics on a 1,000-line plan (5 runs);
  5. `mrplc check DIR` over a 200-plan portfolio against the sum of the plans' warm
     parse + check times;
  6. `mrplc build --to pdf` against `--to md`, every example; `--to tex` of the largest;
  7. peak memory of `mrplc check` on the 100x plan against its file size.
Results are printed as Markdown (see docs/performance.md); nothing here asserts.
"""

from __future__ import annotations

import argparse
import compileall
import gc
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import generate  # noqa: E402  (bench/ is on the path above)
from lsp_client import LspTimeout, measure_lsp_latency, time_to_first_diagnostics  # noqa: E402

import mrpl  # noqa: E402

HEAVY_MODULES = ("jinja2", "markupsafe", "pygls", "lsprotocol", "cattrs", "mrpl.lsp", "mrpl.render", "mrpl.build")
MB = 1_000_000


@dataclass(frozen=True, slots=True)
class Settings:
    factors: tuple[int, ...]
    repeats: int  # in-process timings: the median of this many
    cold_runs: int  # subprocess timings: the median of this many
    lsp_edits: int
    lsp_lines: int
    base_bytes: int | None  # None: the size of the largest example

    lsp_runs: int = 5  # the keystroke latency: fresh servers, each its own p95
    portfolio_plans: int = 200
    build_runs: int = 3  # per example and format
    all_examples: bool = True  # build every example (else the largest only)


FULL = Settings(factors=(1, 10, 100), repeats=5, cold_runs=15, lsp_edits=60, lsp_lines=1000, base_bytes=None)
QUICK = Settings(
    factors=(1, 2, 3), repeats=1, cold_runs=2, lsp_edits=3, lsp_lines=150, base_bytes=8_000,
    lsp_runs=1, portfolio_plans=4, build_runs=1, all_examples=False,
)  # fmt: skip
COLD_TARGET, COLD_STRETCH = 1.5, 1.3
ISSUE_EXAMPLE = (
    ROOT / "examples" / "udlaendingestyrelsen-2022.mrp"
)  # with a shared module: two files  # cold check / import lark, click
LSP_START_TARGET = 3.0  # LSP start to first diagnostics / cold check
LSP_P95_S = 0.030
PORTFOLIO_TARGET = 1.2  # check DIR / sum of warm per-plan parse + check
PDF_TARGET = 2.0  # build --to pdf / build --to md


@dataclass(slots=True)
class Row:
    """One line of the results table."""

    measure: str
    value: str
    reference: str
    ratio: float | None
    target: str
    met: bool | None
    note: str = ""


@dataclass(slots=True)
class Report:
    rows: list[Row] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        print(f"  {row.measure}: {row.value} (ratio {_fmt_ratio(row.ratio)}, target {row.target})", file=sys.stderr)


# ---------------------------------------------------------------- helpers


def median_time(action: Callable[[], Any], repeats: int, *, collector: bool = True) -> float:
    """Median wall time of `action`, each run from a collected heap. With `collector=False`
    Python's cyclic garbage collector is off during the runs (as `timeit` does)."""
    times = []
    for _ in range(repeats):
        gc.collect()
        if not collector:
            gc.disable()
        try:
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return statistics.median(times)


def installed_mrplc() -> str | None:
    """The `mrplc` console script beside this interpreter (its environment's), if any."""
    script = Path(sys.executable).with_name("mrplc")
    return str(script) if script.is_file() else None


def mrplc_command() -> list[str]:
    """The installed `mrplc` when there is one, else the checkout through `python -m mrpl`."""
    exe = installed_mrplc()
    return [exe] if exe else [sys.executable, "-m", "mrpl"]


def child_env() -> dict[str, str]:
    """The environment of the timed commands: the checkout on the path only when mrpl is not
    installed (an installed mrpl is timed as installed)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if installed_mrplc() is None:
        env["PYTHONPATH"] = str(ROOT)
    return env


def install_warnings() -> list[str]:
    """What makes the cold figures unlike a user's: an editable install, a stale one, none."""
    if installed_mrplc() is None:
        return [
            f"mrpl is not installed in {sys.prefix}: timing `python -m mrpl` from the checkout "
            "(install it with `pip install .` and run the bench with that interpreter)."
        ]
    probe = "import mrpl, sys; print(mrpl.__file__); print(any('__editable__' in str(p) for p in sys.meta_path + sys.path_hooks))"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tempfile.gettempdir(),
                          env=child_env(), check=False)  # fmt: skip
    lines = proc.stdout.split()
    if len(lines) < 2:
        return [f"could not import the installed mrpl: {proc.stderr.strip()[-300:]}"]
    package = Path(lines[0]).resolve().parent
    if lines[1] == "True" or package == (ROOT / "mrpl").resolve():
        return ["mrpl is an editable install here: every start pays its import hook (the reference's too). "
                "Measure a wheel install: `pip install .` (see docs/performance.md)."]  # fmt: skip
    stale = [p.name for p in sorted((ROOT / "mrpl").rglob("*.py"))
             if not (package / p.relative_to(ROOT / "mrpl")).is_file()
             or (package / p.relative_to(ROOT / "mrpl")).read_bytes() != p.read_bytes()]  # fmt: skip
    if stale:
        return [f"the installed mrpl ({package}) differs from the checkout ({', '.join(stale[:5])}): "
                "reinstall with `pip install .`"]  # fmt: skip
    return []


def warn(message: str) -> None:
    print(f"bench: WARNING: {message}", file=sys.stderr)


def run_quiet(cmd: list[str], cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, capture_output=True, text=True, cwd=cwd or tempfile.gettempdir(), env=child_env(), check=False
    )


def median_wall(cmd: list[str], runs: int, cwd: str | None = None) -> tuple[float, int]:
    """Median wall time of a subprocess and its (last) exit code."""
    times, code = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        code = run_quiet(cmd, cwd).returncode
        times.append(time.perf_counter() - start)
    return statistics.median(times), code


def paired_times(actions: list[Callable[[], Any]], runs: int) -> tuple[list[float], list[float]]:
    """Median wall time of each action, run alternately (a, b, a, b, ...) so that a change in
    the machine's load falls on all of them alike; and the median CPU time (user + system) of
    the child processes each action ran and waited for, which a busy machine inflates less."""
    walls: list[list[float]] = [[] for _ in actions]
    cpus: list[list[float]] = [[] for _ in actions]
    for action in actions:  # warm the OS file cache
        action()
    for _ in range(runs):
        for i, action in enumerate(actions):
            cpu, start = _children_cpu(), time.perf_counter()
            action()
            walls[i].append(time.perf_counter() - start)
            cpus[i].append(_children_cpu() - cpu)
    return [statistics.median(t) for t in walls], [statistics.median(t) for t in cpus]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_command(cmd: list[str], cwd: str | None = None) -> Callable[[], int]:
    return lambda: run_quiet(cmd, cwd).returncode


def has_command(name: str) -> bool:
    return run_quiet([*mrplc_command(), name, "--help"]).returncode == 0


def checker() -> Callable[[Any], Any] | None:
    """The semantic checker `check(load_result)`, once it exists."""
    found = getattr(mrpl, "check", None)
    if callable(found):
        return found
    try:
        from mrpl import check as module  # type: ignore[attr-defined]
    except ImportError:
        return None
    return getattr(module, "check", None)


def largest_example() -> Path | None:
    plans = sorted((ROOT / "examples").rglob("*.mrp"), key=lambda p: p.stat().st_size)
    return plans[-1] if plans else None


def _fmt_ratio(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:.2f}×"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


# ---------------------------------------------------------------- 1 + 3: throughput and scaling


@dataclass(frozen=True, slots=True)
class Sized:
    factor: int
    path: Path
    yaml_path: Path
    mrpl_bytes: int
    yaml_bytes: int


def write_plans(settings: Settings, base_bytes: int, workdir: Path) -> list[Sized]:
    """The synthetic plans at each factor, each also written as YAML of its AST."""
    import yaml

    from mrpl.serialize import to_data

    plans = []
    for factor in settings.factors:
        path = workdir / f"plan-{factor}x.mrp"
        generate.write_atomic(str(path), generate.plan_of_bytes(base_bytes * factor))
        result = mrpl.load_file(str(path))
        check = checker()
        found = list(result.diagnostics) + (list(check(result) or []) if check and result.plan else [])
        errors = [d for d in found if d.severity.name == "ERROR"]
        if errors or result.plan is None:
            raise SystemExit(f"bench: the generated {path.name} has errors: {[d.message for d in errors[:3]]}")
        dumped = yaml.dump(to_data(result.plan), Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
        yaml_path = path.with_suffix(".yaml")
        generate.write_atomic(str(yaml_path), dumped)
        plans.append(Sized(factor, path, yaml_path, path.stat().st_size, yaml_path.stat().st_size))
    return plans


def parse_and_check(path: Path) -> None:
    result = mrpl.load_file(str(path))
    check = checker()
    if check is not None:
        check(result)


def yaml_load(path: Path) -> None:
    import yaml

    with open(path, encoding="utf-8") as fh:
        yaml.load(fh.read(), Loader=yaml.CSafeLoader)


def measure_throughput(plans: list[Sized], settings: Settings, report: Report) -> dict[int, float]:
    import yaml

    if not yaml.__with_libyaml__:
        report.details.append("PyYAML has no libyaml here: the reference is the pure-Python loader.")
    parse_and_check(plans[0].path)  # build the parser tables once, as a long-lived process would
    what = "parse + check" if checker() else "parse + load (no checker yet)"
    times: dict[int, float] = {}
    lines = [
        "| size | mrpl bytes | mrpl time | mrpl MB/s | YAML bytes | PyYAML-C time | PyYAML-C MB/s | ratio "
        "| collector off: mrpl | PyYAML-C | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for plan in plans:
        repeats = settings.repeats if plan.factor < 100 else 1  # 100x: tens of seconds per run
        t_mrpl = median_time(lambda p=plan.path: parse_and_check(p), repeats)
        t_yaml = median_time(lambda p=plan.yaml_path: yaml_load(p), repeats)
        # The same with the cyclic collector off for both: each parser's own speed. mrpl
        # pauses the collector itself while it parses and checks; PyYAML does not.
        t_mrpl_off = median_time(lambda p=plan.path: parse_and_check(p), repeats, collector=False)
        t_yaml_off = median_time(lambda p=plan.yaml_path: yaml_load(p), repeats, collector=False)
        times[plan.factor] = t_mrpl
        ratio = _per_byte(plan, t_mrpl, t_yaml)
        ratio_off = _per_byte(plan, t_mrpl_off, t_yaml_off)
        mbs_mrpl, mbs_yaml = plan.mrpl_bytes / t_mrpl / MB, plan.yaml_bytes / t_yaml / MB
        lines.append(
            f"| {plan.factor}× | {plan.mrpl_bytes:,} | {_ms(t_mrpl)} | {mbs_mrpl:.2f} | {plan.yaml_bytes:,} "
            f"| {_ms(t_yaml)} | {mbs_yaml:.2f} | {ratio:.2f}× | {_ms(t_mrpl_off)} | {_ms(t_yaml_off)} | {ratio_off:.2f}× |"
        )
        if plan.factor == plans[min(1, len(plans) - 1)].factor:
            report.add(
                Row(f"{what} throughput ({plan.factor}× plan)", f"{mbs_mrpl:.2f} MB/s", f"PyYAML-C {mbs_yaml:.2f} MB/s",
                    ratio, "≥ 1.0×", ratio >= 1.0, "same content; each in its own format's bytes")
            )  # fmt: skip
            report.add(
                Row(f"the same, collector off for both ({plan.factor}× plan)",
                    f"{plan.mrpl_bytes / t_mrpl_off / MB:.2f} MB/s", f"PyYAML-C {plan.yaml_bytes / t_yaml_off / MB:.2f} MB/s",
                    ratio_off, "(reported)", None, "each parser's own speed")
            )  # fmt: skip
    report.details.append(
        "Throughput per size (" + what + "; median of " + str(settings.repeats) + "):\n\n" + "\n".join(lines)
    )
    return times


def _per_byte(plan: Sized, t_mrpl: float, t_yaml: float) -> float:
    """mrpl's MB/s over PyYAML-C's, each on its own format's bytes."""
    return (plan.mrpl_bytes / t_mrpl) / (plan.yaml_bytes / t_yaml)


def report_scaling(plans: list[Sized], times: dict[int, float], report: Report) -> None:
    base = plans[0]
    for plan in plans[1:]:
        ratio = times[plan.factor] / times[base.factor]
        size_ratio = plan.mrpl_bytes / base.mrpl_bytes
        limit = 1.1 * size_ratio
        report.add(
            Row(
                f"scaling: {plan.factor}× plan vs 1×",
                f"{_ms(times[plan.factor])} vs {_ms(times[base.factor])}",
                f"size {size_ratio:.1f}×",
                ratio,
                f"≤ {limit:.0f}×",
                ratio <= limit,
            )
        )


# ---------------------------------------------------------------- 2: cold start


def measure_cold_start(example: Path, settings: Settings, report: Report, profile: bool = True) -> float | None:
    """Cold `mrplc check` against `import lark, click`, paired; returns the check's time."""
    if not has_command("check"):
        report.add(
            Row("cold `mrplc check`", "not yet measured", "", None, "≤ 1.5×", None, "`mrplc check` does not exist yet")
        )
        return None
    cmd = [*mrplc_command(), "check", str(example)]
    floor_cmd = [sys.executable, "-c", "import lark, click"]
    # A checkout (editable, or not installed) run with PYTHONDONTWRITEBYTECODE=1 would compile
    # every mrpl module on each run; an installed wheel has its bytecode compiled (pip does it).
    compileall.compile_dir(str(ROOT / "mrpl"), quiet=1)
    codes: list[int] = []
    (t_check, t_floor), (cpu_check, cpu_floor) = paired_times(
        [lambda: codes.append(run_command(cmd)()), run_command(floor_cmd)], settings.cold_runs
    )
    ratio = t_check / t_floor
    code = codes[-1]
    note = (
        f"exit {code}"
        + ("" if code == 0 else ": the example's own errors")
        + f"; median of {settings.cold_runs} paired runs; CPU time {_ms(cpu_check)} vs {_ms(cpu_floor)}: "
        + f"{cpu_check / cpu_floor:.2f}×"
    )
    report.add(
        Row(
            f"cold `mrplc check {example.relative_to(ROOT)}`",
            _ms(t_check),
            f"import lark, click: {_ms(t_floor)}",
            ratio,
            f"≤ {COLD_TARGET}× (stretch {COLD_STRETCH}×)",
            ratio <= COLD_TARGET,
            note + ("; stretch met" if ratio <= COLD_STRETCH else ""),
        )
    )
    if profile:
        report.details.append(import_profile(cmd))
    return t_check


def import_profile(cmd: list[str]) -> str:
    """Which heavy modules `mrplc check` imports, and the slowest imports (`python -X importtime`)."""
    argv = cmd if cmd[0] == sys.executable else [sys.executable, "-c", "from mrpl.console import run; run()", *cmd[1:]]
    proc = run_quiet([sys.executable, "-X", "importtime", *argv[1:]])
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
        if parts[0].isdigit():
            rows.append((int(parts[1]), parts[2].strip()))
    names = {name for _, name in rows}
    heavy = sorted(m for m in names if any(m == h or m.startswith(h + ".") for h in HEAVY_MODULES))
    top = sorted(((us, name) for us, name in rows if "." not in name or name.startswith("mrpl")), reverse=True)[:8]
    listing = ", ".join(f"{name} {us / 1000:.0f} ms" for us, name in top)
    verdict = "none" if not heavy else ", ".join(heavy)
    return f"`-X importtime` of `mrplc check`: heavy modules imported: {verdict}. Slowest top-level imports (cumulative): {listing}."


# ---------------------------------------------------------------- 4: language server


def measure_lsp_start(example: Path, settings: Settings, report: Report) -> None:
    """Start to the first diagnostics of an open plan, paired with a cold `mrplc check` of it."""
    if not has_command("lsp"):
        return
    text = example.read_text(encoding="utf-8")
    check = run_command([*mrplc_command(), "check", str(example)])
    starts: list[float] = []

    def start() -> None:
        starts.append(time_to_first_diagnostics([*mrplc_command(), "lsp"], example, text, child_env()))

    runs = max(1, settings.cold_runs // 3)
    try:
        (t_check, _), (cpu_check, cpu_start) = paired_times([check, start], runs)
    except (LspTimeout, OSError) as exc:
        report.add(Row("LSP start → first diagnostics", "failed", "", None, f"≤ {LSP_START_TARGET}×", False, str(exc)))
        return
    t_start = statistics.median(starts[1:] or starts)  # the first was the warm-up
    ratio = t_start / t_check
    report.add(
        Row(
            f"LSP start → first diagnostics (`{example.relative_to(ROOT)}` opened)",
            _ms(t_start),
            f"cold mrplc check of it: {_ms(t_check)}",
            ratio,
            f"≤ {LSP_START_TARGET}×",
            ratio <= LSP_START_TARGET,
            f"median of {runs} paired runs; CPU time {_ms(cpu_start)} vs {_ms(cpu_check)}: {cpu_start / cpu_check:.2f}×",
        )
    )


def measure_lsp(settings: Settings, workdir: Path, report: Report) -> None:
    if not (ROOT / "mrpl" / "lsp.py").exists() or not has_command("lsp"):
        report.add(Row("LSP didChange → diagnostics", "not yet measured", "", None, "≤ 30 ms p95", None,
                       "`mrplc lsp` does not exist yet"))  # fmt: skip
        return
    path = workdir / "lsp-plan.mrp"
    text = generate.plan_of_lines(settings.lsp_lines)
    generate.write_atomic(str(path), text)
    runs: list[tuple[float, float, int]] = []  # p95, median, edits
    for _ in range(settings.lsp_runs):
        try:
            latencies = measure_lsp_latency([*mrplc_command(), "lsp"], path, text, settings.lsp_edits, child_env())
        except (LspTimeout, OSError) as exc:
            report.add(Row("LSP didChange → diagnostics", "failed", "", None, "≤ 30 ms p95", False, str(exc)))
            return
        latencies.sort()
        p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
        runs.append((p95, statistics.median(latencies), len(latencies)))
    met = sum(p95 <= LSP_P95_S for p95, _, _ in runs)
    worst = max(p95 for p95, _, _ in runs)
    lines = text.count("\n")
    report.add(
        Row(
            f"LSP didChange → diagnostics ({lines} lines, {runs[0][2]} edits a run, {len(runs)} runs)",
            "p95 " + ", ".join(f"{p95 * 1000:.1f}" for p95, _, _ in runs) + " ms; median "
            + ", ".join(f"{m * 1000:.1f}" for _, m, _ in runs) + " ms",
            "30 ms",
            worst / LSP_P95_S,
            f"≤ 30 ms p95 in {len(runs)} of {len(runs)} runs",
            met == len(runs),
            f"met in {met} of {len(runs)}; ratio: the worst run's p95",
        )
    )  # fmt: skip


# ---------------------------------------------------------------- portfolio


def measure_portfolio(settings: Settings, workdir: Path, report: Report) -> None:
    """`mrplc check DIR` over a generated portfolio against the sum of its plans' warm times."""
    folder = workdir / "portfolio"
    paths = generate.portfolio(str(folder), settings.portfolio_plans)
    for path in paths[:3]:
        parse_and_check(Path(path))  # warm: tables loaded, scanners compiled, as in one process
    warm = sum(median_time(lambda p=Path(path): parse_and_check(p), 1) for path in paths)
    t_dir, code = median_wall([*mrplc_command(), "check", str(folder)], 1 if settings.portfolio_plans > 20 else 3)
    ratio = t_dir / warm
    size = sum(Path(p).stat().st_size for p in paths)
    report.add(
        Row(
            f"`mrplc check DIR`, {len(paths)} plans ({size / MB:.1f} MB), one process",
            f"{t_dir:.2f} s (exit {code})",
            f"sum of warm parse + check: {warm:.2f} s",
            ratio,
            f"≤ {PORTFOLIO_TARGET}×",
            ratio <= PORTFOLIO_TARGET,
            "start-up, results and the checks across plans included",
        )
    )


# ---------------------------------------------------------------- 5: build and memory


def measure_build(example: Path, settings: Settings, workdir: Path, report: Report, t_check: float | None) -> None:
    """`build --to pdf` against `--to md` of every example (paired); `--to tex` of the largest."""
    if not has_command("build") or not has_command("check"):
        report.add(Row("`mrplc build`", "not yet measured", "", None, "—", None, "`mrplc build` does not exist yet"))
        return
    out = workdir / "build"

    def build(path: Path, fmt: str) -> list[str]:
        return [*mrplc_command(), "build", str(path), "--to", fmt, "--output-dir", str(out), "--force"]

    examples = sorted((ROOT / "examples").glob("*.mrp")) if settings.all_examples else [example]
    lines = ["`mrplc build --to pdf` against `--to md`, per example (median of "
             f"{settings.build_runs} paired runs):", "", "| example | md | pdf | ratio | CPU-time ratio |", "|---|---:|---:|---:|---:|"]  # fmt: skip
    worst: tuple[float, Path, float, float] | None = None
    for path in examples:
        if run_quiet(build(path, "md")).returncode != 0:
            lines.append(f"| {path.name} | does not build | | | |")
            continue
        (t_md, t_pdf), (cpu_md, cpu_pdf) = paired_times(
            [run_command(build(path, "md")), run_command(build(path, "pdf"))], settings.build_runs
        )
        lines.append(f"| {path.name} | {_ms(t_md)} | {_ms(t_pdf)} | {t_pdf / t_md:.2f}× | {cpu_pdf / cpu_md:.2f}× |")
        if worst is None or t_pdf / t_md > worst[0]:
            worst = (t_pdf / t_md, path, t_md, t_pdf)
    if worst is not None:
        ratio, path, t_md, t_pdf = worst
        report.add(
            Row(
                f"`mrplc build --to pdf` ({len(examples)} example{'s' if len(examples) > 1 else ''}; the worst: {path.name})",
                _ms(t_pdf),
                f"--to md: {_ms(t_md)}",
                ratio,
                f"≤ {PDF_TARGET}× for every example",
                ratio <= PDF_TARGET,
            )
        )
        report.details.append("\n".join(lines))
    t_tex, code = median_wall(build(example, "tex"), settings.build_runs)
    if t_check is not None:
        report.add(Row(f"`mrplc build --to tex` (`{example.name}`)", _ms(t_tex), f"mrplc check: {_ms(t_check)}",
                       t_tex / t_check, "(reported)", None, f"exit {code}"))  # fmt: skip


# VmHWM is the peak RSS of this process image only; ru_maxrss would also count the
# forked copy of the (large) benchmark process from before exec.
_HWM = """
def _peak_kb():
    try:
        with open("/proc/self/status") as fh:
            return int(next(ln.split()[1] for ln in fh if ln.startswith("VmHWM:")))
    except (OSError, StopIteration):
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

PEAK_SCRIPT = (
    _HWM
    + """
import sys
sys.argv = ["mrplc", *sys.argv[1:]]
from mrpl.cli import main
try:
    main()
finally:
    print(_peak_kb(), file=sys.__stderr__)
"""
)

FLOOR_SCRIPT = _HWM + "import mrpl.cli; print(_peak_kb())"


def peak_rss_kb(argv: list[str], script: str) -> int | None:
    proc = run_quiet([sys.executable, "-c", script, *argv])
    stream = proc.stdout if script is FLOOR_SCRIPT else proc.stderr
    last = stream.strip().splitlines()[-1:] if stream.strip() else []
    return int(last[0]) if last and last[0].isdigit() else None


def measure_memory(plan: Sized, report: Report) -> None:
    command = "check" if has_command("check") else "parse"
    peak = peak_rss_kb([command, str(plan.path)], PEAK_SCRIPT)
    floor = peak_rss_kb([], FLOOR_SCRIPT)
    if peak is None or floor is None:
        report.add(Row("peak memory", "failed", "", None, "≤ 20× file", False, "could not read ru_maxrss"))
        return
    grown = max(0, peak - floor) * 1024
    ratio = grown / plan.mrpl_bytes
    report.add(
        Row(
            f"peak memory of `mrplc {command}` ({plan.factor}× plan, {plan.mrpl_bytes / MB:.1f} MB)",
            f"{grown / MB:.0f} MB above the {floor / 1024:.0f} MB import floor (peak RSS {peak / 1024:.0f} MB)",
            "file size",
            ratio,
            "≤ 20×",
            ratio <= 20,
            "" if command == "check" else "`check` does not exist yet: measured `mrplc parse`, which also prints JSON",
        )
    )


# ---------------------------------------------------------------- report


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), cpu)
    except OSError:
        pass
    import lark
    import yaml

    return (
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}; Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.system()} {platform.release()}; "
        f"Lark {lark.__version__}, PyYAML {yaml.__version__} (libyaml: {yaml.__with_libyaml__})"
    )


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def render(report: Report, header: list[str]) -> str:
    out = [*header, "", "| measure | value | reference | ratio | target | met |", "|---|---|---|---:|---|---|"]
    for r in report.rows:
        met = "—" if r.met is None else ("yes" if r.met else "**no**")
        value = r.value + (f" ({r.note})" if r.note else "")
        out.append(f"| {r.measure} | {value} | {r.reference} | {_fmt_ratio(r.ratio)} | {r.target} | {met} |")
    for detail in report.details:
        out += ["", detail]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="mrpl performance benchmark")
    parser.add_argument("--quick", action="store_true", help="tiny sizes and few repeats (a smoke test, not figures)")
    parser.add_argument("--keep", metavar="DIR", help="write the generated plans to DIR and keep them")
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    notes = install_warnings()
    for note in notes:
        warn(note)
    load_before = _load()
    example = largest_example()
    base_bytes = settings.base_bytes or (example.stat().st_size if example else 15_000)
    with tempfile.TemporaryDirectory(prefix="mrpl-bench-") as tmp:
        workdir = Path(args.keep or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        report = Report()
        print(f"bench: generating plans of {base_bytes:,} bytes × {settings.factors}", file=sys.stderr)
        plans = write_plans(settings, base_bytes, workdir)
        cold_target = example or plans[0].path
        times = measure_throughput(plans, settings, report)
        t_check = measure_cold_start(cold_target, settings, report)
        if ISSUE_EXAMPLE.is_file() and cold_target != ISSUE_EXAMPLE and not args.quick:
            measure_cold_start(ISSUE_EXAMPLE, settings, report, profile=False)  # the plan issue 17 measured
        report_scaling(plans, times, report)
        measure_lsp_start(cold_target, settings, report)
        measure_lsp(settings, workdir, report)
        measure_portfolio(settings, workdir, report)
        measure_build(cold_target, settings, workdir, report, t_check)
        measure_memory(plans[-1], report)
    base = (
        f"`{example.relative_to(ROOT)}` ({base_bytes:,} bytes)"
        if example
        else f"no example yet: a generated plan of {base_bytes:,} bytes"
    )
    header = [
        f"Machine: {machine()}; load average before/after: {load_before} / {_load()}",
        f"Command: `{Path(sys.executable).name} bench/run.py{' --quick' if args.quick else ''}` "
        f"({'installed mrplc: ' + str(installed_mrplc()) if installed_mrplc() else 'python -m mrpl from the checkout'}); "
        f"base plan {base}.",
        *(f"**Warning:** {note}" for note in notes),
    ]
    print(render(report, header))
    return 0


if __name__ == "__main__":
    sys.exit(main())
