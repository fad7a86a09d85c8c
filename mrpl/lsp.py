"""`mrplc lsp`: a language server for plan files (pygls, stdio).

Features: diagnostics (parser, loader, checker) on open, save and
change (re-parsing only the goal or statement an edit falls in, see
mrpl.incremental); outline; hover with weights, shares and targets in words, and
explanations of codes in `# mrpl: ignore[...]`; go to definition and find
references for goal and requirement numbers and imported files; completion;
quick fixes from `Diagnostic.replacement`; formatting.

AST columns are code points; every position sent to the client goes through
the negotiated position encoding (UTF-16 by default), so Danish letters and
emoji never shift an underline.

`measure_change_latency` drives the server over stdio from a client and times
change -> publishDiagnostics, for the benchmarks.
"""

from __future__ import annotations

import asyncio
import bisect
import os
import re
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

from lsprotocol import types as T
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace.position_codec import PositionCodec, ServerTextPosition

import mrpl
from mrpl import ast as A
from mrpl.diagnostics import Diagnostic, Severity
from mrpl.incremental import reparse
from mrpl.keywords import keywords
from mrpl.load import LoadResult, load_parsed, read_text
from mrpl.lsp_first import FirstSession, import_span, own_diagnostics
from mrpl.lsp_first import norm as _norm
from mrpl.lsp_transport import AnsweringProtocol, SaneFraming
from mrpl.parse import ParseResult, parse_source

# No waiting after a change: re-parsing one goal is quick. Changes that arrive
# together still coalesce, since each cancels the analysis not yet started.
DEBOUNCE_SECONDS = 0.0
# An id as a plan writes it ("1.1.a", "3.1", "3", "A", "S2"); only ids the plan defines count.
_GOAL_ID = re.compile(r"(?:\d+|[A-ZÆØÅ]\d*)(?:\.(?:\d+|[a-zæøå]))*")
_IGNORE_CODES = re.compile(r"#\s*mrpl:\s*ignore\[([^\]]*)\]")
_IMPORT_LINE = re.compile(r'^\s*(?:importer|import|plan)\s+"([^"]*)"')  # `plan "..."`: what an allonge amends
_PART_PREFIX = re.compile(r'(?:\bdel|\bpart)\s+"[^"]*$')
_SEVERITY = {
    Severity.ERROR: T.DiagnosticSeverity.Error,
    Severity.WARNING: T.DiagnosticSeverity.Warning,
    Severity.INFO: T.DiagnosticSeverity.Information,
}


def _check(result: LoadResult) -> list[Diagnostic]:
    """The semantic checker, when it is installed (imported lazily: it may be absent)."""
    try:
        from mrpl.check import check
    except ImportError:
        return []
    return check(result)


@dataclass(slots=True)
class Analysis:
    """One open document, as last analysed."""

    uri: str
    path: str
    text: str
    load: LoadResult
    diagnostics: list[Diagnostic]

    @property
    def parse(self) -> ParseResult:
        return self.load.root

    @property
    def language(self) -> str:
        return self.parse.language


# --------------------------------------------------------------------------
# Positions


def _lines(text: str) -> list[str]:
    return text.split("\n")


class Positions:
    """Converts between AST positions (1-based, code points) and the client's units."""

    def __init__(self, text: str, codec: PositionCodec) -> None:
        self.lines = _lines(text)
        self.codec = codec
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def position(self, line: int, column: int) -> T.Position:
        return self.codec.position_to_client_units(self.lines, ServerTextPosition(line - 1, max(column - 1, 0)))

    def range(self, span: A.Span) -> T.Range:
        return T.Range(start=self.position(span.line, span.column), end=self.position(span.end_line, span.end_column))

    def offset(self, position: T.Position) -> int:
        server = self.codec.position_from_client_units(
            self.lines, T.Position(line=position.line, character=position.character)
        )
        if server.line >= len(self.starts):
            return self.starts[-1] + len(self.lines[-1])
        return self.starts[server.line] + server.character

    def at_offset(self, offset: int) -> T.Position:
        line = bisect.bisect_right(self.starts, offset) - 1
        return self.position(line + 1, offset - self.starts[line] + 1)

    def word_at(self, position: T.Position, pattern: re.Pattern[str]) -> str | None:
        offset = self.offset(position)
        line = self.lines[position.line] if position.line < len(self.lines) else ""
        column = offset - self.starts[min(position.line, len(self.starts) - 1)]
        for m in pattern.finditer(line):
            if m.start() <= column <= m.end():
                return m.group()
        return None


# --------------------------------------------------------------------------
# Plan queries (pure: tested without a client too)


def _contains(span: A.Span, offset: int) -> bool:
    return span.end > span.start and span.start <= offset <= span.end


def weight_of_goal(goal: A.Goal) -> Decimal:
    if goal.weight is not None:
        return goal.weight.value
    return sum((r.weight.value for r in goal.requirements if r.weight is not None), Decimal(0))


