"""Semantic diff of two plans: what changed, phrased as a reader of the plan says it.

    diff_plans(old, new)       -> PlanDiff (mrpl.diff.model)
    apply_diff(old, diff)      -> the new plan again (mrpl.diff.apply)
    render_diff(diff, fmt)     -> text, md, html or json (mrpl.diff.render)

The command line (`mrplc diff`) and tests use only these.
"""

from __future__ import annotations

from mrpl.diff.apply import apply_diff
from mrpl.diff.compare import diff_plans
from mrpl.diff.model import Change, Kind, PlanDiff

__all__ = ["Change", "Kind", "PlanDiff", "apply_diff", "diff_plans"]
