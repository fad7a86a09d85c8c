"""The registry of every diagnostic code, ruff style.

Each code has a slug, a title, a default severity, the stage that reports it,
an explanation, why it matters, and a bad and a good example. `mrplc explain`
prints an entry; `diagnostics_markdown()` generates docs/diagnostics.md.

Ranges: MRP0xx parser and loader, MRP1xx weights, MRP2xx numbering and
references, MRP3xx dates, MRP4xx targets, MRP5xx budget, MRP6xx completeness,
MRP7xx guidance, MRP8xx results files (reserved: the results reader registers
its codes here, with `stage="results"`), MRP9xx portfolio: checks across the plans
of a folder (registered by `mrpl.portfolio.crosscheck`, with `stage="portfolio"`).
"""

from __future__ import annotations

import textwrap

from mrpl.dataclassgen import dataclass  # dataclasses.dataclass, its methods generated ahead
from mrpl.diagnostics import JSON_SCHEMA_VERSION, Severity

STAGES = ("syntax", "load", "check", "results", "portfolio")

RANGES: tuple[tuple[str, str], ...] = (
    ("MRP0xx", "syntax and loading (parser, imports, placeholders)"),
    ("MRP1xx", "weights"),
    ("MRP2xx", "numbering and references"),
    ("MRP3xx", "dates and deadlines"),
    ("MRP4xx", "targets and fulfilment scales"),
    ("MRP5xx", "budget table"),
    ("MRP6xx", "completeness"),
    ("MRP7xx", "guidance"),
    ("MRP8xx", "results files (reserved for the results reader)"),
    ("MRP9xx", "portfolio: checks across the plans of a folder"),
)


@dataclass(frozen=True, slots=True)
class Code:
    code: str  # "MRP101"
    name: str  # "weights-total": a stable slug, also accepted by `mrplc explain`
    title: str
    severity: Severity  # the default; `--strict` promotes warnings
    stage: str  # one of STAGES
    explanation: str
    why: str
    bad: str = ""
    good: str = ""

    @property
    def suppressible(self) -> bool:
        """Only warnings and info can be silenced with `# mrpl: ignore[...]`."""
        return self.severity < Severity.ERROR


CODES: dict[str, Code] = {}

# Modules that register their own codes when imported (the results reader: MRP8xx;
# the portfolio's cross-plan checks: MRP9xx).
REGISTRANTS = ("mrpl.results", "mrpl.portfolio.crosscheck", "mrpl.amend.codes")


def all_codes() -> dict[str, Code]:
    """Every code, including those registered by other stages' modules (imported here, lazily)."""
    import contextlib
    import importlib

    for module in REGISTRANTS:
        with contextlib.suppress(ImportError):  # a stage not built yet
            importlib.import_module(module)
    return CODES


def register(code: Code) -> Code:
    """Add a code; other stages (the results reader) call this for their range."""
    if code.code in CODES:
        raise ValueError(f"diagnostic code {code.code} is registered twice")
    if code.stage not in STAGES:
        raise ValueError(f"{code.code}: unknown stage {code.stage!r}")
    CODES[code.code] = code
    return code


def lookup(key: str) -> Code | None:
    """A code by number ("MRP101", "mrp101", "101") or by slug ("weights-total")."""
    key = key.strip()
    codes = all_codes()
    upper = key.upper()
    if upper.isdigit():
        upper = "MRP" + upper.zfill(3)
    if upper in codes:
        return codes[upper]
    return next((c for c in codes.values() if c.name == key.lower()), None)


def severity_of(code: str) -> Severity:
    entry = CODES.get(code)
    return entry.severity if entry else Severity.ERROR


def _c(code: str, name: str, title: str, severity: Severity, stage: str, explanation: str, why: str,
       bad: str = "", good: str = "") -> None:  # fmt: skip
    register(Code(code, name, title, severity, stage, _text(explanation), _text(why), _text(bad), _text(good)))


def _text(s: str) -> str:
    return textwrap.dedent(s).strip("\n")


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741

# --------------------------------------------------------------------------
# MRP0xx: syntax and loading (reported by mrpl.parse and mrpl.load)

_c("MRP001", "file-too-large", "The file is too large to be a plan", E, "syntax",
   "mrpl reads files of at most 16 MB. Larger input is refused before parsing.",
   "A plan is a few hundred lines; a huge file is almost certainly the wrong file, and reading it would freeze "
   "the editor.")  # fmt: skip
_c("MRP002", "unexpected-token", "Unexpected word or symbol", E, "syntax",
   "The parser found something it did not expect at this point; the message says what it expected, and after "
   "which keyword, or names the mistake: a misspelt keyword (`resultatkrv`), a `}` missing (found from the "
   "indentation), a range of years where one period belongs, a unit in a "
   "fulfilment scale. One mistake gives one message: the parser drops the broken statement (with the block "
   "it opens, or the lines indented below it when its `{` is missing) and reads on from the next statement.",
   "Nothing after a syntax error can be trusted, so the checker does not run until the file parses.",
   """
   mål 1.1 "Service" {
     vægt fem
   }
   """,
   """
   mål 1.1 "Service" {
     vægt 5
   }
   """)  # fmt: skip
_c("MRP003", "too-deeply-nested", "Blocks nested too deeply", E, "syntax",
   "The plan nests blocks (such as `gruppe` inside `gruppe`) hundreds of levels deep.",
   "Real plans nest a few levels; this protects the compiler from running out of stack.")  # fmt: skip
_c("MRP004", "bad-character", "A character that cannot start anything", E, "syntax",
   "Outside quotes only keywords, numbers, dates, goal numbers and a few symbols are allowed.",
   "Text outside quotes is usually a forgotten pair of quotes.",
   'mål 1.1 Service { }',
   'mål 1.1 "Service" { }')  # fmt: skip
_c("MRP005", "unclosed-text", "A text is never closed", E, "syntax",
   'A `"` (or `"""`) opens a text that no matching quote closes.',
   "Everything up to the end of the file would silently become part of the text.",
   'tekst "SIRI skal hjælpe kommunerne',
   'tekst "SIRI skal hjælpe kommunerne"')  # fmt: skip
