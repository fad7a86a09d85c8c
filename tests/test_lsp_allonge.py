"""The language server on allonges: references resolved into the plan, and the code action
that writes a plan's unsaved change as an allonge."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types as T
from test_lsp import Session, line_of, run

ROOT = Path(__file__).resolve().parent.parent
PLAN = (ROOT / "tests" / "fixtures" / "check" / "MRP101" / "good.mrp").read_text(encoding="utf-8")
ALLONGE = """allonge "Allonge 1" {
  plan "plan.mrp"
  dato 2022-06-15
  begrundelse "Fristen flyttes"
  direktør "Anna Direktør" { titel "Direktør"; dato 2022-06-15 }
  departementschef "Bo Chef" { titel "Departementschef"; dato 2022-06-16 }

  frist 1.3.a 3. kvartal 2022
  udgået 1.2.x "Ophævet"
}
"""


def test_an_allonge_resolves_into_its_plan(tmp_path: Path) -> None:
    (tmp_path / "plan.mrp").write_text(PLAN, encoding="utf-8")
    (tmp_path / "allonge.mrp").write_text(ALLONGE, encoding="utf-8")

    async def scenario(s: Session) -> None:
        uri = s.open(tmp_path / "allonge.mrp", ALLONGE)
        found = await s.diagnostics(uri)
        assert "MRP290" in {str(d.code) for d in found}  # 1.2.x: no such requirement
        bad = next(d for d in found if str(d.code) == "MRP290")
        assert bad.range.start.line == line_of(ALLONGE, "udgået 1.2.x")
        doc = T.TextDocumentIdentifier(uri=uri)
        c = s.client
        line = line_of(ALLONGE, "frist 1.3.a")
        hover = await c.text_document_hover_async(
            T.HoverParams(text_document=doc, position=T.Position(line=line, character=9))
        )
        assert hover is not None and "**1.3.a**" in hover.contents.value and "3. kvartal 2022" in hover.contents.value
        where = await c.text_document_definition_async(
            T.DefinitionParams(text_document=doc, position=T.Position(line=line, character=9))
        )
        assert where[0].uri.endswith("/plan.mrp")
        assert where[0].range.start.line == line_of(PLAN, "mål 1.3") + 3  # its `resultatkrav a`
        plan_line = line_of(ALLONGE, 'plan "plan.mrp"')
        where = await c.text_document_definition_async(
            T.DefinitionParams(text_document=doc, position=T.Position(line=plan_line, character=9))
        )
        assert where[0].uri.endswith("/plan.mrp") and where[0].range.start.line == 0

    run(scenario)


def test_write_this_change_as_an_allonge(tmp_path: Path) -> None:
    (tmp_path / "plan.mrp").write_text(PLAN, encoding="utf-8")
    edited = PLAN.replace("vægt 40", "vægt 45").replace(
        'vægt 30\n    resultatkrav a {\n      tekst "Omgørelses',
        'vægt 25\n    resultatkrav a {\n      tekst "Omgørelses',
    )

    async def scenario(s: Session) -> None:
        uri = s.open(tmp_path / "plan.mrp", edited)
        await s.diagnostics(uri)
        actions = await s.client.text_document_code_action_async(
            T.CodeActionParams(
                text_document=T.TextDocumentIdentifier(uri=uri),
                range=T.Range(start=T.Position(line=0, character=0), end=T.Position(line=0, character=0)),
                context=T.CodeActionContext(diagnostics=[]),
            )
        )
        (action,) = [a for a in actions if a.title.startswith("Write this change as an allonge")]
        assert "(2 changes: plan-allonge-1.mrp)" in action.title
        create, write, revert = action.edit.document_changes
        assert isinstance(create, T.CreateFile) and create.uri.endswith("/plan-allonge-1.mrp")
        text = write.edits[0].new_text
        assert 'plan "plan.mrp"' in text and "vægt 1.1 45" in text and "vægt 1.2 25" in text
        assert revert.text_document.uri == uri and revert.edits[0].new_text == PLAN  # the signed plan stays as it was

    run(scenario)
