"""The fuzz target: every stage of mrpl on random and broken plans.

Two sources of input:

- *grammar*: hypothesis builds random valid syntax trees (tests/strategies.py), the
  formatter writes them out, and the text goes through every stage;
- *mutation*: the example plans, mutated at the byte level (bytes deleted, repeated,
  replaced, lines swapped) and with hostile snippets spliced in (huge numbers, deep
  braces, control characters, quotes, placeholders, imports of /etc/passwd, TeX and
  HTML specials).

`exercise(text)` drives parse → load → check → diagnostics (text and JSON) → fmt →
every build target in both languages → results template (TOML, CSV) → results read
back and filled with random values → score → every report format → incremental
re-parse of a random edit, and asserts:

- nothing raises: bad input gives diagnostics, never an exception;
- fmt round trip: a file without syntax errors formats (FormatError would be a
  formatter bug), the formatted text means the same plan and formats to itself;
- the results template of a plan reads back without errors;
- an incremental re-parse gives exactly what a full parse gives, spans included.

tests/test_fuzz.py runs a bounded, seeded share of this in CI. A long run:

    python -m tests.fuzz --hours 2          # both sources, until the time is up
    python -m tests.fuzz --inputs 500 --seed 7

prints the inputs tried and failures found; each failure is saved under
fuzz-failures/ (the input and its traceback) to be turned into a regression test.

    python -m tests.fuzz --atheris [libFuzzer options] [corpus dir]

runs the same target under atheris (coverage-guided, `pip install atheris`; Linux wheels),
seeded with the example plans; libFuzzer saves a failing input as crash-*.
docs/hardening.md records the figures of the last long run.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from mrpl import ast as A
from mrpl import incremental
from mrpl.check import all_diagnostics
from mrpl.diagnostics import Severity, render_json, render_texts
from mrpl.fmt import format_source
from mrpl.load import load_parsed
from mrpl.parse import ParseResult, parse_source

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEEDS = sorted(EXAMPLES.glob("*.mrp")) + sorted(EXAMPLES.glob("shared/*.mrp"))

# Spliced into plans by the mutator: what broke earlier stages, and what any output format
# must print as text (never as markup, never as a command).
HOSTILE = (
    "9" * 40,
    "9" * 5000,
    "99999999999999999999.",
    "{" * 120,
    "}" * 20,
    'gruppe "g" { ' * 70,
    "\x1b[31m\x07\x00\x7f\x9b",
    "\u202e\u2066\u2028\u2029\f\t\r",
    '"',
    '"""',
    "\\",
    "{{styrelse}}",
    "{{ukendt}}",
    "[^1]",
    "*",
    "**",
    "__",
    "# ",
    '\nimporter "/etc/passwd"\n',
    '\nimporter "../../../../../etc/passwd"\n',
    '\nimporter "/dev/zero"\n',
    "frist ultimo 0",
    "frist Q1 0",
    "frist 5. kvartal",
    "frist 31. februar 2022",
    "vægt 0",
    "vægt -5",
    "=cmd|' /C calc'!A0",
    "+1",
    "@SUM(A1)",
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    r"\input{/etc/passwd}\write18{touch x}",
    "% & $ _ # ~ ^ |",
    ",, -- --- `` '' ``",
    "ħ ſ ĸ ŉ Ŋ ŧ œ ẞ",
    "😀 \u0301 \ufeff \ufffd",
    "#set text(fill: red)",
    "]] [[ ]]",
    '"\n[[result]]\nid = "x"\n',
    "\n",
    ";",
    "mål 1.1",
    "resultatkrav a {",
    "måltal andel mindst 90 % inden for 30 dage",
    "opfyldelse trin { mindst 90 %: 100 %; ellers: 0 % }",
)

RESULT_VALUES = (
    "",
    "85 %",
    "92,5",
    "3",
    "ja",
    "nej",
    "17 uger",
    "nan",
    "-1",
    "9" * 30,
    "=cmd|' /C calc'!A0",
    "<script>x</script>",
    "\x1b[2J",
    "1.000.000,5",
    "2022-06-30",
)


class FuzzFailure(AssertionError):
    """A stage raised, or a property did not hold; `stage` says where."""

    def __init__(self, stage: str, detail: str) -> None:
        super().__init__(f"{stage}: {detail}")
        self.stage = stage


# ---------------------------------------------------------------- the target


def exercise(text: str, rng: random.Random | None = None, path: str | None = None) -> None:
    """Every stage on `text`; raises FuzzFailure when a stage fails."""
    rng = rng or random.Random(0)
    path = path or str(EXAMPLES / "fuzzed.mrp")  # beside the examples: their imports resolve
    parsed = _stage("parse", lambda: parse_source(text, path))
    loaded = _stage("load", lambda: load_parsed(parsed))
    diagnostics = _stage("check", lambda: all_diagnostics(loaded))
    _stage("diagnostics", lambda: (render_texts(diagnostics, loaded.sources), render_json(diagnostics)))
    _check_fmt(parsed)
    if loaded.plan is not None:
        clean = not any(d.severity is Severity.ERROR for d in diagnostics)
        _check_builds(loaded.plan, rng)
        _check_scoring(loaded.plan, clean, rng)
    _check_incremental(parsed, mutate(text, rng, max_edits=1))