def plan_total(plan: A.Plan) -> Decimal:
    if plan.header is not None and plan.header.total is not None:
        return plan.header.total.value
    return sum((weight_of_goal(g) for g in plan.all_goals()), Decimal(0))


def _points(value: Decimal, lang: str = "da") -> str:
    """A number as the plan's readers write it (Babel, via mrpl.i18n when present)."""
    try:
        from mrpl.i18n import format_number
    except ImportError:
        return format(value.normalize(), "f").replace(".", ",")
    return format_number(value.quantize(Decimal("0.01")).normalize(), lang)


def _weight_words(weight: A.Weight | Decimal | None, lang: str = "da") -> str:
    if weight is None:
        return ""
    value = weight if isinstance(weight, Decimal) else weight.value
    unit = "%" if isinstance(weight, A.Weight) and weight.unit is A.WeightUnit.PERCENT else "point"
    return f"{_points(value, lang)} {unit}"


def _label(goal: A.Goal, req: A.Requirement) -> str:
    """ "a)" under its goal; a label that is an id of its own ("3.1", "7") as it stands."""
    if req.label and not req.qualified:
        return req.label
    return f"{req.label})" if req.label else (req.display or goal.number)


def document_symbols(plan: A.Plan, positions: Positions) -> list[T.DocumentSymbol]:
    """The outline: sections, goals "1.1 Område (5 point)", requirements "a) (10 point)"."""

    def requirement_symbol(goal: A.Goal, req: A.Requirement) -> T.DocumentSymbol:
        weight = f" ({_weight_words(req.weight)})" if req.weight is not None else ""
        symbol = _symbol(_label(goal, req) + weight, T.SymbolKind.Field, req.span, positions)
        symbol.detail = req.type
        return symbol

    def goal_symbol(goal: A.Goal) -> T.DocumentSymbol:
        weight = weight_of_goal(goal) if goal.weight is None and goal.requirements else goal.weight
        suffix = f" ({_weight_words(weight)})" if weight is not None else ""
        if not plan.is_weighted(goal):
            suffix = " (uvægtet)"
        reqs = [requirement_symbol(goal, r) for r in goal.requirements if r.span.end > r.span.start]
        name = f"{goal.number} {goal.area}".rstrip() + suffix
        symbol = _symbol(name, T.SymbolKind.Class, goal.span, positions, reqs)
        symbol.detail = goal.type
        return symbol

    def spanned(goals: tuple[A.Goal, ...]) -> list[A.Goal]:
        return [g for g in goals if g.span.end > g.span.start]

    out = []
    for section in plan.sections:
        in_tasks = [g for t in section.core_tasks for g in t.goals]
        children = [goal_symbol(g) for g in spanned(section.goals) if g not in in_tasks]
        for task in section.core_tasks:
            if task.span.end > task.span.start:
                goals = [goal_symbol(g) for g in spanned(task.goals)]
                children.append(_symbol(task.title, T.SymbolKind.Module, task.span, positions, goals))
        children.sort(key=lambda c: (c.range.start.line, c.range.start.character))
        out.append(
            _symbol(f"{section.number} {section.title}", T.SymbolKind.Namespace, section.span, positions, children)
        )
    out += [goal_symbol(g) for g in spanned(plan.goals)]
    if plan.weights is not None and plan.weights.span.end > plan.weights.span.start:
        title = plan.weights.title or "vægttabel"
        out.append(_symbol(title, T.SymbolKind.Array, plan.weights.span, positions))
    if plan.pay is not None and plan.pay.span.end > plan.pay.span.start:
        symbol = _symbol("resultatløn", T.SymbolKind.Property, plan.pay.span, positions)
        symbol.detail = _pay_words(plan.pay, "da") or None
        out.append(symbol)
    return out


def _symbol(name: str, kind: T.SymbolKind, span: A.Span, positions: Positions,
            children: list[T.DocumentSymbol] | None = None) -> T.DocumentSymbol:  # fmt: skip
    full = positions.range(span)
    head = T.Range(start=full.start, end=positions.position(span.line, len(positions.lines[span.line - 1]) + 1))
    if span.end_line == span.line:
        head = full
    return T.DocumentSymbol(name=name or "?", kind=kind, range=full, selection_range=head, children=children or None)


def _node_at(plan: A.Plan, path: str, offset: int) -> tuple[A.GoalSection | None, A.Goal, A.Requirement | None] | None:
    """The innermost goal (and requirement) of this file around an offset."""
    for section, goal in _goals_with_sections(plan):
        if goal.span.file != path or not _contains(goal.span, offset):
            continue
        req = next((r for r in goal.requirements if _contains(r.span, offset)), None)
        return section, goal, req
    return None


