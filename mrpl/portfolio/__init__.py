"""A ministry's portfolio: every plan, shared module and results file in one folder.

    load_portfolio(root)      discover and load everything under `root` (a `Portfolio`)
    portfolio_diagnostics(p)  every plan's own diagnostics, the results files' and the
                              cross-plan checks (MRP9xx), one list
    portfolio_data(p, lang)   what `mrplc report DIR` shows: per agency and year, the
                              latest fulfilment, per goal, and the progress over the year

The folder is the project root: nothing outside it is read (see `discover`).
"""

from mrpl.portfolio.crosscheck import cross_plan_diagnostics
from mrpl.portfolio.discover import PlanEntry, Portfolio, ResultsRun, load_portfolio
from mrpl.portfolio.summary import portfolio_data, portfolio_diagnostics

__all__ = [
    "PlanEntry",
    "Portfolio",
    "ResultsRun",
    "cross_plan_diagnostics",
    "load_portfolio",
    "portfolio_data",
    "portfolio_diagnostics",
]