_c("MRP006", "not-utf8", "The file is not UTF-8", E, "load",
   "Plans are read as UTF-8. The file (or an imported file) contains bytes that are not UTF-8, typically a file "
   "saved as Latin-1 or Windows-1252.",
   "Danish letters (æ, ø, å) would be garbled in every output.")  # fmt: skip
_c("MRP007", "missing-import", "An imported file does not exist", E, "load",
   "`importer \"file.mrp\"` names a file that cannot be read. Paths are relative to the importing file.",
   "The imported goals (usually the group-wide goals 2.x) would be missing from the plan.",
   'importer "shared/koncernfaelles.mrp"',
   'importer "shared/koncernfaelles-2022.mrp"')  # fmt: skip
_c("MRP008", "import-cycle", "Files import each other", E, "load",
   "A file imports itself, directly or through other files.",
   "The plan would be infinitely long.")  # fmt: skip
_c("MRP009", "unknown-placeholder", "A placeholder has no value", E, "load",
   "A `{{name}}` placeholder is neither set by `sæt name \"...\"` in the `importer` block nor derived from the "
   "plan header (styrelse, forkortelse, ministerium, departement, år).",
   "The braces would be printed in the signed document.",
   'tekst "{{styrlese}} skal nå niveau 4"',
   'tekst "{{styrelse}} skal nå niveau 4"')  # fmt: skip
_c("MRP010", "duplicate-field", "A field is given twice", E, "syntax",
   "A block states the same single-valued field twice, e.g. two `vægt` lines in one goal.",
   "Only one value can be right; mrpl will not guess which.",
   """
   mål 1.1 "Service" {
     vægt 5
     vægt 10
   }
   """,
   """
   mål 1.1 "Service" {
     vægt 5
   }
   """)  # fmt: skip
_c("MRP011", "override-without-goal", "An import adjusts a goal the file does not have", E, "load",
   "A `mål N { ... }` block inside `importer` adjusts a shared goal, but the imported file has no goal N.",
   "The agency-specific difference would silently be lost.",
   'importer "shared.mrp" { mål 2.4 { vægt 5 } }',
   'importer "shared.mrp" { mål 2.1 { vægt 5 } }')  # fmt: skip
_c("MRP012", "undeclared-placeholder", "A module uses a placeholder it does not declare", E, "load",
   "A file that declares parameters (a module of shared goals) uses a `{{name}}` placeholder that is not one of "
   "them. Every placeholder of a module is declared with `parameter name \"description\"`, so that the plans "
   "importing it know what to fill in.",
   "An importing plan could not know it must give the value; the braces would be printed in its document.",
   """
   parameter styrelse "Styrelsens navn"
   mål 2.1 "Fælles" { tekst "{{styrlese}} fastholder niveau 4" }
   """,
   """
   parameter styrelse "Styrelsens navn"
   mål 2.1 "Fælles" { tekst "{{styrelse}} fastholder niveau 4" }
   """)  # fmt: skip
_c("MRP013", "missing-parameter", "An import gives no value for a module's parameter", E, "load",
   "The imported module declares a parameter without a default, and neither `sæt name \"...\"` in the "
   "`importer` block nor the plan header (styrelse, forkortelse, ministerium, departement, år) gives it.",
   "The shared goals would be printed with the placeholder's braces in the signed document.",
   'importer "shared/koncernfaelles-2022.mrp" { mål 2.1 { vægt 5 } }',
   'importer "shared/koncernfaelles-2022.mrp" { sæt styrelse "Styrelsen" }')  # fmt: skip
_c("MRP014", "unknown-parameter", "An import sets a parameter the module does not declare", E, "load",
   "`sæt name \"...\"` in an `importer` block names no parameter of the imported module (a misspelling, or a "
   "parameter the module no longer has).",
   "The value would silently fill nothing.",
   'importer "shared/koncernfaelles-2022.mrp" { sæt styrlese "Styrelsen" }',
   'importer "shared/koncernfaelles-2022.mrp" { sæt styrelse "Styrelsen" }')  # fmt: skip
_c("MRP020", "not-a-date", "Not a calendar date", E, "syntax",
   "The date does not exist (31 June, 29 February in a common year, month 13).",
   "A deadline on a day that does not exist cannot be met or checked.",
   "periode 2022-01-01 til 2022-06-31",
   "periode 2022-01-01 til 2022-12-31")  # fmt: skip
_c("MRP021", "number-too-long", "A number with too many digits", E, "syntax",
   "A number, day, year or goal number has more than 15 digits in a row.",
   "No plan counts beyond a thousand billion; a longer number is a typing accident, and no date, weight or "
   "amount could be computed or printed with it.",
   "vægt 40000000000000000000",
   "vægt 40")  # fmt: skip
_c("MRP030", "import-outside-project", "An import reaches outside the project", E, "load",
   "`importer` names a file outside the project root: the directory of the plan being checked, or the nearest "
   "directory above it holding a `mrpl.toml` (see docs/hardening.md). Absolute paths and `..` that leave the "
   "root are refused, and so are symbolic links that point outside it.",
   "A plan is checked, built and signed from its own folder; reading other files of the machine would show "
   "their contents in diagnostics and make the plan depend on files nobody reviews.",
   'importer "/etc/passwd"',
   'importer "shared/koncernfaelles-2022.mrp"')  # fmt: skip
_c("MRP031", "import-not-a-plan", "An import names something that is not a plan file", E, "load",
   "`importer` names a directory, a device, a pipe, a file larger than a plan can be (16 MB), or a chain of "
   "symbolic links that never ends.",
   "Reading a device or a pipe would block or fill memory; a directory has no goals.",
   'importer "shared"',
   'importer "shared/koncernfaelles-2022.mrp"')  # fmt: skip

# --------------------------------------------------------------------------
# MRP1xx: weights

_c("MRP101", "weights-total", "The weights do not add up to the plan's total", E, "check",
   """
   The weights of all scored goals add up to the plan's `total` (100 points unless the header says otherwise).
   A goal counts with its own weight, or with the sum of its requirements' weights when it has none; with a
   `vægttabel` the table is the weight source. Unscored (`ikke scoret`) requirements do not count; dropped
   (`udgået`) ones do, because the plan was signed with them (scoring rebases the total when one drops). The
   message says how many scored requirements have no weight at all. Checked only in a plan with a
   `plan { }` header: a shared file of goals is a fragment.
   """,
   "The weights are what the director's performance is scored on; a plan adding up to 95 cannot be met in full.",
   """
   mål 1.1 "Service" { vægt 60 ... }
   mål 1.2 "Kvalitet" { vægt 30 ... }
   """,
   """
   mål 1.1 "Service" { vægt 70 ... }
   mål 1.2 "Kvalitet" { vægt 30 ... }
   """)  # fmt: skip