def _goals_with_sections(plan: A.Plan) -> Iterator[tuple[A.GoalSection | None, A.Goal]]:
    for section in plan.sections:
        for goal in section.goals:
            yield section, goal
    for goal in plan.goals:
        yield None, goal


def hover_text(plan: A.Plan, path: str, offset: int, lang: str) -> str | None:
    """Weight, share of the plan total, running total of the section, targets and deadlines;
    over the pay section, the pay in money."""
    found = _node_at(plan, path, offset)
    if found is None:
        pay = plan.pay
        if pay is not None and pay.span.file == path and _contains(pay.span, offset):
            return _pay_hover(pay, lang)
        return None
    return describe_node(plan, *found, lang)


def hover_for_ref(plan: A.Plan, ident: str, lang: str) -> str | None:
    """What an id in an allonge names in the plan as amended (weight, targets, deadlines)."""
    for section, goal in _goals_with_sections(plan):
        if goal.number == ident:
            single = goal.requirements[0] if len(goal.requirements) == 1 else None
            req = single if single is not None and single.label is None and goal.weight is None else None
            return describe_node(plan, section, goal, req, lang)
        for req in goal.requirements:
            if A.requirement_id(goal, req) == ident:
                return describe_node(plan, section, goal, req, lang)
    return None


def describe_node(
    plan: A.Plan, section: A.GoalSection | None, goal: A.Goal, req: A.Requirement | None, lang: str
) -> str:
    total = plan_total(plan)
    weight = (req.weight.value if req.weight else None) if req else weight_of_goal(goal)
    running = _running_total(section, goal, req)
    da = lang == "da"
    title = f"**{goal.number} {goal.area}**" if req is None else f"**{A.requirement_id(goal, req)}**"
    lines = [title, ""]
    kind = req.type if req is not None and req.type else goal.type
    if kind:
        lines.append(f"Type: {kind}")
    if not plan.is_weighted(goal):
        lines.append("Uvægtet (`vægtning ingen`): tælles som opfyldt eller ej" if da
                     else "Unweighted (`weighting none`): counted as met or not")  # fmt: skip
        weight = None
    if req is None:
        from mrpl.i18n import describe_goal_rule

        lines.append(f"{'Målstatus' if da else 'Goal status'}: {describe_goal_rule(plan.goal_rule_of(goal), lang)}")
    if weight is not None:
        share = (
            f" — {_points(weight * 100 / total)} % {'af planens' if da else 'of the plan total'} {_points(total)}"
            if total
            else ""
        )
        lines.append(f"{'Vægt' if da else 'Weight'}: {_points(weight)} point{share}")
    if section is not None and plan.is_weighted(goal):
        lines.append(
            f"{'Løbende sum i afsnit' if da else 'Running total in section'} {section.number}: {_points(running)} point"
        )
    for target, deadlines in _targets(goal, req):
        lines.append(f"- {_describe_target(target, lang)}")
        lines += _yearly_targets(plan, target, lang)
        lines += [f"  {'frist' if da else 'deadline'}: {_deadline(d, lang)}" for d in deadlines]
    if req is not None and req.deadlines and not req.targets:
        lines += [f"{'Frist' if da else 'Deadline'}: {_deadline(d, lang)}" for d in req.deadlines]
    return "\n".join(lines)


def _yearly_targets(plan: A.Plan, target: A.Target, lang: str) -> list[str]:
    """A yearly rate's target in each year of the period: "  2017: stigning på 4,04 pct. ..."."""
    if not isinstance(target, A.ChangeTarget) or not target.yearly:
        return []
    from mrpl.years import plan_years, target_in_year

    period = plan.header.period if plan.header is not None else None
    return [f"  {y}: {_describe_target(target_in_year(target, y, period), lang)}" for y in plan_years(plan) or ()]


def _pay_words(pay: A.PerformancePay, lang: str) -> str:
    """The pay in money in one line: "maksimum 150.000 kr.; lineært fra 60 point til 100 point"."""
    from mrpl.i18n import describe_pay_amount, format_kroner, format_quantity

    da = lang == "da"
    parts = []
    if pay.maximum is not None:
        parts.append(f"{'maksimum' if da else 'maximum'} {describe_pay_amount(pay.maximum, lang)}")
    if pay.salary is not None:
        parts.append(f"{'løn' if da else 'salary'} {format_kroner(pay.salary, lang)}")
    if pay.cap is not None:
        parts.append(f"{'loft' if da else 'cap'} {describe_pay_amount(pay.cap, lang)}")
    if pay.floor is not None and pay.full is not None:
        low, high = format_quantity(pay.floor, lang), format_quantity(pay.full, lang)
        parts.append(f"{'lineært fra' if da else 'linear from'} {low} {'til' if da else 'to'} {high}")
    elif pay.schedule:
        parts.append(f"{len(pay.schedule)} {'trin' if da else 'steps'}")
    return "; ".join(parts)


