"""The diagnostic codes of allonges (amendments), registered with mrpl.codes.

They sit at the top of their ranges (MRP09x loading, MRP29x references,
MRP39x dates, MRP69x completeness) so that codes other stages add stay apart.
"""

from __future__ import annotations

import textwrap

from mrpl.codes import Code, register
from mrpl.diagnostics import Severity

E, W = Severity.ERROR, Severity.WARNING


def _c(code: str, name: str, title: str, severity: Severity, stage: str, explanation: str, why: str,
       bad: str = "", good: str = "") -> None:  # fmt: skip
    text = [textwrap.dedent(s).strip("\n") for s in (explanation, why, bad, good)]
    register(Code(code, name, title, severity, stage, *text))


_c("MRP090", "allonge-without-plan", "An allonge does not name a plan that can be read", E, "load",
   "An allonge is a file of its own: one `allonge` block that names the plan it amends with "
   '`plan "fil.mrp"` (relative to the allonge). The plan must exist and read; it may itself be an earlier '
   "allonge, so that several allonges apply to one plan in date order.",
   "Without the plan, the changes cannot be checked, built or scored.",
   'allonge "Allonge 1" {\n  dato 2022-06-15\n  vægt 1.1.a 40\n}',
   'allonge "Allonge 1" {\n  plan "plan-2022.mrp"\n  dato 2022-06-15\n  vægt 1.1.a 40\n}')  # fmt: skip
_c("MRP290", "allonge-unknown-ref", "An allonge refers to a goal or requirement the plan does not have", E, "check",
   "Every change in an allonge names a goal or requirement by the id the plan writes (`1.1.b`, `2.3`). "
   "A change to a requirement must name the requirement, not a goal with several.",
   "A change to something that does not exist changes nothing, and the signed allonge would say otherwise.",
   "vægt 1.9.a 10",
   "vægt 1.1.a 10")  # fmt: skip
_c("MRP291", "allonge-adds-existing", "An allonge adds a requirement the goal already has", E, "check",
   "`resultatkrav 1.3.c { ... }` in an allonge adds requirement c to goal 1.3; the label must be new, and a "
   "goal with one unlabelled requirement cannot get a second one.",
   "Two requirements with one id cannot be scored or referred to.",
   "resultatkrav 1.1.a { tekst \"...\" }",
   "resultatkrav 1.1.b { tekst \"...\" }")  # fmt: skip
_c("MRP292", "allonge-changes-dropped", "An allonge changes a requirement that is already dropped", W, "check",
   "The requirement is `udgået` (in the plan or an earlier allonge); changing its weight, deadline or target "
   "has no effect on the score.",
   "The allonge probably means another requirement, or the earlier drop was a mistake.",
   'udgået 1.1.a "Loven er ændret"\nvægt 1.1.a 10',
   'udgået 1.1.a "Loven er ændret"')  # fmt: skip
_c("MRP390", "allonge-date-outside-period", "An allonge is dated outside the plan's period", E, "check",
   "An allonge changes a plan while it runs: its `dato` lies inside the plan's `periode`.",
   "A change after the period cannot affect the year's fulfilment; one before it belongs in the plan itself.",
   "dato 2023-02-01",
   "dato 2022-06-15")  # fmt: skip
_c("MRP690", "allonge-incomplete", "An allonge lacks its date, reason or signatures", W, "check",
   "An allonge states when it was agreed (`dato`), why (`begrundelse`) and who signed it (`direktør`, "
   "`departementschef`), as the amendment log prints them.",
   "An unsigned, undated change is not an agreement; the steering office asks for all three.",
   'allonge "Allonge 1" {\n  plan "plan-2022.mrp"\n  vægt 1.1.a 40\n}',
   'allonge "Allonge 1" {\n  plan "plan-2022.mrp"\n  dato 2022-06-15\n  begrundelse "..."\n'
   '  direktør "A" { dato 2022-06-15 }\n  departementschef "B" { dato 2022-06-16 }\n  vægt 1.1.a 40\n}')  # fmt: skip