_c("MRP102", "goal-weight-mismatch", "A goal's weight differs from its requirements' weights", E, "check",
   "When a goal and its scored requirements all state weights, the goal's weight is the sum of theirs.",
   "Two different numbers for the same goal: the document would contradict itself.",
   """
   mål 1.1 "Service" {
     vægt 10
     resultatkrav a { vægt 5 }
     resultatkrav b { vægt 4 }
   }
   """,
   """
   mål 1.1 "Service" {
     vægt 10
     resultatkrav a { vægt 5 }
     resultatkrav b { vægt 5 }
   }
   """)  # fmt: skip
_c("MRP103", "group-weight-mismatch", "A sub-weight group differs from its members", E, "check",
   "A `gruppe` with a weight equals the sum of its members' weights (`del` and nested `gruppe`), at every level.",
   "The annex's point table would not add up (SIRI 2020: 35 = 8 + 7 + 5 + 5 + 5 + 5).",
   """
   gruppe "Erhverv" { vægt 35; del "A" { vægt 20 }; del "B" { vægt 10 } }
   """,
   """
   gruppe "Erhverv" { vægt 35; del "A" { vægt 20 }; del "B" { vægt 15 } }
   """)  # fmt: skip
_c("MRP104", "groups-requirement-mismatch", "A requirement's groups differ from its weight", E, "check",
   "The top-level groups of a requirement add up to the requirement's weight (or its goal's, for a goal's only "
   "requirement).",
   "The split of a requirement's points must account for all of them, no more.",
   """
   resultatkrav { vægt 70; gruppe "A" { vægt 35 }; gruppe "B" { vægt 15 } }
   """,
   """
   resultatkrav { vægt 70; gruppe "A" { vægt 35 }; gruppe "B" { vægt 35 } }
   """)  # fmt: skip
_c("MRP105", "non-positive-weight", "A weight is zero or negative", E, "check",
   "Weights are positive. A requirement that should not count is marked `ikke scoret` or `udgået` instead.",
   "A zero weight looks scored but is not; a negative one rewards failure.",
   "resultatkrav a { vægt 0 }",
   'resultatkrav a { ikke scoret }')  # fmt: skip
_c("MRP106", "missing-weight", "A scored requirement has no weight", W, "check",
   "Neither the requirement, nor its goal, nor the weight table gives it a weight.",
   "Its fulfilment cannot be turned into points; the total (MRP101) will be short.",
   'mål 1.1 "Service" { resultatkrav a { tekst "..." } }',
   'mål 1.1 "Service" { resultatkrav a { tekst "..."; vægt 5 } }')  # fmt: skip
_c("MRP107", "weight-table-gap", "The weight table leaves out a scored goal", E, "check",
   "With a `vægttabel`, every scored goal is in it: by its number, or by all its scored requirements' ids.",
   "The table is the weight source; a goal left out would score nothing.",
   """
   vægttabel { 1.1 60 }   # goal 1.2 is missing
   """,
   """
   vægttabel { 1.1 60; 1.2 40 }
   """)  # fmt: skip
_c("MRP108", "weight-table-conflict", "The weight table and the goal disagree", E, "check",
   "A goal or requirement has a weight both inline and in the weight table, and the two differ. Equal weights are "
   "allowed (the table then repeats the goal); the table's value is used for the sums.",
   "A reader of the goal and a reader of the table would see different points.",
   """
   mål 1.1 "Service" { vægt 50 ... }
   vægttabel { 1.1 60 }
   """,
   """
   mål 1.1 "Service" { ... }
   vægttabel { 1.1 60 }
   """)  # fmt: skip
_c("MRP109", "weight-table-duplicate", "The weight table names something twice", E, "check",
   "Each goal or requirement appears in the weight table at most once.",
   "Two weights for one goal: which one counts?",
   "vægttabel { 1.1 60; 1.1 40 }",
   "vægttabel { 1.1 60; 1.2 40 }")  # fmt: skip

_c("MRP120", "weight-in-unweighted", "A weight in a plan or section without weights", E, "check",
   """
   The plan header, or a goal section, says `vægtning ingen`: its goals are counted (met or not), not scored in
   points. A `vægt` on such a goal, requirement or part, a `vægttabel` entry for one, or the plan's `total` in an
   unweighted plan contradicts that.
   """,
   "A weight that counts for nothing would tell the reader the goal is scored in points.",
   """
   afsnit 2 "Udviklingsaktiviteter" {
     vægtning ingen
     mål 2.1 "Kompetencer" { vægt 10 ... }
   }
   """,
   """
   afsnit 2 "Udviklingsaktiviteter" {
     vægtning ingen
     mål 2.1 "Kompetencer" { ... }
   }
   """)  # fmt: skip

# --------------------------------------------------------------------------
# MRP2xx: numbering and references

_c("MRP201", "duplicate-goal", "Two goals have the same number", E, "check",
   "Goal numbers are unique in the whole plan, imported files included.",
   "Methods, weights and results refer to goals by number.",
   'mål 1.1 "Service" { ... }\nmål 1.1 "Kvalitet" { ... }',
   'mål 1.1 "Service" { ... }\nmål 1.2 "Kvalitet" { ... }')  # fmt: skip
_c("MRP202", "duplicate-requirement", "Two requirements of a goal have the same label", E, "check",
   "Requirement labels (a, b, ... or 1, 2, ...) are unique within their goal; a goal has at most one unlabelled "
   "requirement.",
   "Results refer to requirements by id (1.1.a).",
   "resultatkrav a { ... }\nresultatkrav a { ... }",
   "resultatkrav a { ... }\nresultatkrav b { ... }")  # fmt: skip
_c("MRP203", "goal-numbering-gap", "Goals are not numbered in order", W, "check",
   "Within a section, goals are numbered N.1, N.2, N.3 ... in order without gaps.",
   "A gap usually means a goal was deleted or renumbered and references were not updated.",
   'mål 1.1 "A" { ... }\nmål 1.3 "B" { ... }',
   'mål 1.1 "A" { ... }\nmål 1.2 "B" { ... }')  # fmt: skip
