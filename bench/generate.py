"""Synthetic mrpl plans for the benchmark: any size, always valid.

A plan uses the constructs of the reference plans (header with signatures,
strategy with a budget whose rows add up, goal sections, goals weighted per goal
and per requirement, a service goal with nested sub-weight groups, every target
and scoring kind, methods inside goals and in an annex, a weight table, pay,
footnotes). It grows by adding goals; numbering stays unique and the weights
still add up to exactly 100 points, so `mrplc check` has nothing to report.

    python bench/generate.py --bytes 400000 -o /tmp/big.mrp
    python bench/generate.py --lines 1000 -o /tmp/lsp.mrp
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator

TOTAL_MILLI = 100_000  # 100 points in thousandths, so any number of goals can share them exactly
GOALS_PER_SECTION = 7
GOAL_KINDS = ("milestones", "lettered", "service", "assessment", "change")
LETTERS = "abcdefgh"

PROSE = (
    "Styrelsen skal understøtte en *hurtig* og korrekt sagsbehandling, så borgere og virksomheder\n"
    "oplever en **effektiv** service.[^1] Målet følges op kvartalsvis:\n"
    "- sagsbehandlingstider offentliggøres på hjemmesiden\n"
    "- restancer nedbringes løbende\n"
)


def split_evenly(total: int, parts: int) -> list[int]:
    """`total` as `parts` integers that differ by at most one and add up exactly."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def points(milli: int) -> str:
    """Thousandths of a point as an mrpl number: 2500 -> "2,5", 5000 -> "5"."""
    whole, frac = divmod(milli, 1000)
    return str(whole) if frac == 0 else f"{whole},{frac:03d}".rstrip("0")


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def long_text(text: str, indent: str) -> str:
    body = "\n".join(indent + "  " + line if line else "" for line in text.splitlines())
    return f'"""\n{body}\n{indent}"""'


# ---------------------------------------------------------------- fixed parts


def header(year: int) -> str:
    return f"""\
# Synthetic plan for benchmarks, written by bench/generate.py
plan {{
  titel "Mål- og resultatplan {year}"
  ministerium "Benchmarkministeriet"
  departement "Departementet"
  styrelse "Styrelsen for Syntetiske Planer"
  forkortelse "SSP"
  år {year}
  periode {year}-01-01 til 31. december {year}
  total 100 point
  direktør "Anne Andersen" {{
    titel "Direktør"
    sted "København"
    dato blank {year - 1}
  }}
  departementschef "Bent Bentsen" {{
    titel "Departementschef"
    sted "København"
    dato 15. december {year - 1}
  }}
  genforhandling "Planen kan genforhandles, hvis forudsætningerne ændres væsentligt."
  næste forhandling "Efteråret {year}"
}}

indledning {long_text(PROSE, "")}
"""


VALUES = "- ordentlighed\n- faglighed\n- åbenhed"