def _stage(name: str, run: Callable[[], Any]) -> Any:
    try:
        return run()
    except FuzzFailure:
        raise
    except BaseException as exc:  # a RecursionError or MemoryError is a finding too
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise FuzzFailure(name, "".join(traceback.format_exception(exc))) from exc


def _check_fmt(parsed: ParseResult) -> None:
    if parsed.plan is None or any(d.severity is Severity.ERROR for d in parsed.diagnostics):
        return
    formatted = _stage("fmt", lambda: format_source(parsed.source, parsed.path))
    again = _stage("fmt", lambda: format_source(formatted, parsed.path))
    if again != formatted:
        raise FuzzFailure("fmt", "formatting the formatted text changed it again")


def _check_builds(plan: A.Plan, rng: random.Random) -> None:
    from mrpl.render import BACKENDS, render

    lang = rng.choice(("da", "en"))
    for fmt in BACKENDS:  # every target the renderer has, whichever exist on this branch
        _stage(f"build {fmt} ({lang})", lambda fmt=fmt: render(plan, fmt, lang))


def _check_scoring(plan: A.Plan, clean: bool, rng: random.Random) -> None:
    from mrpl.report import FORMATS, render_report
    from mrpl.results import parse_results, results_template
    from mrpl.score import score, scoring_plan

    splan = _stage("score plan", lambda: scoring_plan(plan))
    for fmt in ("toml", "csv"):
        template = _stage(f"template {fmt}", lambda fmt=fmt: results_template(splan, fmt))
        name = f"results.{fmt}"
        read = _stage(f"read template {fmt}", lambda template=template, name=name: parse_results(template, name, splan))
        if clean and not read.ok:
            raise FuzzFailure(f"template {fmt}", f"the template does not read back: {read.diagnostics[:3]}")
        filled = _fill(template, fmt, rng)
        results = _stage(f"read results {fmt}", lambda filled=filled, name=name: parse_results(filled, name, splan))
        scored = _stage("score", lambda results=results: score(splan, results.results))
        for report in FORMATS:
            _stage(f"report {report}", lambda r=report, s=scored, n=name: render_report(s, r, n))


def _fill(template: str, fmt: str, rng: random.Random) -> str:
    """The template with some empty values filled at random (valid or not)."""
    if fmt == "toml":
        lines = template.split("\n")
        for n, line in enumerate(lines):
            if line.endswith('= ""') and rng.random() < 0.7:
                key = line.split("=")[0].strip()
                value = rng.choice(RESULT_VALUES)
                lines[n] = f"{key} = {_toml_quote(value)}"
        return "\n".join(lines)
    rows = template.split("\n")
    return "\n".join(
        row.replace(";;", f";{rng.choice(RESULT_VALUES).replace(';', '')};", 1) if n and rng.random() < 0.7 else row
        for n, row in enumerate(rows)
    )


def _toml_quote(value: str) -> str:
    from mrpl.render.escape import toml_string

    return toml_string(value)


def _check_incremental(parsed: ParseResult, edited: str) -> None:
    got = _stage("incremental", lambda: incremental.reparse(parsed, edited))
    want = _stage("parse", lambda: parse_source(edited, parsed.path))
    for what, a, b in (
        ("plan", got.plan, want.plan),
        ("spans", _spans(got.plan), _spans(want.plan)),
        ("diagnostics", got.diagnostics, want.diagnostics),
        ("comments", got.comments, want.comments),
        ("keywords", list(got.keyword_positions), list(want.keyword_positions)),
    ):
        if a != b:
            raise FuzzFailure("incremental", f"the incremental {what} differs from a full parse")


def _spans(value: Any) -> list[A.Span]:
    out: list[A.Span] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            stack.extend(reversed(item))
        elif dataclasses.is_dataclass(item) and not isinstance(item, type | A.Span):
            for f in dataclasses.fields(item):
                child = getattr(item, f.name)
                if f.name == "span":
                    out.append(child)
                else:
                    stack.append(child)
    return out


# ---------------------------------------------------------------- inputs


