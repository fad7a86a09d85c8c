"""mrpl performance benchmark: one command, one machine, one table.

    python bench/run.py            # the full run (about a minute or two)
    python bench/run.py --quick    # tiny sizes, few repeats: proves it runs

Measures, against fixed references on the same machine:
  1. parse + check throughput (MB/s) against PyYAML's C loader on the same plan as YAML;
  2. cold `mrplc check` of the largest example against `python -c "import lark, click"`;
  3. scaling: the 10x and 100x synthetic plans against the 1x plan;
  4. the language server: didChange to publishDiagnostics on a 1,000-line plan;
  5. `mrplc build --to md/tex` against `mrplc check`, and peak memory of `mrplc check`
     on the 100x plan against its file size.
Results are printed as Markdown (see docs/performance.md); nothing here asserts.
"""

from __future__ import annotations

import argparse
import compileall
import gc
import os
import platform
import shutil
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
from lsp_client import LspTimeout, measure_lsp_latency  # noqa: E402

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


FULL = Settings(factors=(1, 10, 100), repeats=5, cold_runs=15, lsp_edits=60, lsp_lines=1000, base_bytes=None)
QUICK = Settings(factors=(1, 2, 3), repeats=1, cold_runs=2, lsp_edits=3, lsp_lines=150, base_bytes=8_000)


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


def mrplc_command() -> list[str]:
    """`mrplc` when installed, else the same entry point through `python -m mrpl`."""
    exe = shutil.which("mrplc")
    return [exe] if exe else [sys.executable, "-m", "mrpl"]


def run_quiet(cmd: list[str], cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, check=False)


def median_wall(cmd: list[str], runs: int, cwd: str | None = None) -> tuple[float, int]:
    """Median wall time of a subprocess and its (last) exit code."""
    times, code = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        code = run_quiet(cmd, cwd).returncode
        times.append(time.perf_counter() - start)
    return statistics.median(times), code


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


def measure_cold_start(example: Path, settings: Settings, report: Report) -> None:
    if not has_command("check"):
        report.add(
            Row("cold `mrplc check`", "not yet measured", "", None, "≤ 1.3×", None, "`mrplc check` does not exist yet")
        )
        return
    cmd = [*mrplc_command(), "check", str(example)]
    floor_cmd = [sys.executable, "-c", "import lark, click"]
    # An installed wheel has its bytecode compiled (pip does it); a checkout run with
    # PYTHONDONTWRITEBYTECODE=1 would otherwise compile every mrpl module on each run.
    compileall.compile_dir(str(ROOT / "mrpl"), quiet=1)
    median_wall(cmd, 1)  # warm the OS file cache
    t_check, code = median_wall(cmd, settings.cold_runs)
    t_floor, _ = median_wall(floor_cmd, settings.cold_runs)
    ratio = t_check / t_floor
    note = f"exit {code}" + ("" if code == 0 else ": the example's own errors")
    report.add(
        Row(
            f"cold `mrplc check {example.relative_to(ROOT)}`",
            _ms(t_check),
            f"import lark, click: {_ms(t_floor)}",
            ratio,
            "≤ 1.3×",
            ratio <= 1.3,
            note,
        )
    )
    report.details.append(import_profile(cmd))


def import_profile(cmd: list[str]) -> str:
    """Which heavy modules `mrplc check` imports, and the slowest imports (`python -X importtime`)."""
    argv = cmd if cmd[0] == sys.executable else [sys.executable, "-c", "from mrpl.cli import main; main()", *cmd[1:]]
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


def measure_lsp(settings: Settings, workdir: Path, report: Report) -> None:
    if not (ROOT / "mrpl" / "lsp.py").exists() or not has_command("lsp"):
        report.add(
            Row(
                "LSP didChange → diagnostics",
                "not yet measured",
                "",
                None,
                "≤ 30 ms p95",
                None,
                "`mrplc lsp` does not exist yet",
            )
        )
        return
    path = workdir / "lsp-plan.mrp"
    text = generate.plan_of_lines(settings.lsp_lines)
    generate.write_atomic(str(path), text)
    try:
        latencies = measure_lsp_latency([*mrplc_command(), "lsp"], path, text, settings.lsp_edits, env_path=str(ROOT))
    except (LspTimeout, OSError) as exc:
        report.add(Row("LSP didChange → diagnostics", "failed", "", None, "≤ 30 ms p95", False, str(exc)))
        return
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
    lines = text.count("\n")
    report.add(
        Row(
            f"LSP didChange → diagnostics ({lines} lines, {len(latencies)} edits)",
            f"p95 {_ms(p95)}, median {_ms(p50)}",
            "30 ms",
            p95 / 0.030,
            "≤ 30 ms p95",
            p95 <= 0.030,
        )
    )


# ---------------------------------------------------------------- 5: build and memory


def measure_build(example: Path, settings: Settings, workdir: Path, report: Report) -> None:
    if not has_command("build") or not has_command("check"):
        report.add(
            Row(
                "`mrplc build --to md/tex`", "not yet measured", "", None, "—", None, "`mrplc build` does not exist yet"
            )
        )
        return
    help_text = run_quiet([*mrplc_command(), "build", "--help"]).stdout
    t_check, _ = median_wall([*mrplc_command(), "check", str(example)], settings.cold_runs)
    for fmt in ("md", "tex"):
        cmd = [*mrplc_command(), "build", str(example), "--to", fmt]
        if "--output-dir" in help_text:
            cmd += ["--output-dir", str(workdir / "build")]
        if "--force" in help_text:  # time the build even where the example still has errors
            cmd.append("--force")
        t_build, code = median_wall(cmd, max(1, settings.cold_runs // 3), cwd=str(workdir))
        report.add(
            Row(
                f"`mrplc build --to {fmt}` (largest example)",
                _ms(t_build),
                f"mrplc check: {_ms(t_check)}",
                t_build / t_check,
                "(reported)",
                None,
                f"exit {code}",
            )
        )


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
        measure_cold_start(cold_target, settings, report)
        report_scaling(plans, times, report)
        measure_lsp(settings, workdir, report)
        measure_build(cold_target, settings, workdir, report)
        measure_memory(plans[-1], report)
    base = (
        f"`{example.relative_to(ROOT)}` ({base_bytes:,} bytes)"
        if example
        else f"no example yet: a generated plan of {base_bytes:,} bytes"
    )
    header = [
        f"Machine: {machine()}",
        f"Command: `python bench/run.py{' --quick' if args.quick else ''}`; base plan {base}.",
    ]
    print(render(report, header))
    return 0


if __name__ == "__main__":
    sys.exit(main())