_c("MRP204", "goal-outside-its-section", "A goal's number does not match its section", W, "check",
   "Goals of `afsnit N` are numbered N.x.",
   "The printed goal table would show a 2.x goal among the 1.x goals.",
   'afsnit 1 "Faglige mål" { mål 2.1 "A" { ... } }',
   'afsnit 1 "Faglige mål" { mål 1.1 "A" { ... } }')  # fmt: skip
_c("MRP205", "requirement-numbering-gap", "Requirements are not labelled in order", W, "check",
   "A goal's requirements are labelled a, b, c ... or 1, 2, 3 ... in order, without gaps, not mixing letters and "
   "numbers.",
   "A gap usually means a requirement was deleted and references were not updated.",
   "resultatkrav a { ... }\nresultatkrav c { ... }",
   "resultatkrav a { ... }\nresultatkrav b { ... }")  # fmt: skip
_c("MRP206", "unknown-method-target", "A measurement method refers to no goal", E, "check",
   "An `opgørelsesmetode N` in an annex names a goal or requirement id the plan does not have. The help suggests "
   "the closest goal, by the method's title (the area) and by number.",
   "The method would describe nothing, and the goal it was meant for would have none.",
   'bilag "Opgørelsesmetoder" { opgørelsesmetode 1.9 "Servicemål" { ... } }',
   'bilag "Opgørelsesmetoder" { opgørelsesmetode 1.4 "Servicemål" { ... } }')  # fmt: skip
_c("MRP207", "method-names-other-goal", "A measurement method's title names another goal", E, "check",
   "The method refers to goal N, but its title is the area of a different goal M (and not of N). This is the "
   "SIRI 2020 annex, which numbers the service goal 1.5 while the plan numbers it 1.4. The help offers M as a "
   "replacement.",
   "The wrong goal would be measured by the method, and the right one by none.",
   """
   mål 1.4 "Servicemål" { ... }
   mål 1.5 "Digitalisering" { ... }
   bilag "Metoder" { opgørelsesmetode 1.5 "Servicemål" { ... } }
   """,
   """
   bilag "Metoder" { opgørelsesmetode 1.4 "Servicemål" { ... } }
   """)  # fmt: skip
_c("MRP208", "unknown-weight-entry", "A weight table entry refers to no goal", E, "check",
   "A `vægttabel` entry names a goal number or requirement id the plan does not have.",
   "Its points would go nowhere.",
   "vægttabel { 1.9 10 }",
   "vægttabel { 1.1 10 }")  # fmt: skip
_c("MRP209", "unknown-footnote", "A footnote reference has no footnote", E, "check",
   "A `[^n]` in a text, or `fodnote n` in `resultatløn`, refers to no `fodnote n \"...\"` of the plan.",
   "The printed document would show a dangling reference.",
   'tekst "Se note[^2]"\nfodnote 1 "..."',
   'tekst "Se note[^1]"\nfodnote 1 "..."')  # fmt: skip
_c("MRP210", "duplicate-footnote", "Two footnotes have the same label", E, "check",
   "Footnote labels are unique.",
   "A reference could not tell which footnote it means.",
   'fodnote 1 "A"\nfodnote 1 "B"',
   'fodnote 1 "A"\nfodnote 2 "B"')  # fmt: skip
_c("MRP211", "unused-footnote", "A footnote is never referred to", W, "check",
   "No text refers to the footnote with `[^n]`, and `resultatløn` does not name it.",
   "The footnote would be printed without anchor, or the reference was lost in an edit.",
   'fodnote 1 "..."   # and no [^1] anywhere',
   'tekst "Se note[^1]"\nfodnote 1 "..."')  # fmt: skip
_c("MRP212", "duplicate-section", "Two sections have the same number", E, "check",
   "Section numbers are unique; goals of section N are numbered N.x.",
   "Goal numbers would clash.",
   'afsnit 1 "Faglige mål" { ... }\nafsnit 1 "Interne mål" { ... }',
   'afsnit 1 "Faglige mål" { ... }\nafsnit 2 "Interne mål" { ... }')  # fmt: skip

# --------------------------------------------------------------------------
# MRP3xx: dates and deadlines

_c("MRP301", "deadline-outside-period", "A deadline lies outside the contract period", E, "check",
   """
   Every deadline (`frist`), drop date (`udgået ... dato`), share deadline (`senest`) and scope (`omfang ... i`) lies
   inside the header's `periode`. A multi-year contract accepts all its years.
   """,
   "A 2022 plan cannot be scored on something due in 2023: the result is not known when the year is reported.",
   """
   periode 2022-01-01 til 2022-12-31
   ...
   frist 1. kvartal 2023
   """,
   """
   periode 2022-01-01 til 2022-12-31
   ...
   frist 4. kvartal 2022
   """)  # fmt: skip
_c("MRP302", "ambiguous-deadline", "A deadline without a year in a multi-year period", W, "check",
   "A deadline such as `2. kvartal` takes its year from a one-year period. In a period of several years it could "
   "mean any of them.",
   "Different readers would pick different years.",
   "periode 2021-01-01 til 2023-12-31\n...\nfrist 2. kvartal",
   "periode 2021-01-01 til 2023-12-31\n...\nfrist 2. kvartal 2022")  # fmt: skip
_c("MRP303", "bad-quarter", "No such quarter or half-year", E, "check",
   "Quarters are 1-4 and half-years 1-2.",
   "`5. kvartal` is a typo for some other quarter; mrpl will not guess which.",
   "frist 5. kvartal 2022",
   "frist 4. kvartal 2022")  # fmt: skip
_c("MRP304", "signed-late", "A signature is dated after the period started", W, "check",
   "The director or the department head signs on a date after the contract period began.",
   "A contract signed in, say, March governs a year already under way; usually the date is a typo.",
   'periode 2022-01-01 til 2022-12-31\ndirektør "X" { dato 2022-03-15 }',
   'periode 2022-01-01 til 2022-12-31\ndirektør "X" { dato 2021-12-15 }')  # fmt: skip