def mutate(text: str, rng: random.Random, max_edits: int = 4) -> str:
    """`text` with 1..max_edits byte-level edits or hostile splices (result decoded as UTF-8,
    undecodable bytes replaced: the loader's MRP006 is tested elsewhere)."""
    data = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, max_edits)):
        at = rng.randrange(len(data) + 1)
        span = rng.randint(1, 64)
        match rng.randrange(7):
            case 0:
                del data[at : at + span]
            case 1:
                data[at:at] = data[at : at + span] * rng.randint(1, 8)
            case 2:
                data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
            case 3:
                if at < len(data):
                    data[at] = rng.choice(b' \n\t"{}#;-.,0123456789abcQH%\\*_[]')
            case 4:
                lines = bytes(data).split(b"\n")
                i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
                data = bytearray(b"\n".join(lines))
            case _:
                data[at:at] = rng.choice(HOSTILE).encode("utf-8")
    return bytes(data).decode("utf-8", "replace")


def mutated_inputs(seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    while True:
        yield mutate(rng.choice(texts), rng)


def grammar_inputs(seed: int) -> Iterator[str]:
    """Formatted random plans from the hypothesis strategies (drawn outside a test)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as seeded
    from hypothesis import strategies as st

    from mrpl.fmt import format_plan

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from strategies import plans

    found: list[str] = []
    round_ = 0
    while True:

        @seeded(seed + round_)
        @settings(max_examples=50, database=None, suppress_health_check=list(HealthCheck), deadline=None)
        @given(plans, st.sampled_from(["da", "en"]))
        def draw(plan: A.Plan, lang: str) -> None:
            found.append(format_plan(plan, lang))

        found.clear()
        draw()
        round_ += 1
        yield from found


# ---------------------------------------------------------------- the long run


@dataclasses.dataclass
class Tally:
    inputs: int = 0
    failures: int = 0
    by_stage: dict[str, int] = dataclasses.field(default_factory=dict)
    first: str = ""  # the first failure: its stage, traceback and input


def run(seconds: float, seed: int, limit: int | None = None, out: Path | None = None, minimum: int = 0) -> Tally:
    """Inputs until `seconds` have passed (at least `minimum` of them, at most `limit`)."""
    tally = Tally()
    sources = [mutated_inputs(seed), grammar_inputs(seed)]
    rng = random.Random(seed)
    deadline = time.monotonic() + seconds
    while (tally.inputs < minimum or time.monotonic() < deadline) and (limit is None or tally.inputs < limit):
        text = next(sources[tally.inputs % 2])
        tally.inputs += 1
        try:
            exercise(text, rng)
        except FuzzFailure as exc:
            tally.failures += 1
            tally.by_stage[exc.stage] = tally.by_stage.get(exc.stage, 0) + 1
            tally.first = tally.first or f"{exc}\n--- input ---\n{text[:4000]}"
            if out is not None:
                _save(out, tally.failures, text, str(exc))
        if tally.inputs % 100 == 0:
            print(f"{tally.inputs} inputs, {tally.failures} failures {tally.by_stage}", flush=True)
    return tally


def _save(out: Path, n: int, text: str, report: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / f"failure-{n:04d}.mrp").write_text(text, encoding="utf-8", errors="surrogatepass")
    (out / f"failure-{n:04d}.txt").write_text(report, encoding="utf-8", errors="replace")


def run_atheris(libfuzzer_args: list[str]) -> int:
    """The target under atheris: libFuzzer mutates bytes with coverage feedback from every
    mrpl module; the example plans seed the corpus."""
    try:
        import atheris  # type: ignore[import-not-found]  # optional: pip install atheris
    except ImportError:
        print("atheris is not installed: pip install atheris (Linux wheels for CPython)", file=sys.stderr)
        return 2
    corpus = Path("fuzz-corpus")
    corpus.mkdir(exist_ok=True)
    for seed in SEEDS:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    atheris.instrument_all()

    def one_input(data: bytes) -> None:
        exercise(data.decode("utf-8", "replace"), random.Random(len(data)))

    args = [sys.argv[0], *libfuzzer_args]
    if not any(not a.startswith("-") for a in libfuzzer_args):
        args.append(str(corpus))
    atheris.Setup(args, one_input)
    atheris.Fuzz()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--atheris"]:
        return run_atheris(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__.split("\n\n")[0])
    parser.add_argument("--hours", type=float, default=0.0, help="run this long (default: until --inputs)")
    parser.add_argument("--inputs", type=int, default=None, help="stop after this many inputs")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"), help="where failing inputs are saved")
    parser.add_argument("--atheris", action="store_true", help="first argument: run under atheris (see above)")
    args = parser.parse_args(argv)
    if not args.hours and args.inputs is None:
        args.inputs = 200
    seconds = args.hours * 3600 if args.hours else float("inf")
    started = time.monotonic()
    tally = run(seconds, args.seed, args.inputs, args.out)
    minutes = (time.monotonic() - started) / 60
    print(f"mrpl fuzz: {tally.inputs} inputs in {minutes:.1f} min, seed {args.seed}, {tally.failures} failures")
    for stage, count in sorted(tally.by_stage.items()):
        print(f"  {stage}: {count}")
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