def strategy(year: int, tasks: int) -> str:
    amounts = [[(t + 1) * 10 + c for c in range(6)] for t in range(tasks)]
    rows = "\n".join(
        f"      række {t + 1} {quoted(f'Kerneopgave {t + 1}')} | "
        + " | ".join("-" if (t + c) % 7 == 6 else f"{v},5" for c, v in enumerate(amounts[t]))
        for t in range(tasks)
    )
    # a "-" cell is no amount, so the total counts only the cells that have one
    totals = [sum(amounts[t][c] * 10 + 5 for t in range(tasks) if (t + c) % 7 != 6) for c in range(6)]
    total_cells = " | ".join(f"{v // 10},{v % 10}" for v in totals)
    task_lines = "\n".join(
        f"    kerneopgave {t + 1} {quoted(f'Kerneopgave {t + 1}')} {quoted('Opgaven løses effektivt og korrekt.')}"
        for t in range(tasks)
    )
    return f"""
strategi {{
  mission "Mission" "Styrelsen sikrer en effektiv forvaltning."
  vision "Vision" "En moderne styrelse med tilfredse brugere."
  værdier "Værdier" {long_text(VALUES, "  ")}
  effekter "Langsigtede effekter" "Hurtigere sager og færre fejl."
  rammevilkår "Rammevilkår" "Stigende sagstal og nye regler."
  pejlemærke "Digitalisering" "Flere sager afgøres digitalt."
  kerneopgaver "Kerneopgaver og ressourcer" {{
    tekst "Styrelsens kerneopgaver og ressourceforbrug."
    budget {{
      finanslov "FFL{year % 100} § 14.21.01"
      titel "Ressourceforbrug fordelt på kerneopgaver"
      enhed "Mio. kr. ({year}-pl)"
      kolonner R {year - 2} | B {year - 1} | F {year} | BO1 {year + 1} | BO2 {year + 2} | BO3 {year + 3}
      total "I alt" | {total_cells}
{rows}
      bemærkning "Tallene er afrundede."
    }}
{task_lines}
  }}
}}

målindledning "Styrelsens mål for {year} fremgår af tabellerne nedenfor."
"""


# ---------------------------------------------------------------- goals


def goal_weights(kinds: list[str]) -> Iterator[int]:
    """Milli-points per weight holder: one per goal, or one per requirement for lettered goals."""
    holders = sum(4 if k == "lettered" else 1 for k in kinds)
    yield from split_evenly(TOTAL_MILLI, holders)


def goal(number: str, kind: str, weights: Iterator[int], year: int) -> tuple[str, list[tuple[str, int]]]:
    """The text of one goal and its (ref, weight) entries for the weight table."""
    body = {
        "milestones": _milestone_goal,
        "lettered": _lettered_goal,
        "service": _service_goal,
        "assessment": _assessment_goal,
        "change": _change_goal,
    }[kind]
    return body(number, weights, year)


def _goal_head(number: str, area: str) -> str:
    return f"""
  mål {number} {quoted(area)} {{
    tekst {long_text(PROSE, "    ")}
    type "Effekt"
    attribut "Ejer" "Kontor for {area}"
"""


def _goal_tail(number: str) -> str:
    return f"""    kravnote "Målet følges op ved udgiftsopfølgning I, II og III."
    baggrund "Baggrund" "Målet understøtter strategien for mål {number}."
    opgørelsesmetode {{
      tekst "Opgøres på baggrund af styrelsens ledelsesinformation."
      datakilde "Sagsbehandlingssystemet"
      måles af "Styrelsen"
      hyppighed "Kvartalsvis"
      kriterium "Anses for 100 pct. opfyldt, hvis alle milepæle er nået."
    }}
  }}
"""


def _milestone_goal(number: str, weights: Iterator[int], year: int) -> tuple[str, list[tuple[str, int]]]:
    w = next(weights)
    reqs = "".join(
        f"""    resultatkrav {q} "{q}. kvartal" {{
      tekst "Milepæl {q} for mål {number} er gennemført."
      frist {q}. kvartal {year}
      måltal milepæl
      opfyldelse milepæle hver
    }}
"""
        for q in range(1, 4)
    )
    text = _goal_head(number, "Digitalisering") + f'    vægt {points(w)}\n    kravtekst "Styrelsen skal:"\n' + reqs
    return text + _goal_tail(number), [(number, w)]


def _lettered_goal(number: str, weights: Iterator[int], year: int) -> tuple[str, list[tuple[str, int]]]:
    targets = (
        ('måltal andel mindst 90 % inden for 6 måneder af "sagerne"', "opfyldelse lineær fra 80 % til 90 %"),
        ("måltal gennemsnit højst 120 dage", "opfyldelse tærskel"),
        ('måltal antal mindst 12 "aftaler"', "opfyldelse trin { mindst 12: 100 %; mindst 9: 50 %; ellers: 0 % }"),
        ("måltal maksimum højst 14 dage", "opfyldelse tærskel"),
    )
    text = _goal_head(number, "Sagsbehandling")
    entries = []
    for letter, (target, scoring) in zip(LETTERS, targets, strict=False):
        w = next(weights)
        entries.append((f"{number}.{letter}", w))
        text += f"""    resultatkrav {letter} {{
      tekst "Sagsbehandlingen skal leve op til servicemålet."
      vægt {points(w)}
      omfang "sager afgjort" i 2. halvår {year}
      frist ultimo oktober {year}
      {target}
      {scoring}
    }}
"""
    return text + _goal_tail(number), entries