_c("MRP305", "period-reversed", "The period ends before it starts", E, "check",
   "`periode A til B` needs A on or before B.",
   "No deadline could be inside such a period.",
   "periode 2022-12-31 til 2022-01-01",
   "periode 2022-01-01 til 2022-12-31")  # fmt: skip
_c("MRP306", "year-outside-period", "The plan's year is outside its period", W, "check",
   "The header's `år` is not one of the period's years.",
   "The title page and the deadlines would speak of different years.",
   "år 2021\nperiode 2022-01-01 til 2022-12-31",
   "år 2022\nperiode 2022-01-01 til 2022-12-31")  # fmt: skip

_c("MRP310", "text-names-other-deadline", "A requirement's text names another deadline than its `frist`", W,
   "check",
   """
   The requirement's text (or its label, such as `"1. kvartal"`) names a quarter, half-year or date, and none of the
   times it names ends on the same day as one of the requirement's `frist`. Times are compared by their last day, so
   "1. halvår" agrees with `frist 2. kvartal`, and "ultimo marts 2022" with `frist 31. marts 2022`.
   """,
   "The document prints both: a reader cannot tell which deadline the agency is held to.",
   """
   tekst "Løsningen er i drift i 3. kvartal."
   frist 2. kvartal
   """,
   """
   tekst "Løsningen er i drift i 2. kvartal."
   frist 2. kvartal
   """)  # fmt: skip
_c("MRP320", "target-years-outside-period", "A target's years lie outside the contract period", E, "check",
   "`måltal ... i 2017` (or `i 2016-2019`) names the years of a multi-year plan the target applies to; they lie "
   "inside the header's `periode`, first year first.",
   "A target for a year the contract does not cover is never scored.",
   "periode 2016-2019\nmåltal andel mindst 90 % af \"sagerne\" i 2020",
   "periode 2016-2019\nmåltal andel mindst 90 % af \"sagerne\" i 2019")  # fmt: skip
_c("MRP321", "target-years-overlap", "Two targets on the same quantity for the same year", E, "check",
   "A requirement with targets per year gives each year one target of a kind: `andel mindst 80 % i 2016` and "
   "`andel mindst 85 % i 2017-2019`, not a second one for 2017.",
   "A year with two targets has no single target to score against.",
   "måltal andel mindst 80 % af \"sagerne\" i 2016-2017\nmåltal andel mindst 85 % af \"sagerne\" i 2017-2019",
   "måltal andel mindst 80 % af \"sagerne\" i 2016\nmåltal andel mindst 85 % af \"sagerne\" i 2017-2019")  # fmt: skip
_c("MRP322", "yearly-rate-without-baseline-year", "A yearly rate names no baseline year", W, "check",
   "`stigning 2 % om året` moves the target every year from a baseline: `ift. 2015 2.000` says from which year "
   "and which value. Without a year, scoring counts from the year before the period.",
   "The target for 2018 depends on how many years the rate has run.",
   "måltal stigning 2 % om året",
   "måltal stigning 2 % om året ift. 2015 2.000")  # fmt: skip
_c("MRP323", "baseline-not-before-target", "A baseline is not before the years it is compared with", E, "check",
   "A change is measured against a baseline period before the years the target applies to: a target for "
   "2016-2019 against 2011-2015, a target `i 2019` from a level `i 2015`.",
   "A baseline inside the years it measures would compare a result with itself.",
   "periode 2016-2019\nmåltal stigning 10 % ift. 2016-2018",
   "periode 2016-2019\nmåltal stigning 10 % ift. 2011-2015")  # fmt: skip
_c("MRP330", "year-out-of-range", "A year no plan can mean", E, "check",
   "A year in the header, a signature or a deadline lies outside 1900-2200.",
   "It is a typing accident (`ultimo 0`, `2. kvartal 20222`); no calendar, score or document can be computed "
   "with it.",
   "frist ultimo 20222",
   "frist ultimo 2022")  # fmt: skip

_c("MRP431", "cell-disagrees-with-target", "A part's table cell says another number than its target", W, "check",
   """
   `celle "31"` in a sub-weight part (`del`) is what the annex table prints in the target column, as the
   annex writes it ("31", "0-1 dag"). Its last number must be the number of the part's target: the days
   of `andel ... inden for 31 dage`, a time target's duration, or a count.
   """,
   "The printed annex and the scoring would disagree about what the agency must reach.",
   'del "Beløbsordningen 1. gang" { vægt 8; måltal andel mindst 90 % inden for 31 dage; celle "62" }',
   'del "Beløbsordningen 1. gang" { vægt 8; måltal andel mindst 90 % inden for 31 dage; celle "31" }')  # fmt: skip
_c("MRP432", "level-words", "A level in words that is empty or a number", W, "check",
   """
   `niveau "det forventede modenhedsniveau" på 7 områder` states a level in words, where the plan names no
   number; each area then reaches it or not. Words that are only a number (`niveau "4"`) should be the
   number itself, and empty words say nothing.
   """,
   "A level written as a number is compared with the level reported; in words it is only reached or not.",
   'måltal niveau "4" på 7 områder',
   'måltal niveau 4 på 7 områder')  # fmt: skip

# --------------------------------------------------------------------------
# MRP4xx: targets and scales

_c("MRP401", "percent-out-of-range", "A percentage outside 0-100", E, "check",
   "Shares, reductions, thresholds in % and fulfilment percentages lie between 0 and 100. (An increase may exceed "
   "100 %.)",
   "110 % of the cases cannot be decided on time.",
   "måltal andel mindst 110 % inden for 30 dage",
   "måltal andel mindst 90 % inden for 30 dage")  # fmt: skip
_c("MRP402", "count-not-whole", "A count is not a whole number", E, "check",
   "`antal` targets count things: a whole, non-negative number.",
   '"mindst 12,5 udsendelsesprojekter" cannot be reported.',
   'måltal antal mindst 12,5 "projekter"',
   'måltal antal mindst 12 "projekter"')  # fmt: skip
_c("MRP403", "change-without-baseline", "An increase or reduction names no baseline", W, "check",
   "`stigning` and `fald` say what they are measured against: `ift. \"ultimo 2021\"`.",
   "A 10 % reduction of an unknown starting point cannot be scored.",
   "måltal fald 10 %",
   'måltal fald 10 % ift. "ultimo 2021"')  # fmt: skip