def _pay_hover(pay: A.PerformancePay, lang: str) -> str:
    from mrpl.i18n import describe_pay_linear

    lines = [f"**{'Resultatløn' if lang == 'da' else 'Performance pay'}**", ""]
    words = _pay_words(pay, lang)
    if words:
        lines.append(words[0].upper() + words[1:])
    if pay.floor is not None and pay.full is not None:
        lines.append(describe_pay_linear(pay.floor, pay.full, lang))
    return "\n".join(lines)


_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-zæøåÆØÅ_][\wæøåÆØÅ]*)\s*\}\}")  # as mrpl.prose reads them
_SET_VALUE = re.compile(r"[ \t]*(?:sæt|set)[ \t]+([a-zæøå_][a-zæøå0-9_]*)")


def parameter_hover(parses: Iterable[ParseResult], line: str, column: int, lang: str) -> str | None:
    """On `{{name}}` or `sæt name`: the module parameter's declaration (description, default)."""
    name = next((m.group(1) for m in _PLACEHOLDER.finditer(line) if m.start() <= column < m.end()), None)
    if name is None and (m := _SET_VALUE.match(line)) is not None and m.start(1) <= column <= m.end(1):
        name = m.group(1)
    if name is None:
        return None
    for parse in parses:
        for p in parse.plan.parameters if parse.plan is not None else ():
            if p.name == name:
                da = lang == "da"
                lines = [
                    f"**{{{{{p.name}}}}}** — {'parameter i' if da else 'parameter of'} `{os.path.basename(parse.path)}`"
                ]
                lines += ["", p.description]
                if p.default is not None:
                    lines += ["", f"{'Standard' if da else 'Default'}: “{p.default}”"]
                return "\n".join(lines)
    return None


def _running_total(section: A.GoalSection | None, goal: A.Goal, req: A.Requirement | None) -> Decimal:
    if section is None:
        return weight_of_goal(goal)
    total = Decimal(0)
    for g in section.goals:
        if g is not goal:
            total += weight_of_goal(g)
            continue
        if req is None:
            return total + weight_of_goal(g)
        for r in g.requirements:
            total += r.weight.value if r.weight else Decimal(0)
            if r is req:
                return total
    return total


def _targets(goal: A.Goal, req: A.Requirement | None) -> Iterator[tuple[A.Target, tuple[A.Deadline, ...]]]:
    for r in (req,) if req is not None else goal.requirements:
        for target in r.targets:
            yield target, r.deadlines


def _describe_target(target: A.Target, lang: str) -> str:
    try:
        from mrpl.i18n import describe_target
    except ImportError:
        return type(target).__name__
    return describe_target(target, lang)


def _deadline(deadline: A.Deadline, lang: str) -> str:
    try:
        from mrpl.i18n import format_deadline
    except ImportError:
        return deadline.written
    return format_deadline(deadline, lang)


def _import_span(analysis: Analysis, file: str) -> A.Span | None:
    """The `importer` statement through which `file` was read (the first one for deeper imports)."""
    return import_span(analysis.parse.plan, analysis.path, file)


def code_explanation(line: str, column: int) -> str | None:
    """The explanation of the diagnostic code under `column` in a `# mrpl: ignore[...]` comment."""
    for m in _IGNORE_CODES.finditer(line):
        for code in re.finditer(r"[A-Za-z0-9-]+", m.group(1)):
            start = m.start(1) + code.start()
            if start <= column <= start + len(code.group()):
                from mrpl.codes import explain, lookup

                entry = lookup(code.group())
                return explain(entry) if entry else f"{code.group()}: no such diagnostic code"
    return None


def definitions(plan: A.Plan) -> dict[str, A.Span]:
    """Every goal and requirement id, to where it is defined."""
    out: dict[str, A.Span] = {}
    for goal in plan.all_goals():
        out.setdefault(goal.number, goal.span)
        for req in goal.requirements:
            out.setdefault(A.requirement_id(goal, req), req.span)
    return out


def reference_spans(sources: dict[str, str], ident: str) -> Iterator[tuple[str, int, int]]:
    """(file, start, end) of every whole-token occurrence of a goal or requirement id."""
    pattern = re.compile(rf"(?<![\w.]){re.escape(ident)}(?![\w.])")
    for path, text in sources.items():
        for m in pattern.finditer(text):
            yield path, m.start(), m.end()


# --------------------------------------------------------------------------
# The server


class MrplServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "mrpl",
            mrpl.__version__,
            text_document_sync_kind=T.TextDocumentSyncKind.Incremental,
            protocol_cls=AnsweringProtocol,
        )
        self.analyses: dict[str, Analysis] = {}
        self.parse_cache: dict[str, ParseResult] = {}  # imported files, by path as the loader joined it
        self.importers: dict[str, set[str]] = {}  # normalised imported path -> uris of open importers
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self._known_positions: dict[str, tuple[str, Positions]] = {}  # file -> (the text, its positions)
        self.published_first: dict[str, tuple[int, str]] = {}  # uri -> (version, text) the first answer published
        # Analyses run on one worker thread, not on the event loop: a large plan takes seconds,
        # and meanwhile the server answers every request that does not need that plan's new
        # analysis. One worker keeps them in order, and it alone touches the caches below.
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mrpl-analysis")
        self._inflight: dict[str, tuple[str, asyncio.Future[Analysis]]] = {}  # uri -> (its text, the analysis)
        self._tasks: set[asyncio.Task[None]] = set()

    # ---- analysis

    def _reader(self) -> Callable[[str], str]:
        open_docs = {_norm(to_fs_path(uri) or uri): uri for uri in self.workspace.text_documents}

        def read(path: str) -> str:
            uri = open_docs.get(_norm(path))
            if uri is not None:
                return self.workspace.get_text_document(uri).source
            return read_text(path)

        return read

    def analyse(self, uri: str, text: str) -> Analysis:
        """The analysis of `text`, the document's text (on the worker thread)."""
        path = to_fs_path(uri) or uri
        previous = self.analyses.get(uri)
        root = reparse(previous.parse, text) if previous is not None else parse_source(text, path)
        load = load_parsed(root, reader=self._reader(), cache=self.parse_cache)
        diagnostics = [*load.diagnostics, *_check(load)]
        return self.remember(Analysis(uri, path, text, load, diagnostics))

    def remember(self, analysis: Analysis) -> Analysis:
        """Keep an analysis as the document's last (and the files it imports, for their changes)."""
        self.analyses[analysis.uri] = analysis
        for file in analysis.load.files:
            if _norm(file) != _norm(analysis.path):
                self.importers.setdefault(_norm(file), set()).add(analysis.uri)
        return analysis

    async def current(self, uri: str, again: bool = False) -> Analysis:
        """The analysis of the document's current text: the last one when it is current (unless
        `again`: a file it imports changed), else the one under way for this text, else a new one
        on the worker thread."""
        text = self.workspace.get_text_document(uri).source
        analysis = self.analyses.get(uri)
        if analysis is not None and analysis.text == text and not again:
            return analysis
        running = self._inflight.get(uri)
        if running is None or running[0] != text or again:
            future = asyncio.get_running_loop().run_in_executor(self._worker, self.analyse, uri, text)
            running = self._inflight[uri] = (text, future)
        try:
            return await asyncio.shield(running[1])
        finally:
            if self._inflight.get(uri) is running and running[1].done():
                del self._inflight[uri]

    async def publish(self, uri: str, again: bool = False) -> None:
        """Send the diagnostics of the document's current text; `again`: analyse it anew even
        when its text has an analysis (a file it imports changed, or it was saved)."""
        try:
            analysis = await self.current(uri, again)
        except mrpl.SourceError as exc:
            self.window_log_message(T.LogMessageParams(type=T.MessageType.Error, message=str(exc)))
            return
        if uri not in self.workspace.text_documents:
            return  # closed meanwhile
        doc = self.workspace.get_text_document(uri)
        if doc.source != analysis.text:
            return  # edited meanwhile: that edit's own publish follows
        positions = self.positions(analysis.text)
        items = [self.to_lsp(d, positions) for d in self.own_diagnostics(analysis)]
        self.text_document_publish_diagnostics(
            T.PublishDiagnosticsParams(uri=uri, diagnostics=items, version=doc.version)
        )

    def spawn(self, work: Awaitable[None]) -> None:
        """Run `work` on the event loop without waiting for it (kept until done)."""
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def own_diagnostics(self, analysis: Analysis) -> list[Diagnostic]:
        """This file's diagnostics; those found in imported files are shown on the `importer` line."""
        return own_diagnostics(analysis.diagnostics, analysis.parse.plan, analysis.path)

    def to_lsp(self, d: Diagnostic, positions: Positions) -> T.Diagnostic:
        message = d.message + (f"\nhelp: {d.fix}" if d.fix else "")
        related = [
            T.DiagnosticRelatedInformation(
                location=T.Location(uri=from_fs_path(r.span.file) or r.span.file, range=self._range_in(r.span)),
                message=r.message,
            )
            for r in d.related
        ]
        return T.Diagnostic(
            range=positions.range(d.span),
            message=message,
            severity=_SEVERITY[d.severity],
            code=d.code,
            source="mrpl",
            related_information=related or None,
            data={"replacement": d.replacement} if d.replacement is not None else None,
        )

    def _range_in(self, span: A.Span) -> T.Range:
        """A related span's range. The positions of each file are built once per publish (a
        plan with thousands of related entries would otherwise re-split its text for each)."""
        text = self._text_of(span.file)
        if text is None:
            start = T.Position(line=max(span.line - 1, 0), character=0)
            return T.Range(start=start, end=start)
        known = self._known_positions.get(span.file)
        if known is None or known[0] is not text:
            known = self._known_positions[span.file] = (text, self.positions(text))
        return known[1].range(span)

    def _text_of(self, path: str) -> str | None:
        """A file the analyses have read (never one they have not: the import policy decides)."""
        for analysis in self.analyses.values():
            if path in analysis.load.sources:
                return analysis.load.sources[path]
        return None

    def positions(self, text: str) -> Positions:
        return Positions(text, self.workspace.position_codec)

    async def file_changed(self, path: str) -> None:
        """Forget a changed file's cached parse and re-check the open files that import it."""
        importers = await asyncio.get_running_loop().run_in_executor(self._worker, self._forget, path)
        for uri in importers:
            if uri in self.workspace.text_documents:
                await self.publish(uri, again=True)

    def _forget(self, path: str) -> list[str]:
        """(On the worker thread, which alone touches the caches.) The open files importing `path`."""
        key = _norm(path)
        for cached in [p for p in self.parse_cache if _norm(p) == key]:
            del self.parse_cache[cached]
        return sorted(self.importers.get(key, ()))

    def schedule(self, uri: str) -> None:
        handle = self.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()

        async def run() -> None:
            if uri in self.workspace.text_documents:
                await self.publish(uri)
                await self.file_changed(to_fs_path(uri) or uri)

        def due() -> None:
            self.pending.pop(uri, None)
            self.spawn(run())

        self.pending[uri] = asyncio.get_running_loop().call_later(DEBOUNCE_SECONDS, due)