def _service_goal(number: str, weights: Iterator[int], year: int) -> tuple[str, list[tuple[str, int]]]:
    w = next(weights)
    group_weights = split_evenly(w, 3)
    groups = ""
    for g, gw in enumerate(group_weights, start=1):
        parts = ""
        for p, pw in enumerate(split_evenly(gw, 3), start=1):
            parts += f"""          del "Sagstype {g}.{p}" {{
            vægt {points(pw)}
            måltal andel mindst 90 % inden for {30 * p} dage
            opfyldelse tærskel
          }}
"""
        groups += f"""        gruppe "Servicemål område {g}" {{
          vægt {points(gw)}
          kolonner "Sagstype" | "Servicemål" | "Point"
{parts}        }}
"""
    text = (
        _goal_head(number, "Service")
        + f"""    vægt {points(w)}
    resultatkrav {{
      tekst "Servicemålene for styrelsens sagsområder skal overholdes."
      frist periodens udgang
{groups}    }}
"""
    )
    return text + _goal_tail(number), [(number, w)]


def _assessment_goal(number: str, weights: Iterator[int], year: int) -> tuple[str, list[tuple[str, int]]]:
    w = next(weights)
    text = (
        _goal_head(number, "Kvalitet")
        + f"""    vægt {points(w)}
    resultatkrav {{
      tekst "Kvaliteten i sagsbehandlingen vurderes af et eksternt panel."
      frist 2. halvår {year}
      måltal vurdering mindst 81 af 108 point
      måltal niveau 4 på "Jura" | "Service" | "Data"
      opfyldelse områder alle
      opgørelsesmetode "Vurderingsskala" {{
        point 1 "Ikke tilfredsstillende"
        point 2 "Tilfredsstillende"
        point 3 "Meget tilfredsstillende"
      }}
    }}
"""
    )
    return text + _goal_tail(number), [(number, w)]


def _change_goal(number: str, weights: Iterator[int], year: int) -> tuple[str, list[tuple[str, int]]]:
    w = next(weights)
    text = (
        _goal_head(number, "Restancer")
        + f"""    vægt {points(w)}
    resultatkrav {{
      tekst "Restancen skal falde, og tilfredsheden fastholdes."
      frist ultimo {year}
      måltal fald 10 % ift. "ultimo {year - 1}"
      måltal stigning 5 % ift. "{year - 1}" 1200
      måltal andel mindst 95 % senest ultimo juni {year}
      måltal fastholdt
      opfyldelse trin {{ mindst 10 %: 100 %; mindst 5 %: 50 %; ellers: 0 % }}
    }}
"""
    )
    return text + _goal_tail(number), [(number, w)]


# ---------------------------------------------------------------- whole plan