_c("MRP404", "scale-without-otherwise", "A fulfilment scale does not end with `ellers`", E, "check",
   "A `trin` scale and the `resultatløn` `skala` end with exactly one `ellers` step, so every result gets a "
   "fulfilment.",
   "A result below the lowest step would have no fulfilment at all.",
   "opfyldelse trin { mindst 90 %: 100 %; mindst 80 %: 50 % }",
   "opfyldelse trin { mindst 90 %: 100 %; mindst 80 %: 50 %; ellers: 0 % }")  # fmt: skip
_c("MRP405", "scale-overlap", "Fulfilment steps overlap or are out of order", E, "check",
   "Steps are tried from the top: with `mindst` the thresholds fall step by step, with `højst` they rise; one scale "
   "uses one direction; the fulfilment never rises as the result gets worse.",
   "Overlapping steps give one result two fulfilments.",
   "opfyldelse trin { mindst 80 %: 50 %; mindst 90 %: 100 %; ellers: 0 % }",
   "opfyldelse trin { mindst 90 %: 100 %; mindst 80 %: 50 %; ellers: 0 % }")  # fmt: skip
_c("MRP406", "linear-range", "A linear scale's floor and ceiling are wrong", E, "check",
   "`lineær fra FLOOR til CEILING`: FLOOR gives 0 %, CEILING 100 %. The two differ and have the same unit; FLOOR is "
   "below CEILING unless the target is `højst`/`under` (lower is better, e.g. processing times).",
   "An empty or reversed range makes every result 0 % or 100 %.",
   "måltal andel mindst 90 % af \"sager\"\nopfyldelse lineær fra 90 % til 80 %",
   "måltal andel mindst 90 % af \"sager\"\nopfyldelse lineær fra 80 % til 90 %")  # fmt: skip
_c("MRP407", "share-without-limit", "A share target says not of what or by when", W, "check",
   "A share (`andel`) needs a time limit (`inden for 30 dage`), a deadline (`senest ...`) or a denominator "
   "(`af \"sagerne\"`).",
   "\"90 %\" of nothing in particular cannot be measured.",
   "måltal andel mindst 90 %",
   "måltal andel mindst 90 % inden for 30 dage")  # fmt: skip
_c("MRP408", "assessment-over-maximum", "Assessment points exceed the maximum", E, "check",
   "`vurdering mindst P af M point` needs 0 < P <= M.",
   "More points than the maximum can never be reached.",
   "måltal vurdering mindst 120 af 108 point",
   "måltal vurdering mindst 81 af 108 point")  # fmt: skip
_c("MRP409", "scale-points-repeat", "An assessment scale repeats a point value", E, "check",
   "The `point N \"definition\"` lines of a measurement method have distinct values.",
   "An assessor could not tell which definition a score means.",
   'point 1 "Ikke tilfredsstillende"\npoint 1 "Tilfredsstillende"',
   'point 1 "Ikke tilfredsstillende"\npoint 2 "Tilfredsstillende"')  # fmt: skip

_c("MRP440", "change-levels-disagree", "A change's levels and percentage disagree", E, "check",
   "`stigning 20 % fra 2.000 til 2.400` states the change twice: the percentage is the step from the first level "
   "to the second, in percent of the first (rounded to the percentage's own decimals). An increase goes up, a "
   "reduction down.",
   "The document would promise two different targets.",
   "måltal stigning 25 % fra 2.000 til 2.400 \"brugere\"",
   "måltal stigning 20 % fra 2.000 til 2.400 \"brugere\"")  # fmt: skip
_c("MRP441", "change-from-zero", "A change in percent from a level of 0", E, "check",
   "A change in percent is measured in percent of the baseline; from 0 every increase is infinite.",
   "The target cannot be computed.",
   "måltal stigning fra 0 til 400 \"brugere\"",
   "måltal antal mindst 400 \"brugere\"")  # fmt: skip
_c("MRP444", "pay-linear-range", "The pay scale's floor is not below its full-pay point", E, "check",
   "`skala lineær fra FLOOR til FULL` in `resultatløn`: no pay at or below FLOOR, full pay from FULL, linear between. "
   "FLOOR is below FULL and both have the same unit.",
   "A floor above the full-pay point pays everything or nothing.",
   "resultatløn {\n  maksimum 150.000 kr\n  skala lineær fra 100 point til 60 point\n}",
   "resultatløn {\n  maksimum 150.000 kr\n  skala lineær fra 60 point til 100 point\n}")  # fmt: skip
_c("MRP445", "pay-cap-above-maximum", "A pay cap that caps nothing", W, "check",
   "`loft` caps the pay below the `maksimum` (in kroner, in % of the salary, or in % of the maximum). A cap at or "
   "above the maximum, or without a maximum, has no effect.",
   "A cap that never applies suggests a typing error in one of the two amounts.",
   "maksimum 150.000 kr\nloft 200.000 kr",
   "maksimum 150.000 kr\nloft 120.000 kr")  # fmt: skip
_c("MRP446", "pay-without-rule", "A pay maximum without a rule from points to pay", E, "check",
   "A `resultatløn` with a `maksimum` says how points become pay: a `skala { ... }` of steps or "
   "`skala lineær fra FLOOR til FULL`.",
   "Without a rule no amount can be computed.",
   "resultatløn {\n  maksimum 150.000 kr\n}",
   "resultatløn {\n  maksimum 150.000 kr\n  skala lineær fra 60 point til 100 point\n}")  # fmt: skip
_c("MRP420", "goal-status-rule", "A goal-status rule cannot be applied", E, "check",
   "`målstatus andel R X %` compares a goal's fulfilment with X from below (`mindst` or `over`); an optional "
   "`delvist R Y %` names a lower threshold for \"Delvist opfyldt\", so Y lies below X.",
   "A rule that makes a goal partly met above the line for met, or met by falling short, cannot give a status.",
   "målstatus andel mindst 80 % delvist mindst 90 %",
   "målstatus andel mindst 80 % delvist mindst 50 %")  # fmt: skip

# --------------------------------------------------------------------------
# MRP5xx: budget table

