"""Allonges (amendments): signed changes to a plan during its period.

An allonge is a file of its own (`allonge "..." { plan "plan.mrp"; dato ...;
begrundelse ...; direktør ...; departementschef ...; <changes> }`). Loading it
(`mrpl.load_file`) loads the plan it names (or the earlier allonge it builds
on), applies every allonge in date order, and gives the consolidated plan:
check, build and score then work on the plan as amended.

    apply_amendments(plan, amendments, report)  -> the consolidated plan
    describe_operations(amendment, lang)        -> the changes in words
"""

from __future__ import annotations

from mrpl.amend import codes as _codes  # noqa: F401  (registers MRP090, MRP29x, MRP390, MRP690)
from mrpl.amend.apply import apply_amendments, resolve, sort_by_date
from mrpl.amend.words import amendment_title, describe_operations, signed_by

__all__ = ["amendment_title", "apply_amendments", "describe_operations", "resolve", "signed_by", "sort_by_date"]
