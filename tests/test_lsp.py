"""The language server, end to end: a real client talks to `python -m mrpl lsp` over stdio."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from lsprotocol import types as T
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

from mrpl.fmt import format_source
from mrpl.lsp import code_explanation, measure_change_latency, parameter_hover
from mrpl.parse import parse_source

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT = 30

MAIN = """\
plan {
  titel "Mål- og resultatplan 2022 for Styrelsen"
  styrelse "Styrelsen for Æbler og Østers"
  periode 2022-01-01 til 2022-12-31
  total 100 point
}

afsnit 1 "Faglige mål" {
  mål 1.1 "Sagsbehandling på åbne områder" {
    vægt 60
    resultatkrav a {
      tekst "Sagerne afgøres hurtigt."
      vægt 60
      frist 2. kvartal 2022
      måltal andel mindst 90 % inden for 30 dage
      opfyldelse tærskel
    }
  }
  mål 1.2 "Kvalitet" {
    vægt 35
    resultatkrav {
      tekst "Kvaliteten er høj."
      vægt 35
      frist ultimo 2022
      måltal milepæl
      opfyldelse tærskel
    }
  }
  importer "shared.mrp"
}

vægttabel {
  1.1 60
  1.2 35
  2.1 10
}

bilag "Opgørelsesmetoder" {
  opgørelsesmetode 1.3 "Kvalitet" {
    tekst "Stikprøver."
  }
}
"""

SHARED = """\
mål 2.1 "Fælles mål for {{styrelse}}" {
  vægt 10
  resultatkrav {
    tekst "Fælles."
    vægt 10
    frist ultimo 2022
    måltal milepæl
    opfyldelse tærskel
  }
}
"""

EMOJI = 'plan {\n  titel "Plan 😀😀 for æøå" 5\n}\n'


class Session:
    """A client with the server process, collecting published diagnostics by uri."""

    def __init__(self) -> None:
        self.client = LanguageClient("mrpl-test", "1")
        self.published: dict[str, list[T.PublishDiagnosticsParams]] = {}
        self.arrived = asyncio.Event()

        @self.client.feature(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: T.PublishDiagnosticsParams) -> None:
            self.published.setdefault(params.uri, []).append(params)
            self.arrived.set()

    async def start(self) -> None:
        await self.client.start_io(sys.executable, "-m", "mrpl", "lsp", cwd=ROOT)
        await self.client.initialize_async(T.InitializeParams(capabilities=T.ClientCapabilities()))
        self.client.initialized(T.InitializedParams())

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()

    def open(self, path: Path, text: str) -> str:
        uri = from_fs_path(str(path)) or str(path)
        self.client.text_document_did_open(
            T.DidOpenTextDocumentParams(
                text_document=T.TextDocumentItem(uri=uri, language_id="mrpl", version=1, text=text)
            )
        )
        return uri

    def change(self, uri: str, version: int, text: str) -> None:
        change = T.TextDocumentContentChangeWholeDocument(text=text)
        self.client.text_document_did_change(
            T.DidChangeTextDocumentParams(
                text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=[change]
            )
        )

    async def diagnostics(self, uri: str, count: int = 1) -> list[T.Diagnostic]:
        """The diagnostics of the `count`-th publication for `uri`."""

        async def wait() -> None:
            while len(self.published.get(uri, [])) < count:
                self.arrived.clear()
                await self.arrived.wait()

        await asyncio.wait_for(wait(), TIMEOUT)
        return self.published[uri][count - 1].diagnostics


def run(scenario: Callable[[Session], Awaitable[None]]) -> None:
    async def main() -> None:
        session = Session()
        await session.start()
        try:
            await scenario(session)
        finally:
            await session.stop()

    asyncio.run(main())


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    (tmp_path / "main.mrp").write_text(MAIN, encoding="utf-8")
    (tmp_path / "shared.mrp").write_text(SHARED, encoding="utf-8")
    return tmp_path


def codes(diagnostics: list[T.Diagnostic]) -> set[str]:
    return {str(d.code) for d in diagnostics}


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines()) if needle in line)


def test_weight_error_shows_then_clears_after_a_fix(plan_dir: Path) -> None:
    async def scenario(s: Session) -> None:
        uri = s.open(plan_dir / "main.mrp", MAIN)
        first = await s.diagnostics(uri)
        assert "MRP101" in codes(first), [d.message for d in first]
        fixed = MAIN.replace("vægt 35", "vægt 30").replace("1.2 35", "1.2 30")
        s.change(uri, 2, fixed)
        second = await s.diagnostics(uri, 2)
        assert "MRP101" not in codes(second)
        assert s.published[uri][1].version == 2

    run(scenario)


def test_lines_typed_into_a_goal_move_the_diagnostics_below_it(plan_dir: Path) -> None:
    """Typing a line inside goal 1.1 re-parses that goal alone: the problems above it stay,
    those below it (the weight table, the annex) move down one line with the text."""
    edited = line_of(MAIN, "Sagerne afgøres hurtigt")
    typed = MAIN.replace('tekst "Sagerne afgøres hurtigt."', 'tekst """Sagerne afgøres hurtigt\n    og korrekt."""')

    def places(diagnostics: list[T.Diagnostic]) -> list[tuple[str, int, int]]:
        return sorted((str(d.code), d.range.start.line, d.range.start.character) for d in diagnostics)

    async def scenario(s: Session) -> None:
        uri = s.open(plan_dir / "main.mrp", MAIN)
        before = places(await s.diagnostics(uri))
        s.change(uri, 2, typed)
        after = places(await s.diagnostics(uri, 2))
        assert any(line > edited for _, line, _ in before) and any(line < edited for _, line, _ in before)
        assert after == sorted((code, line + (line > edited), col) for code, line, col in before)

    run(scenario)


def test_syntax_error_range_counts_utf16_units(tmp_path: Path) -> None:
    async def scenario(s: Session) -> None:
        uri = s.open(tmp_path / "emoji.mrp", EMOJI)
        (diag,) = [d for d in await s.diagnostics(uri) if d.code == "MRP002"][:1]
        line = EMOJI.splitlines()[1]
        code_points = line.index(" 5") + 1
        assert diag.range.start.line == 1
        assert diag.range.start.character == code_points + 2  # each emoji is two UTF-16 units
        assert diag.range.end.character == code_points + 3
        assert diag.severity == T.DiagnosticSeverity.Error

    run(scenario)


def test_imported_file_change_refreshes_the_importer(plan_dir: Path) -> None:
    async def scenario(s: Session) -> None:
        fixed = MAIN.replace("vægt 35", "vægt 30").replace("1.2 35", "1.2 30")
        main = s.open(plan_dir / "main.mrp", fixed)
        assert not {"MRP101", "MRP108"} & codes(await s.diagnostics(main))
        shared = s.open(plan_dir / "shared.mrp", SHARED)
        await s.diagnostics(shared)
        s.change(shared, 2, SHARED.replace("vægt 10", "vægt 15"))
        after = [await s.diagnostics(main, n) for n in (2, 3)][-1]  # on opening shared, then on its change
        assert "MRP108" in codes(after)  # the weight table (10) now disagrees with goal 2.1 (15)

    run(scenario)


def test_symbols_hover_definition_references_actions_formatting(plan_dir: Path) -> None:
    async def scenario(s: Session) -> None:
        uri = s.open(plan_dir / "main.mrp", MAIN)
        await s.diagnostics(uri)
        doc = T.TextDocumentIdentifier(uri=uri)
        c = s.client

        symbols = await c.text_document_document_symbol_async(T.DocumentSymbolParams(text_document=doc))
        section, weights = symbols
        assert section.name == "1 Faglige mål"
        assert weights.name == "vægttabel" and weights.kind == T.SymbolKind.Array
        names = [g.name for g in section.children]
        assert names == ["1.1 Sagsbehandling på åbne områder (60 point)", "1.2 Kvalitet (35 point)"]
        assert section.children[0].children[0].name == "a) (60 point)"
        assert section.children[0].range.start.line == line_of(MAIN, "mål 1.1")

        goal_line = line_of(MAIN, "mål 1.1")
        hover = await c.text_document_hover_async(
            T.HoverParams(text_document=doc, position=T.Position(line=goal_line, character=6))
        )
        assert "**1.1 Sagsbehandling på åbne områder**" in hover.contents.value
        assert "60 point" in hover.contents.value and "60 %" in hover.contents.value
        req_line = line_of(MAIN, "andel mindst 90")
        hover = await c.text_document_hover_async(
            T.HoverParams(text_document=doc, position=T.Position(line=req_line, character=8))
        )
        assert "90" in hover.contents.value and "2. kvartal 2022" in hover.contents.value

        table_line = line_of(MAIN, "  1.2 35")
        found = await c.text_document_definition_async(
            T.DefinitionParams(text_document=doc, position=T.Position(line=table_line, character=3))
        )
        assert found[0].uri == uri and found[0].range.start.line == line_of(MAIN, "mål 1.2")
        import_line = line_of(MAIN, "importer")
        found = await c.text_document_definition_async(
            T.DefinitionParams(text_document=doc, position=T.Position(line=import_line, character=14))
        )
        assert found[0].uri.endswith("/shared.mrp")

        refs = await c.text_document_references_async(
            T.ReferenceParams(
                text_document=doc,
                position=T.Position(line=table_line, character=3),
                context=T.ReferenceContext(include_declaration=True),
            )
        )
        assert sorted(r.range.start.line for r in refs) == [line_of(MAIN, "mål 1.2"), table_line]

        method_line = line_of(MAIN, "opgørelsesmetode 1.3")
        actions = await c.text_document_code_action_async(
            T.CodeActionParams(
                text_document=doc,
                range=T.Range(
                    start=T.Position(line=method_line, character=0), end=T.Position(line=method_line, character=40)
                ),
                context=T.CodeActionContext(diagnostics=[]),
            )
        )
        (edit,) = [e for a in actions for e in a.edit.changes[uri]]
        assert edit.new_text == "1.2"
        assert edit.range.start == T.Position(line=method_line, character=MAIN.splitlines()[method_line].index("1.3"))

        completion = await c.text_document_completion_async(
            T.CompletionParams(text_document=doc, position=T.Position(line=table_line, character=0))
        )
        labels = {i.label for i in completion.items}
        assert {"resultatkrav", "opgørelsesmetode", "1.1", "1.1.a"} <= labels and "requirement" not in labels

        edits = await c.text_document_formatting_async(
            T.DocumentFormattingParams(text_document=doc, options=T.FormattingOptions(tab_size=2, insert_spaces=True))
        )
        assert format_source(MAIN) == MAIN and not edits  # already laid out: nothing to change

    run(scenario)


def test_hover_on_an_ignore_comment_explains_the_code() -> None:
    line = "  vægt 5  # mrpl: ignore[MRP106, MRP601]"
    text = code_explanation(line, line.index("MRP601") + 2)
    assert text is not None and text.startswith("MRP601")
    assert code_explanation(line, 3) is None


def test_hover_on_a_placeholder_shows_the_module_parameter() -> None:
    module = parse_source(
        'parameter styrelse "Styrelsens navn" standard "Styrelsen"\nmål 2.1 "{{styrelse}}" {}\n', "m.mrp"
    )
    line = '  tekst "{{styrelse}} fastholder"'
    text = parameter_hover([module], line, line.index("styrelse") + 1, "da")
    assert text is not None and "parameter i `m.mrp`" in text and "Styrelsens navn" in text and "Styrelsen" in text
    assert parameter_hover([module], '    sæt styrelse "X"', 9, "en") is not None  # also on `sæt NAME`
    assert parameter_hover([module], line, 1, "da") is None  # not on a placeholder
    assert parameter_hover([module], '  tekst "{{andet}}"', 11, "da") is None  # not declared


def test_latency_helper_measures_round_trips(plan_dir: Path) -> None:
    timings = measure_change_latency(str(plan_dir / "main.mrp"), rounds=2)
    assert len(timings) == 2 and all(t > 0 for t in timings)


def test_hover_and_outline_of_an_unweighted_goal() -> None:
    from mrpl import load_string
    from mrpl.lsp import Positions, document_symbols, hover_text

    text = (
        'plan {\n  titel "T"\n  vægtning ingen\n  målstatus andel mindst 80 %\n}\n'
        'afsnit 1 "A" {\n  mål 1.1 "Kurser" {\n    resultatkrav a { måltal antal mindst 12 "kurser" }\n  }\n}\n'
    )
    loaded = load_string(text, "t.mrp")
    assert loaded.plan is not None
    hover = hover_text(loaded.plan, "t.mrp", text.index("mål 1.1") + 2, "da")
    assert hover is not None
    assert "Uvægtet" in hover and "Målstatus: opfyldt ved en målopfyldelse på mindst 80 %" in hover
    assert "point" not in hover
    from pygls.workspace.position_codec import PositionCodec

    symbols = document_symbols(loaded.plan, Positions(text, PositionCodec()))
    assert symbols[0].children is not None and symbols[0].children[0].name == "1.1 Kurser (uvægtet)"


SHAPES = """\
plan { titel "P"; år 2024; kravnummerering fortløbende }
afsnit 1 "Kerneopgavemål" {
  kerneopgave "Kontrol" {
    mål A "Tilsyn" {
      type "Strategisk"
      resultatkrav 1 { type "Aktivitet"; tekst "40 tilsyn."; frist 2. kvartal }
    }
  }
  mål B "Drift" { resultatkrav 2 { tekst "Drift." } }
}
"""


def test_symbols_and_hover_show_core_tasks_ids_as_written_and_types() -> None:
    from pygls.workspace import PositionCodec

    import mrpl
    from mrpl.lsp import Positions, document_symbols, hover_text

    plan = mrpl.parse_string(SHAPES, "shapes.mrp").plan
    assert plan is not None
    (section,) = document_symbols(plan, Positions(SHAPES, PositionCodec(T.PositionEncodingKind.Utf16)))
    task, goal_b = section.children
    assert (task.name, task.kind) == ("Kontrol", T.SymbolKind.Module)
    (goal_a,) = task.children
    assert (goal_a.name, goal_a.detail) == ("A Tilsyn (0 point)", "Strategisk")
    assert (goal_a.children[0].name, goal_a.children[0].detail) == ("1", "Aktivitet")
    assert goal_b.name == "B Drift (0 point)"
    hover = hover_text(plan, "shapes.mrp", SHAPES.index("40 tilsyn"), "da")
    assert hover is not None
    assert hover.splitlines()[:3] == ["**1**", "", "Type: Aktivitet"]
    assert "Frist: 2. kvartal" in hover


def _big_plan(goals: int, area: str) -> str:
    """A plan of `goals` goals (about 300 bytes each), weights adding up to 100 no matter."""
    body = "".join(
        f'  mål 1.{n} "{area} {n}" {{\n    vægt 1\n    resultatkrav {{\n      tekst "Sagerne afgøres hurtigt."\n'
        f"      vægt 1\n      frist ultimo 2022\n      måltal milepæl\n      opfyldelse tærskel\n    }}\n  }}\n"
        for n in range(1, goals + 1)
    )
    header = 'plan {\n  titel "Stor plan"\n  styrelse "Styrelsen"\n  periode 2022-01-01 til 2022-12-31\n}\n\n'
    return header + 'afsnit 1 "Faglige mål" {\n' + body + "}\n"


def test_a_large_plan_being_analysed_does_not_hold_up_requests_on_another(plan_dir: Path) -> None:
    """The analyses run off the event loop: while a 1 MB plan is re-analysed (seconds), a hover
    on another open plan is answered at once."""

    async def scenario(s: Session) -> None:
        small = s.open(plan_dir / "main.mrp", MAIN)
        await s.diagnostics(small)
        big = s.open(plan_dir / "big.mrp", _big_plan(3500, "Sagsbehandling"))
        await s.diagnostics(big)
        s.change(big, 2, _big_plan(3500, "Behandling"))  # every statement changes: a whole re-analysis
        await asyncio.sleep(0.2)  # the re-analysis is under way
        position = T.Position(line=line_of(MAIN, 'mål 1.1 "'), character=6)
        hover = await s.client.text_document_hover_async(
            T.HoverParams(text_document=T.TextDocumentIdentifier(uri=small), position=position)
        )
        answered_before = len(s.published.get(big, []))
        assert hover is not None and "1.1" in str(hover.contents)
        await s.diagnostics(big, 2)
        assert answered_before == 1  # the hover came before the large plan's new diagnostics

    run(scenario)