_c("MRP501", "budget-total", "A budget column does not add up to its total", E, "check",
   "Each column's rows add up to the total row, within rounding: half a unit of the last decimal per row "
   "(0,05 x rows when amounts have one decimal).",
   "A budget table that does not add up is the first thing a reader notices.",
   'kolonner R 2021 | B 2022\ntotal "I alt" | 10,0 | 12,0\nrække 1 "A" | 6,0 | 7,0\nrække 2 "B" | 3,0 | 5,0',
   'kolonner R 2021 | B 2022\ntotal "I alt" | 10,0 | 12,0\nrække 1 "A" | 7,0 | 7,0\nrække 2 "B" | 3,0 | 5,0')  # fmt: skip
_c("MRP502", "budget-dash", "A budget total relies on cells with no amount", I, "check",
   "A column has `-` cells (no amount, not zero) and still a total; the check counts them as zero.",
   "Worth a glance: a `-` may hide a missing amount.",
   'total "I alt" | 10,0\nrække 1 "A" | 10,0\nrække 2 "B" | -',
   'total "I alt" | 10,0\nrække 1 "A" | 10,0\nrække 2 "B" | 0,0')  # fmt: skip
_c("MRP503", "budget-row-width", "A budget row has the wrong number of cells", E, "check",
   "Every row, the total row included, has one cell per column.",
   "Amounts would end up under the wrong year.",
   'kolonner R 2021 | B 2022\nrække 1 "A" | 6,0',
   'kolonner R 2021 | B 2022\nrække 1 "A" | 6,0 | 7,0')  # fmt: skip
_c("MRP504", "budget-core-task", "Budget rows and core tasks do not match", W, "check",
   "In `kerneopgaver`, every `række N` has a `kerneopgave N` and every core task a budget row.",
   "The budget would allocate money to a task the plan does not describe.",
   'kerneopgave 1 "Rekruttering"\nbudget { ... række 2 "Integration" | 3,0 }',
   'kerneopgave 1 "Rekruttering"\nbudget { ... række 1 "Rekruttering" | 3,0 }')  # fmt: skip

# --------------------------------------------------------------------------
# MRP6xx: completeness

_c("MRP601", "missing-method", "A scored requirement has no measurement method", W, "check",
   "A scored requirement has an `opgørelsesmetode` on itself or its goal, or an annex method referring to it or to "
   "its goal.",
   "Without a method, department and agency may disagree on whether the requirement was met.",
   'mål 1.1 "Service" { resultatkrav a { vægt 5 } }',
   'mål 1.1 "Service" { resultatkrav a { vægt 5; opgørelsesmetode { tekst "..." } } }')  # fmt: skip
_c("MRP602", "placeholder-text", "Placeholder text left in the plan", E, "check",
   """
   A text still holds a placeholder: `[DEP INDSÆTTER ...]`, `[udfyldes af departementet]`, an all-capitals or
   empty bracket (`[...]`, `[ ]`), `XX`, `TODO` or `TBD`. Every text and name of the plan is scanned.
   """,
   "The SIRI 2020 annex was published with \"[DEP INDSÆTTER POINTGIVNING]\" in it.",
   'kriterium "Point: [DEP INDSÆTTER POINTGIVNING]"',
   'kriterium "Point: 3 point pr. sagstype"')  # fmt: skip
_c("MRP603", "empty-section", "A section has no goals", W, "check",
   "An `afsnit` holds no goals (and imports none).",
   "The printed plan would have an empty goal table.",
   'afsnit 2 "Interne mål" { }',
   'afsnit 2 "Interne mål" { importer "shared.mrp" }')  # fmt: skip
_c("MRP604", "goal-without-requirement", "A goal has no requirements", W, "check",
   "Every goal has at least one `resultatkrav`: the measurable part.",
   "A goal with nothing to measure cannot be scored.",
   'mål 1.1 "Service" { tekst "..." }',
   'mål 1.1 "Service" { tekst "..."; resultatkrav { ... } }')  # fmt: skip
_c("MRP605", "goal-without-text", "A goal has no area or no goal text", W, "check",
   "A goal names its area (`mål 1.1 \"Område\"`) and says what it aims at (`tekst`).",
   "The goal table has a column for each.",
   'mål 1.1 { resultatkrav { ... } }',
   'mål 1.1 "Service" { tekst "SIRI skal overholde servicemålene"; resultatkrav { ... } }')  # fmt: skip
_c("MRP606", "header-incomplete", "The header lacks the agency or the period", E, "check",
   "A plan's header names the agency (`styrelse`) and the contract period (`periode`).",
   "Placeholders, dates and the title page all depend on them.",
   'plan { titel "Mål- og resultatplan 2022" }',
   'plan { styrelse "Hjemrejsestyrelsen"; periode 2022-01-01 til 2022-12-31 }')  # fmt: skip
_c("MRP607", "header-unsigned", "The header lacks a signatory", W, "check",
   "A plan is signed by the agency's director (`direktør`) and the department head (`departementschef`).",
   "The plan is also the director's contract; without both parties it is not agreed.",
   'plan { styrelse "X"; periode 2022-01-01 til 2022-12-31 }',
   'plan { ...; direktør "A" { titel "Direktør" }; departementschef "B" { titel "Departementschef" } }')  # fmt: skip
_c("MRP608", "goal-outside-section", "A goal stands outside every section", W, "check",
   "In a plan with a header, goals belong in an `afsnit`; top-level goals are for shared files only.",
   "The goal would be printed in no goal table.",
   'plan { ... }\nmål 1.1 "Service" { ... }',
   'plan { ... }\nafsnit 1 "Faglige mål" { mål 1.1 "Service" { ... } }')  # fmt: skip

_c("MRP621", "standard-text-needs-facts", "A standard text lacks a fact it states", E, "check",
   """
   A standard text (`standardtekst ...`) is a fixed sentence filled with facts from the plan header:
   `standardtekst indledning` names the parties (`departement`, or `ministerium`, and `styrelse`),
   `standardtekst periode` states the contract period (`periode`). Without the header, or without
   the department, the sentence cannot be written; it is left out of the document rather than
   printed with a gap (a missing `styrelse` or `periode` is MRP606).
   """,
   "A signed contract must not read \"indgået mellem s departement og Styrelsen\".",
   'plan { styrelse "Hjemrejsestyrelsen"; periode 2022-01-01 til 2022-12-31 }\nstandardtekst indledning',
   'plan { ministerium "Udlændinge- og Integrationsministeriet"; styrelse "Hjemrejsestyrelsen"; ... }\n'
   'standardtekst indledning')  # fmt: skip
