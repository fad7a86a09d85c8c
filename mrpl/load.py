"""Files to a resolved plan: reading, imports, placeholders, overrides.

`load_file` parses a plan and every file it imports (paths relative to the
importing file), puts the imported goals where the `importer` stood, fills
`{{name}}` placeholders and applies the plan's per-agency overrides. The result
holds no `Import` nodes and no placeholders, so later stages never see files.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable
from dataclasses import field
from typing import Any

from mrpl import ast as A
from mrpl.dataclassgen import dataclass  # dataclasses.dataclass, its methods generated ahead
from mrpl.diagnostics import Diagnostic, Related, Severity
from mrpl.parse import ParseResult, parse_source
from mrpl.project import FileTooLarge, NotAPlanFile, SourceError, check_import, project_root, read_plan_bytes
from mrpl.scanners import compile_ahead

Reader = Callable[[str], str]
# `{{name}}` in a one-line text; prose (mrpl.prose) reads the same form as a Placeholder node.
PLACEHOLDER = compile_ahead(r"\{\{\s*([A-Za-zæøåÆØÅ_][\wæøåÆØÅ]*)\s*\}\}")
__all__ = ["LoadResult", "SourceError", "load_file", "load_parsed", "load_string", "parse_file", "read_text"]


@dataclass(slots=True)
class LoadResult:
    plan: A.Plan | None
    diagnostics: list[Diagnostic]
    root: ParseResult
    sources: dict[str, str] = field(default_factory=dict)  # every file read, for snippets
    files: tuple[str, ...] = ()
    parses: dict[str, ParseResult] = field(default_factory=dict)  # every file's own parse (comments, keywords)

    @property
    def path(self) -> str:
        return self.root.path


def read_text(path: str) -> str:
    """Read a plan as UTF-8 text; raises SourceError for I/O (FileTooLarge, NotAPlanFile:
    see mrpl.project), UnicodeDecodeError for bytes."""
    return read_plan_bytes(path).decode("utf-8")


def _decode_error(path: str, data_error: UnicodeDecodeError, raw: bytes) -> Diagnostic:
    before = raw[: data_error.start]
    line = before.count(b"\n") + 1
    col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1  # characters, not bytes
    span = A.Span(data_error.start, data_error.start + 1, line, col, line, col + 1, path)
    return Diagnostic(
        "MRP006",
        Severity.ERROR,
        f"this file is not UTF-8 text (byte 0x{raw[data_error.start]:02x})",
        span,
        fix="save the plan as UTF-8",
    )


def parse_file(path: str, reader: Reader | None = None) -> ParseResult:
    """Parse one file without resolving its imports."""
    try:
        text = (reader or read_text)(path)
    except FileTooLarge as exc:
        span = A.Span(0, 0, 1, 1, 1, 1, path)
        return ParseResult(None, [Diagnostic("MRP001", Severity.ERROR, str(exc), span)], "", path)
    except UnicodeDecodeError as exc:
        raw = read_plan_bytes(path)
        return ParseResult(None, [_decode_error(path, exc, raw)], raw.decode("utf-8", "replace"), path)
    return parse_source(text, path)


def load_file(path: str, reader: Reader | None = None, cache: dict[str, ParseResult] | None = None) -> LoadResult:
    """Parse and resolve a plan file. Raises SourceError if `path` cannot be read."""
    return load_parsed(parse_file(path, reader), reader, cache)


def load_string(text: str, path: str = "<input>", reader: Reader | None = None) -> LoadResult:
    """Parse and resolve plan text; imports are read relative to `path`."""
    return load_parsed(parse_source(text, path), reader)


def load_parsed(
    root: ParseResult, reader: Reader | None = None, cache: dict[str, ParseResult] | None = None
) -> LoadResult:
    """Resolve a file that is already parsed (the language server re-parses only what changed)."""
    return _Loader(reader, cache).resolve(root)


class _Loader:
    def __init__(self, reader: Reader | None, cache: dict[str, ParseResult] | None) -> None:
        self.reader = reader or read_text
        self.cache = cache if cache is not None else {}
        self.diagnostics: list[Diagnostic] = []
        self.sources: dict[str, str] = {}
        self.parses: dict[str, ParseResult] = {}
        self.stack: list[str] = []
        self.project_root = ""
        self.header_values: dict[str, str] = {}  # placeholder values the root plan's header gives
        self.declared: dict[str, frozenset[str]] = {}  # module file -> its parameters' names

    def resolve(self, root: ParseResult) -> LoadResult:
        self.project_root = project_root(root.path)
        self.sources[root.path] = root.source
        self.parses[root.path] = root
        self.diagnostics.extend(root.diagnostics)
        plan = root.plan
        if plan is not None:
            self.stack.append(_norm(root.path))
            self.header_values = _default_values(plan)
            self._check_declared(root)
            try:
                plan = self._resolve_plan(plan, root.path)
                if plan.amendments:
                    plan = self._amended(plan, root.path)
                if plan is not None and any("{{" in text for text in self.sources.values()):
                    # A module checked alone keeps the placeholders it declares without a default.
                    values = {**parameter_defaults(plan.parameters), **self.header_values}
                    plan = _fill_placeholders(plan, values, self._unknown_placeholder)
            except RecursionError:
                self._error("MRP003", "the plan is nested too deeply to read", plan.span)
                plan = None
        files = tuple(self.sources)
        return LoadResult(plan, self.diagnostics, root, self.sources, files, self.parses)

    # ---- imports

    def _resolve_plan(self, plan: A.Plan, path: str) -> A.Plan:
        sections = tuple(self._resolve_section(s, path) for s in plan.sections)
        extra_sections: list[A.GoalSection] = []
        extra_goals: list[A.Goal] = []
        for imp in plan.imports:
            module = self._import(imp, path)
            if module is not None:
                extra_sections += module.sections
                extra_goals += module.goals
        return dataclasses.replace(
            plan, sections=sections + tuple(extra_sections), goals=plan.goals + tuple(extra_goals), imports=()
        )

    def _resolve_section(self, section: A.GoalSection, path: str) -> A.GoalSection:
        goals = list(section.goals)
        for imp in section.imports:
            module = self._import(imp, path)
            if module is not None:
                goals += module.all_goals()
        return dataclasses.replace(section, goals=tuple(goals), imports=())

    def _import(self, imp: A.Import, importer: str) -> A.Plan | None:
        target = os.path.normpath(os.path.join(os.path.dirname(importer), imp.path))
        key = _norm(target)
        if key in self.stack:
            chain = " → ".join(os.path.basename(p) for p in [*self.stack[self.stack.index(key) :], key])
            self._error("MRP008", f"import cycle: {chain}", imp.span)
            return None
        parsed = self._parse_import(target, imp)
        if parsed is None or parsed.plan is None:
            return None
        self.stack.append(key)
        try:
            module = self._resolve_plan(parsed.plan, target)
        finally:
            self.stack.pop()
        if parsed.plan.parameters:
            module = self._fill_parameters(module, parsed.plan.parameters, imp, importer)
        elif imp.values and "{{" in parsed.source:
            module = _fill_placeholders(module, dict(imp.values), self._unknown_placeholder, keep_unknown=True)
        return self._apply_overrides(module, imp)

    # ---- allonges

    def _amended(self, allonge: A.Plan, path: str) -> A.Plan | None:
        """The plan an allonge names, with that allonge (and the earlier ones it builds on) applied."""
        from mrpl.amend import apply_amendments  # the amendment stage, above this one

        base, amendments = self._allonge_chain(allonge, path)
        if base is None:
            return None
        if any("{{" in text for text in self.sources.values()):
            base = _fill_placeholders(base, _default_values(base), self._unknown_placeholder)
        return apply_amendments(base, amendments, self.diagnostics.append)

    def _allonge_chain(self, allonge: A.Plan, path: str) -> tuple[A.Plan | None, list[A.Amendment]]:
        amendment = allonge.amendments[0]
        extra = allonge.amendments[1:] or allonge.sections or allonge.goals
        if allonge.header is not None or extra:
            span = (allonge.header or extra[0]).span
            self._error("MRP090", "an allonge is a file of its own: one `allonge` block and nothing else", span,
                        fix="move the other statements to the plan, or each allonge to its own file")  # fmt: skip
            return None, []
        if amendment.plan is None:
            parsed_here = self.parses.get(path)
            if parsed_here is not None and parsed_here.diagnostics:
                return None, []  # a syntax error lost the statement: that error is the one message
            self._error("MRP090", "the allonge does not name the plan it amends", amendment.span,
                        fix='add `plan "file.mrp"` (the plan\'s file, relative to the allonge)')  # fmt: skip
            return None, []
        target = os.path.normpath(os.path.join(os.path.dirname(path), amendment.plan))
        key = _norm(target)
        if key in self.stack:
            chain = " → ".join(os.path.basename(p) for p in [*self.stack[self.stack.index(key) :], key])
            self._error("MRP008", f"allonge cycle: {chain}", amendment.span)
            return None, []
        parsed = self._read(target, amendment.span, f"read the plan {amendment.plan!r} the allonge amends", "MRP090")
        if parsed is None or parsed.plan is None:
            return None, []
        self.stack.append(key)
        try:
            if parsed.plan.header is not None:  # the amended plan's header fills its modules' placeholders
                self.header_values = _default_values(parsed.plan)
            base = self._resolve_plan(parsed.plan, target)
            if base.amendments:  # it amends an earlier allonge: the plan that one amends, and both
                earlier_base, earlier = self._allonge_chain(base, target)
                return earlier_base, [*earlier, amendment]
        finally:
            self.stack.pop()
        return base, [amendment]

    def _read(self, target: str, span: A.Span, what: str, missing: str) -> ParseResult | None:
        """Read and parse a file another one names (`what`: "import 'x'", "read the plan ..."); its
        sources and diagnostics join the result. Confined to the project root (mrpl.project):
        outside it MRP030, not a plan file MRP031, a missing file `missing`."""
        refusal = check_import(target, self.project_root)
        if refusal is not None:
            self._error(
                missing if refusal.code == "MRP007" else refusal.code, f"cannot {what}: {refusal.message}", span
            )
            return None
        if target in self.cache:
            parsed = self.cache[target]
        else:
            try:
                text = self.reader(target)
            except NotAPlanFile as exc:
                self._error("MRP031", f"cannot {what}: {exc}", span)
                return None
            except SourceError as exc:
                self._error(missing, f"cannot {what}: {exc}", span)
                return None
            except UnicodeDecodeError:
                self._error("MRP006", f"cannot {what}: the file is not UTF-8 text", span)
                return None
            parsed = parse_source(text, target)
            self.cache[target] = parsed
        self.sources[target] = parsed.source
        if target not in self.parses:
            self.parses[target] = parsed
            self.diagnostics.extend(parsed.diagnostics)
        return parsed

    def _parse_import(self, target: str, imp: A.Import) -> ParseResult | None:
        first_time = target not in self.parses
        parsed = self._read(target, imp.span, f"import {imp.path!r}", "MRP007")
        if parsed is not None and first_time:
            self._check_declared(parsed)
        return parsed

    def _apply_overrides(self, module: A.Plan, imp: A.Import) -> A.Plan:
        if not imp.overrides:
            return module
        by_number = {g.number: g for g in module.all_goals()}
        replaced: dict[str, A.Goal] = {}
        for override in imp.overrides:
            base = by_number.get(override.number)
            if base is None:
                import difflib  # only when a name is unknown: not at start-up

                close = difflib.get_close_matches(override.number, list(by_number), n=1)
                self._error(
                    "MRP011",
                    f"{imp.path!r} has no goal {override.number} to adjust",
                    override.span,
                    fix=f"did you mean {close[0]}?" if close else None,
                )
                continue
            replaced[override.number] = merge_goal(base, override)

        def swap(goals: tuple[A.Goal, ...]) -> tuple[A.Goal, ...]:
            return tuple(replaced.get(g.number, g) for g in goals)

        sections = tuple(
            dataclasses.replace(
                s,
                goals=swap(s.goals),
                core_tasks=tuple(dataclasses.replace(t, goals=swap(t.goals)) for t in s.core_tasks),
            )
            for s in module.sections
        )
        return dataclasses.replace(module, sections=sections, goals=swap(module.goals))

    # ---- diagnostics

    def _error(self, code: str, message: str, span: A.Span, fix: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(code, Severity.ERROR, message, span, fix=fix))

    def _unknown_placeholder(self, node: A.Placeholder, known: list[str]) -> None:
        if (node.span.file or "") in self.declared:
            return  # in a module: MRP012 if undeclared, else MRP013 at the import that gives no value
        import difflib  # only when a name is unknown: not at start-up

        close = difflib.get_close_matches(node.name, known, n=1)
        self.diagnostics.append(
            Diagnostic(
                "MRP009",
                Severity.ERROR,
                f"no value for the placeholder {{{{{node.name}}}}}",
                node.span,
                notes=('values come from `sæt NAME "..."` in the `importer` block, or from the plan header',),
                fix=f"did you mean {{{{{close[0]}}}}}?" if close else None,
                related=(),
            )
        )

    # ---- module parameters

    def _check_declared(self, parsed: ParseResult) -> None:
        """In a file that declares parameters (a module), every placeholder names one (MRP012)."""
        if parsed.plan is None or not parsed.plan.parameters:
            return
        declared = frozenset(p.name for p in parsed.plan.parameters)
        self.declared[parsed.path] = declared

        def undeclared(node: A.Placeholder, _known: list[str]) -> None:
            if node.name not in declared:
                import difflib  # only when a name is unknown: not at start-up

                close = difflib.get_close_matches(node.name, sorted(declared), n=1)
                self.diagnostics.append(
                    Diagnostic(
                        "MRP012",
                        Severity.ERROR,
                        f"{{{{{node.name}}}}} is not a parameter of this module",
                        node.span,
                        notes=(f"it declares {_names(sorted(declared))}",),
                        fix=f"did you mean {{{{{close[0]}}}}}?"
                        if close
                        else f'declare it: `parameter {node.name} "what the importing plan fills in"`',
                    )
                )

        _fill_placeholders(parsed.plan, {}, undeclared)

    def _fill_parameters(
        self, module: A.Plan, parameters: tuple[A.Parameter, ...], imp: A.Import, importer: str
    ) -> A.Plan:
        """A module's placeholders filled for one import: `sæt` in the import, else the
        importing plan's header (`styrelse`, `år`, ...), else the parameter's default."""
        declared = {p.name: p for p in parameters}
        for name, _ in imp.values:
            if name not in declared:
                self.diagnostics.append(
                    Diagnostic(
                        "MRP014",
                        Severity.ERROR,
                        f"{imp.path!r} has no parameter `{name}`",
                        _set_span(self.sources.get(importer, ""), imp, name),
                        notes=(f"it declares {_names(list(declared))}",),
                    )
                )
        given = dict(imp.values)
        values: dict[str, str] = {}
        for p in parameters:
            value = given.get(p.name) or self.header_values.get(p.name) or p.default
            if value is None:
                self.diagnostics.append(
                    Diagnostic(
                        "MRP013",
                        Severity.ERROR,
                        f"the import gives no value for the parameter `{p.name}` ({p.description})",
                        imp.span,
                        fix=f'add `sæt {p.name} "..."` in the `importer` block',
                        related=(Related(p.span, f"`{p.name}` is declared here"),),
                    )
                )
            else:
                values[p.name] = value
        return _fill_placeholders(module, values, self._unknown_placeholder, keep_unknown=True)


def parameter_defaults(parameters: tuple[A.Parameter, ...]) -> dict[str, str]:
    return {p.name: p.default for p in parameters if p.default is not None}


def _names(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names) if names else "no parameters"


def _set_span(source: str, imp: A.Import, name: str) -> A.Span:
    """Where `sæt NAME` stands in the import block (Import keeps no span per value)."""
    m = re.compile(rf"\b(?:sæt|set)[ \t]+{re.escape(name)}(?![\w])").search(source, imp.span.start, imp.span.end)
    if m is None:
        return imp.span
    line = source.count("\n", 0, m.start()) + 1
    column = m.start() - source.rfind("\n", 0, m.start())
    return A.Span(m.start(), m.end(), line, column, line, column + m.end() - m.start(), imp.span.file)


def _norm(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def merge_goal(base: A.Goal, override: A.Goal) -> A.Goal:
    """A shared goal with one agency's differences: every field the override
    states replaces the shared one; requirements are replaced by label, new
    labels are added at the end."""
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(A.Goal):
        if f.name in ("number", "span", "requirements"):
            continue
        value = getattr(override, f.name)
        if value not in (None, "", ()):
            changes[f.name] = value
    by_label = {r.label: r for r in override.requirements}
    reqs = [by_label.pop(r.label, r) for r in base.requirements]
    reqs += by_label.values()
    return dataclasses.replace(base, requirements=tuple(reqs), **changes)


# --------------------------------------------------------------------------
# Placeholders


def _default_values(plan: A.Plan) -> dict[str, str]:
    h = plan.header
    if h is None:
        return {}
    values = {
        "styrelse": h.agency,
        "forkortelse": h.agency_short or h.agency,
        "ministerium": h.ministry,
        "departement": h.department,
        "år": str(h.year) if h.year else (str(h.period.start.year) if h.period else None),
    }
    values.update({"agency": values["styrelse"], "short": values["forkortelse"], "ministry": values["ministerium"]})
    values.update({"department": values["departement"], "year": values["år"]})
    return {k: v for k, v in values.items() if v}


def _fill_placeholders(
    node: Any,
    values: dict[str, str],
    on_unknown: Callable[[A.Placeholder, list[str]], None],
    keep_unknown: bool = False,
) -> Any:
    """Replace placeholders that have a value; report the others unless `keep_unknown`
    (an imported module may leave some for the importing plan's header)."""

    def fill_inlines(inlines: tuple[A.Inline, ...]) -> tuple[A.Inline, ...]:
        out: list[A.Inline] = []
        for item in inlines:
            if isinstance(item, A.Placeholder):
                if item.name in values:
                    item = A.Text(values[item.name], item.span)
                elif not keep_unknown:
                    on_unknown(item, sorted(values))
            elif isinstance(item, (A.Emphasis, A.Strong, A.Underline)):
                item = dataclasses.replace(item, children=fill_inlines(item.children))
            if isinstance(item, A.Text) and out and isinstance(out[-1], A.Text):
                out[-1] = A.Text(out[-1].value + item.value, out[-1].span)
            else:
                out.append(item)
        return tuple(out)

    def fill_string(text: str, where: A.Span) -> str:
        """A placeholder in a one-line text (a title, an area): the same names, the same rules."""

        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in values:
                return values[name]
            if not keep_unknown:
                on_unknown(A.Placeholder(name, where), sorted(values))
            return match.group(0)

        return PLACEHOLDER.sub(value, text)

    def walk(obj: Any, where: A.Span) -> Any:
        if isinstance(obj, str):
            return fill_string(obj, where) if "{{" in obj else obj
        if isinstance(obj, tuple):
            new = tuple(walk(x, where) for x in obj)
            return obj if all(a is b for a, b in zip(new, obj, strict=True)) else new
        if isinstance(obj, (A.Paragraph, A.ListItem)):
            return dataclasses.replace(obj, inlines=fill_inlines(obj.inlines))
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type) and not isinstance(obj, A.Span):
            span = getattr(obj, "span", None)
            inner = span if isinstance(span, A.Span) and span is not A.NO_SPAN else where
            changes = {}
            for f in dataclasses.fields(obj):
                if f.name in ("span", "written"):  # `written` is the source's own spelling of a date
                    continue
                old = getattr(obj, f.name)
                new = walk(old, inner)
                if new is not old:
                    changes[f.name] = new
            return dataclasses.replace(obj, **changes) if changes else obj
        return obj

    return walk(node, getattr(node, "span", A.NO_SPAN))