server = MrplServer()


@server.feature(T.TEXT_DOCUMENT_DID_OPEN)
async def did_open(ls: MrplServer, params: T.DidOpenTextDocumentParams) -> None:
    document = params.text_document
    if ls.published_first.pop(document.uri, None) != (document.version, document.text):
        await ls.publish(document.uri)  # (not again what the first answer published for it)
    await ls.file_changed(to_fs_path(params.text_document.uri) or params.text_document.uri)


@server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: MrplServer, params: T.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(T.TEXT_DOCUMENT_DID_SAVE)
async def did_save(ls: MrplServer, params: T.DidSaveTextDocumentParams) -> None:
    await ls.publish(params.text_document.uri, again=True)
    await ls.file_changed(to_fs_path(params.text_document.uri) or params.text_document.uri)


@server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
async def did_close(ls: MrplServer, params: T.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.analyses.pop(uri, None)
    ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
    await ls.file_changed(to_fs_path(uri) or uri)  # importers now read it from disk again


@server.feature(T.WORKSPACE_DID_CHANGE_WATCHED_FILES)
async def did_change_watched_files(ls: MrplServer, params: T.DidChangeWatchedFilesParams) -> None:
    for change in params.changes:
        await ls.file_changed(to_fs_path(change.uri) or change.uri)


@server.feature(T.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
async def document_symbol(ls: MrplServer, params: T.DocumentSymbolParams) -> list[T.DocumentSymbol]:
    analysis = await ls.current(params.text_document.uri)
    plan = analysis.parse.plan
    return document_symbols(plan, ls.positions(analysis.text)) if plan is not None else []


@server.feature(T.TEXT_DOCUMENT_HOVER)
async def hover(ls: MrplServer, params: T.HoverParams) -> T.Hover | None:
    analysis = await ls.current(params.text_document.uri)
    positions = ls.positions(analysis.text)
    offset = positions.offset(params.position)
    line = positions.lines[params.position.line] if params.position.line < len(positions.lines) else ""
    text = code_explanation(line, offset - positions.starts[min(params.position.line, len(positions.starts) - 1)])
    if text is None:
        column = offset - positions.starts[min(params.position.line, len(positions.starts) - 1)]
        text = parameter_hover(analysis.load.parses.values(), line, column, analysis.language)
    if text is None and analysis.load.plan is not None:
        text = hover_text(analysis.load.plan, analysis.path, offset, analysis.language)
    if text is None and analysis.load.plan is not None and _is_allonge(analysis):
        ident = positions.word_at(params.position, _GOAL_ID)
        text = hover_for_ref(analysis.load.plan, ident, analysis.language) if ident else None
    if text is None:
        return None
    return T.Hover(contents=T.MarkupContent(kind=T.MarkupKind.Markdown, value=text))


@server.feature(T.TEXT_DOCUMENT_DEFINITION)
async def definition(ls: MrplServer, params: T.DefinitionParams) -> list[T.Location] | None:
    analysis = await ls.current(params.text_document.uri)
    positions = ls.positions(analysis.text)
    line = positions.lines[params.position.line] if params.position.line < len(positions.lines) else ""
    imported = _IMPORT_LINE.match(line)
    if imported:
        target = os.path.normpath(os.path.join(os.path.dirname(analysis.path), imported.group(1)))
        if os.path.isfile(target) or any(_norm(p) == _norm(target) for p in analysis.load.sources):
            start = T.Position(line=0, character=0)
            return [T.Location(uri=from_fs_path(target) or target, range=T.Range(start=start, end=start))]
    ident = positions.word_at(params.position, _GOAL_ID)
    if ident is None or analysis.load.plan is None:
        return None
    span = definitions(analysis.load.plan).get(ident)
    if span is None or span.end <= span.start:
        return None
    return [T.Location(uri=from_fs_path(span.file) or span.file, range=ls._range_in(span))]


@server.feature(T.TEXT_DOCUMENT_REFERENCES)
async def references(ls: MrplServer, params: T.ReferenceParams) -> list[T.Location]:
    analysis = await ls.current(params.text_document.uri)
    ident = ls.positions(analysis.text).word_at(params.position, _GOAL_ID)
    plan = analysis.load.plan
    if ident is None or plan is None or ident not in definitions(plan):
        return []  # a number that is no id ("inden for 5 dage") has no references
    out = []
    for path, start, end in reference_spans(analysis.load.sources, ident):
        positions = ls.positions(analysis.load.sources[path])
        rng = T.Range(start=positions.at_offset(start), end=positions.at_offset(end))
        out.append(T.Location(uri=from_fs_path(path) or path, range=rng))
    return out


@server.feature(T.TEXT_DOCUMENT_COMPLETION, T.CompletionOptions(trigger_characters=['"', " "]))
async def completion(ls: MrplServer, params: T.CompletionParams) -> T.CompletionList:
    analysis = await ls.current(params.text_document.uri)
    positions = ls.positions(analysis.text)
    line = positions.lines[params.position.line] if params.position.line < len(positions.lines) else ""
    before = line[
        : positions.offset(params.position) - positions.starts[min(params.position.line, len(positions.starts) - 1)]
    ]
    plan = analysis.load.plan or analysis.parse.plan
    if _PART_PREFIX.search(before):
        names = sorted({p.name for p in _parts(plan)}) if plan is not None else []
        return T.CompletionList(
            is_incomplete=False, items=[T.CompletionItem(n, kind=T.CompletionItemKind.Value) for n in names]
        )
    items = [T.CompletionItem(k.spelling(analysis.language), kind=T.CompletionItemKind.Keyword) for k in keywords()]
    if plan is not None:
        items += [T.CompletionItem(i, kind=T.CompletionItemKind.Reference) for i in definitions(plan)]
    return T.CompletionList(is_incomplete=False, items=items)


def _parts(plan: A.Plan) -> Iterator[A.SubWeight]:
    def walk(group: A.SubWeightGroup) -> Iterator[A.SubWeight]:
        for member in group.members:
            yield from walk(member) if isinstance(member, A.SubWeightGroup) else (member,)

    for goal in plan.all_goals():
        for req in goal.requirements:
            for group in req.groups:
                yield from walk(group)


@server.feature(T.TEXT_DOCUMENT_CODE_ACTION)
async def code_action(ls: MrplServer, params: T.CodeActionParams) -> list[T.CodeAction]:
    analysis = await ls.current(params.text_document.uri)
    positions = ls.positions(analysis.text)
    wanted = positions.offset(params.range.start), positions.offset(params.range.end)
    out = []
    as_allonge = allonge_action(analysis, positions)
    if as_allonge is not None:
        out.append(as_allonge)
    for d in analysis.diagnostics:
        if d.replacement is None or _norm(d.span.file or analysis.path) != _norm(analysis.path):
            continue
        if d.span.end < wanted[0] or d.span.start > wanted[1]:
            continue
        edit = T.TextEdit(range=positions.range(d.span), new_text=d.replacement)
        out.append(
            T.CodeAction(
                title=d.fix or f"replace with {d.replacement!r}",
                kind=T.CodeActionKind.QuickFix,
                diagnostics=[ls.to_lsp(d, positions)],
                edit=T.WorkspaceEdit(changes={analysis.uri: [edit]}),
                is_preferred=True,
            )
        )
    return out


def _is_allonge(analysis: Analysis) -> bool:
    return analysis.parse.plan is not None and bool(analysis.parse.plan.amendments)


def _free_name(folder: str, stem: str) -> str:
    for n in range(1, 100):
        name = os.path.join(folder, f"{stem}-allonge-{n}.mrp")
        if not os.path.exists(name):
            return name
    return os.path.join(folder, f"{stem}-allonge.mrp")


def allonge_action(analysis: Analysis, positions: Positions) -> T.CodeAction | None:
    """ "Write this change as an allonge": the unsaved edits of a signed plan become a new allonge
    file naming the plan, and the plan's text goes back to what is saved."""
    if _is_allonge(analysis) or analysis.load.plan is None or not os.path.isfile(analysis.path):
        return None
    try:
        saved_text = read_text(analysis.path)
    except (mrpl.SourceError, UnicodeDecodeError):
        return None
    if saved_text == analysis.text:
        return None
    from mrpl.amend.write import allonge_from_diff
    from mrpl.diff import diff_plans

    saved = mrpl.load_file(analysis.path)
    if saved.plan is None or any(d.severity is Severity.ERROR for d in saved.diagnostics):
        return None
    plan_file = os.path.basename(analysis.path)
    new = analysis.load.plan
    written = allonge_from_diff(diff_plans(saved.plan, new), new, plan_file, analysis.language)
    if written.text is None:
        return None
    target = _free_name(os.path.dirname(analysis.path), os.path.splitext(plan_file)[0])
    uri = from_fs_path(target) or target
    start = T.Position(line=0, character=0)
    whole = T.Range(start=start, end=positions.at_offset(len(analysis.text)))
    changes: list[T.TextDocumentEdit | T.CreateFile | T.RenameFile | T.DeleteFile] = [
        T.CreateFile(uri=uri),
        T.TextDocumentEdit(
            text_document=T.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
            edits=[T.TextEdit(range=T.Range(start=start, end=start), new_text=written.text)],
        ),
        T.TextDocumentEdit(
            text_document=T.OptionalVersionedTextDocumentIdentifier(uri=analysis.uri, version=None),
            edits=[T.TextEdit(range=whole, new_text=saved_text)],
        ),
    ]
    n = len(written.operations)
    title = f"Write this change as an allonge ({n} {'change' if n == 1 else 'changes'}: {os.path.basename(target)})"
    return T.CodeAction(title=title, kind=T.CodeActionKind.RefactorRewrite,
                        edit=T.WorkspaceEdit(document_changes=changes))  # fmt: skip


@server.feature(T.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: MrplServer, params: T.DocumentFormattingParams) -> list[T.TextEdit] | None:
    from mrpl.fmt import FormatError, format_source

    doc = ls.workspace.get_text_document(params.text_document.uri)
    try:
        text = format_source(doc.source, to_fs_path(doc.uri) or doc.uri)
    except FormatError:
        return None  # syntax errors: the diagnostics already say so
    if text == doc.source:
        return []
    lines = _lines(doc.source)
    end = ls.positions(doc.source).position(len(lines), len(lines[-1]) + 1)
    return [T.TextEdit(range=T.Range(start=T.Position(line=0, character=0), end=end), new_text=text)]


def start(framing: SaneFraming | None = None, first: FirstSession | None = None) -> None:
    """Serve on stdio until the client says exit; input framing checked by `SaneFraming`.
    After a first answer (mrpl/lsp_first.py) the server reads what it read again, from the
    start, without answering again what it answered, and takes the analyses it made."""
    framing = framing or SaneFraming(sys.stdin.buffer)
    if first is not None:
        framing.replay(first.bodies)
        server.protocol.answered_before = set(first.answered)  # type: ignore[attr-defined]
        server.parse_cache.update(first.parse_cache)
        for opened in first.opened:
            server.remember(Analysis(opened.uri, opened.path, opened.text, opened.load, opened.diagnostics))
            server.published_first[opened.uri] = (opened.version, opened.text)
    server.start_io(stdin=framing)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Latency measurement (for the benchmarks)


def measure_change_latency(path: str, rounds: int = 10, command: list[str] | None = None) -> list[float]:
    """Seconds from each didChange to the publishDiagnostics that answers it,
    measured over stdio against a real server process."""
    return asyncio.run(_measure(path, rounds, command or [sys.executable, "-m", "mrpl", "lsp"]))


async def _measure(path: str, rounds: int, command: list[str]) -> list[float]:
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("mrpl-latency", "1")
    published: asyncio.Queue[T.PublishDiagnosticsParams] = asyncio.Queue()

    @client.feature(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: T.PublishDiagnosticsParams) -> None:
        published.put_nowait(params)

    await client.start_io(*command)
    try:
        await client.initialize_async(T.InitializeParams(capabilities=T.ClientCapabilities()))
        client.initialized(T.InitializedParams())
        uri = from_fs_path(os.path.abspath(path)) or path
        text = read_text(path)
        client.text_document_did_open(
            T.DidOpenTextDocumentParams(
                text_document=T.TextDocumentItem(uri=uri, language_id="mrpl", version=1, text=text)
            )
        )
        await published.get()
        timings = []
        for n in range(rounds):
            version = n + 2
            body = text + ("\n" if n % 2 == 0 else "")
            change = T.TextDocumentContentChangeWholeDocument(text=body)
            started = time.perf_counter()
            client.text_document_did_change(
                T.DidChangeTextDocumentParams(
                    text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=[change]
                )
            )
            while (await published.get()).version != version:
                pass
            timings.append(time.perf_counter() - started)
        await client.shutdown_async(None)
        client.exit(None)
    finally:
        await client.stop()
    return timings