def plan_text(goals: int, year: int = 2022) -> str:
    """A valid plan with `goals` goals (at least one)."""
    goals = max(1, goals)
    kinds = [GOAL_KINDS[i % len(GOAL_KINDS)] for i in range(goals)]
    weights = goal_weights(kinds)
    out = [header(year), strategy(year, tasks=max(3, min(40, goals // 5)))]
    table: list[tuple[str, int]] = []
    annex_refs: list[str] = []
    for s, start in enumerate(range(0, goals, GOALS_PER_SECTION), start=1):
        out.append(
            f"""
afsnit {s} {quoted(f"Faglige mål, område {s}")} {{
  indledning "Målene i dette afsnit vedrører område {s}."
  tabeltitel "Oversigt over mål"
  baggrund "Baggrund for målene" "Målene afspejler ministeriets prioriteter."
"""
        )
        for g, kind in enumerate(kinds[start : start + GOALS_PER_SECTION], start=1):
            number = f"{s}.{g}"
            text, entries = goal(number, kind, weights, year)
            out.append(text)
            table.extend(entries)
            if kind == "service":
                annex_refs.append(number)
        out.append("}\n")
    out.append(_tail(table, annex_refs, year))
    return "".join(out)


def _tail(table: list[tuple[str, int]], annex_refs: list[str], year: int) -> str:
    entries = "\n".join(f"  {ref} {points(w)}" for ref, w in table)
    methods = "".join(
        f"""  opgørelsesmetode {ref} "Servicemål for mål {ref}" {{
    tekst "Servicemålene opgøres pr. sagstype."
    datakilde "Sagsbehandlingssystemet"
    kriterium "Anses for 100 pct. opfyldt, hvis servicemålet er nået for alle sagstyper."
  }}
"""
        for ref in annex_refs
    )
    return f"""
vægttabel "Vægtning af resultatkrav" {{
{entries}
}}

opfølgning "Målopfyldelsen gøres op ved udgiftsopfølgning I, II og III."

resultatløn {{
  tekst "Direktørens resultatløn fastsættes ud fra målopfyldelsen."
  skala {{
    mindst 90 point: 100 %
    mindst 70 point: 50 %
    ellers: 0 %
  }}
  fodnote 1
}}

fodnote 1 "Resultatlønnen udbetales i foråret {year + 1}."

bilag "Opgørelsesmetoder" {{
  tekst "Bilaget beskriver opgørelsen af de enkelte mål."
{methods}  afslutning "Departementet godkender opgørelsen."
}}
"""


# ---------------------------------------------------------------- sizing


def _goals_for(target: int, unit: str) -> int:
    """How many goals make a plan of about `target` bytes (or lines)."""

    def size(goals: int) -> int:
        text = plan_text(goals)
        return len(text.encode("utf-8")) if unit == "bytes" else text.count("\n")

    small, large = size(5), size(55)
    per_goal = (large - small) / 50
    return max(1, round(5 + (target - small) / per_goal))


def plan_of_bytes(target: int) -> str:
    return plan_text(_goals_for(target, "bytes"))


def plan_of_lines(target: int) -> str:
    return plan_text(_goals_for(target, "lines"))


def portfolio(directory: str, plans: int) -> list[str]:
    """A ministry's folder of `plans` plans: agencies over four years, each plan between the
    smallest and the largest example's size (4 to 20 goals). Returns the paths, sorted."""
    os.makedirs(directory, exist_ok=True)
    paths = []
    for i in range(plans):
        agency, year = i // 4 + 1, 2020 + i % 4
        text = plan_text(4 + (i * 7) % 17, year)
        text = text.replace("Styrelsen for Syntetiske Planer", f"Styrelse nr. {agency}").replace(
            'forkortelse "SSP"', f'forkortelse "S{agency:03d}"'
        )
        path = os.path.join(directory, f"styrelse-{agency:03d}-{year}.mrp")
        write_atomic(path, text)
        paths.append(path)
    return sorted(paths)


def write_atomic(path: str, text: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--goals", type=int, help="number of goals")
    size.add_argument("--bytes", type=int, help="approximate size in bytes")
    size.add_argument("--lines", type=int, help="approximate number of lines")
    parser.add_argument("-o", "--output", help="file to write (default: standard output)")
    args = parser.parse_args(argv)
    if args.goals is not None:
        text = plan_text(args.goals)
    elif args.bytes is not None:
        text = plan_of_bytes(args.bytes)
    else:
        text = plan_of_lines(args.lines)
    if args.output:
        write_atomic(args.output, text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