_c("MRP622", "standard-text-repeated", "A standard text is asked for twice", W, "check",
   "The same `standardtekst` is written twice; the document prints it once.",
   "The second line is usually a copy-paste slip, or meant another standard text.",
   "standardtekst opfølgning\nstandardtekst opfølgning",
   "standardtekst opfølgning\nstandardtekst genforhandling")  # fmt: skip

# --------------------------------------------------------------------------
# MRP7xx: guidance

_c("MRP701", "goal-count", "Unusually few or many goals", I, "check",
   "The ministry's guidance suggests 3 to 10 goals per agency plan.",
   "Too few goals say little about the agency; too many dilute every one of them.",
   "a plan with 14 goals",
   "a plan with 7 goals")  # fmt: skip
_c("MRP702", "missing-deadline", "A requirement says nothing about when", W, "check",
   """
   A milestone requirement, or one with no target at all, has no `frist`, no scope period (`omfang ... i`) and no
   share deadline (`senest`). Measured targets (shares, times, counts, levels, changes, assessments, kept
   statuses) are read at the end of the period, so for them the period end is the implied deadline and nothing
   is reported.
   """,
   "Milestones without a date cannot be followed up at the department's follow-ups (udgiftsopfølgning I-III).",
   'resultatkrav a { tekst "Evalueringen er gennemført"; måltal milepæl }',
   'resultatkrav a { tekst "Evalueringen er gennemført"; frist 2. kvartal; måltal milepæl }')  # fmt: skip


# --------------------------------------------------------------------------
# Documentation


def explain(code: Code) -> str:
    """The text `mrplc explain` prints."""
    parts = [
        f"{code.code} {code.name}: {code.title}",
        f"Severity: {code.severity.word} ({'can' if code.suppressible else 'cannot'} be suppressed)",
        "",
        code.explanation,
        "",
        "Why it matters: " + code.why,
    ]
    if code.bad:
        parts += ["", "Example (reported):", textwrap.indent(code.bad, "    ")]
    if code.good:
        parts += ["", "Instead:", textwrap.indent(code.good, "    ")]
    return "\n".join(parts)


_JSON_DOC = f"""
## JSON output

`mrplc check --format json` prints one object on stdout (schema version {JSON_SCHEMA_VERSION}):

```json
{{
  "version": {JSON_SCHEMA_VERSION},
  "diagnostics": [
    {{
      "code": "MRP301",
      "severity": "error",
      "message": "the deadline 1. kvartal 2023 is after the contract period ends (2022-12-31)",
      "file": "examples/plan.mrp",
      "range": {{
        "start": {{"line": 40, "column": 12, "offset": 1234}},
        "end": {{"line": 40, "column": 30, "offset": 1252}}
      }},
      "notes": [],
      "suggestion": null,
      "replacement": null,
      "related": [{{"file": "...", "range": {{"...": "..."}}, "message": "first defined here"}}]
    }}
  ]
}}
```

| field | meaning |
|---|---|
| `version` | schema version; bumped on incompatible changes |
| `code` | `MRPnnn`, documented below |
| `severity` | `error`, `warning` or `info` (`--strict` reports warnings as errors) |
| `message` | one sentence |
| `file` | the file the range is in (an imported file for imported goals) |
| `range` | lines and columns 1-based, columns in Unicode code points; offsets 0-based; `end` is exclusive |
| `notes` | further explanation, may be empty |
| `suggestion` | a human hint ("did you mean 1.4?") or null |
| `replacement` | exact text to put at `range` to fix the problem (editor code actions), or null |
| `related` | other locations that explain the diagnostic |

Diagnostics are sorted by file, line, column and code. Exit status: 0 no errors, 1 errors, 2 usage or I/O problems.
"""

_SUPPRESSION_DOC = """
## Suppressing a warning

A comment `# mrpl: ignore[MRP702]` (several codes separated by commas) silences those codes

- on the line of the comment and on the line just below it (so it can stand above the statement), and
- for a whole goal and its requirements: on the line above a `mål`, on its first line, or anywhere inside its
  block.

Only warnings and info can be suppressed. Errors cannot: a plan with an error is not a valid contract, and a
silenced error would still be wrong in the printed document. An ignore comment naming an error adds a note to
that error instead. `--strict` promotes the remaining (unsuppressed) warnings to errors.
"""


def _entry_markdown(code: Code) -> str:
    lines = [
        f'<a id="{code.code.lower()}"></a>',
        "",
        f"### {code.code} `{code.name}`: {code.title}",
        "",
        f"*Severity:* {code.severity.word}. *Reported by:* {code.stage}. "
        f"*Suppressible:* {'yes' if code.suppressible else 'no'}.",
        "",
        code.explanation,
        "",
        f"**Why it matters.** {code.why}",
    ]
    for caption, example in (("Reported", code.bad), ("Instead", code.good)):
        if example:
            lines += ["", f"{caption}:", "", "```mrpl", example, "```"]
    return "\n".join(lines)


def diagnostics_markdown() -> str:
    """docs/diagnostics.md, generated from the registry (a test compares)."""
    codes = sorted(all_codes().values(), key=lambda c: c.code)
    head = [
        "# Diagnostics",
        "",
        "<!-- Generated by mrpl.codes.diagnostics_markdown(); do not edit by hand.",
        "     Regenerate: python -c 'import mrpl.codes as c; print(c.diagnostics_markdown(), end=\"\")'"
        " > docs/diagnostics.md -->",
        "",
        "Every message of `mrplc parse`, `mrplc check` and the language server has a code. "
        "`mrplc explain CODE` prints an entry below.",
        "",
        "| range | topic |",
        "|---|---|",
        *(f"| {r} | {topic} |" for r, topic in RANGES),
        "",
        "| code | name | severity | title |",
        "|---|---|---|---|",
        *(f"| [{c.code}](#{c.code.lower()}) | `{c.name}` | {c.severity.word} | {c.title} |"
          for c in codes),
    ]  # fmt: skip
    body = [_entry_markdown(c) for c in codes]
    return "\n".join(head) + "\n" + _SUPPRESSION_DOC + _JSON_DOC + "\n## Codes\n\n" + "\n\n".join(body) + "\n"
