"""The VS Code TextMate grammar: generated from keywords.tsv, and scoping the examples right.

The tokenizer test runs the grammar the way VS Code does (vscode-textmate with
vscode-oniguruma). It needs node and, once:

    npm install --prefix editors/vscode --no-save vscode-textmate@9 vscode-oniguruma@2
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VSCODE = ROOT / "editors" / "vscode"
EXAMPLES = [ROOT / "examples" / "siri-2020.mrp", ROOT / "examples" / "english-sample.mrp"]

SNIPPET = '''\
plan { # kommentar
  periode 2022-01-01 til 31. december 2022
}
section 1 "Goals for {{agency}}" {
  goal 1.1 { weight 12,5; text """
    *prosa* med \\" og - punkter
  """ }
  mål 1.2 { resultatkrav a { frist 2. kvartal 2022; frist Q3; måltal andel mindst 90 % inden for 30 dage } }
  goal 1.3 { requirement { deadline end of march 2022; scope "x" in half 2 2022 } }
}
'''

Token = tuple[str, str]  # text, innermost scope


def test_committed_grammar_is_generated_from_keywords_tsv() -> None:
    result = subprocess.run([sys.executable, str(VSCODE / "gen_grammar.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_keyword_spelling_is_in_the_grammar() -> None:
    from mrpl.keywords import keywords

    grammar = json.loads((VSCODE / "syntaxes" / "mrpl.tmLanguage.json").read_text(encoding="utf-8"))
    pattern = next(p["match"] for p in grammar["patterns"] if p.get("name") == "keyword.other.mrpl")
    compiled = re.compile(pattern)  # the pattern is also valid Python regex syntax
    for kw in keywords():
        for spelling in kw.da + kw.en:
            assert compiled.fullmatch(spelling), spelling
    assert not compiled.search("målene") and not compiled.search("planer")  # whole words only


def _tokenize(paths: list[Path]) -> dict[str, list[list[Token]]]:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    for package in ("vscode-textmate", "vscode-oniguruma"):
        if not (VSCODE / "node_modules" / package).is_dir():
            pytest.skip(
                f"{package} is not installed; run: "
                "npm install --prefix editors/vscode --no-save vscode-textmate@9 vscode-oniguruma@2"
            )
    result = subprocess.run(
        ["node", str(VSCODE / "test" / "tokenize.js"), *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=VSCODE,
        env={**os.environ, "NODE_NO_WARNINGS": "1"},
    )
    assert result.returncode == 0, result.stderr
    raw = json.loads(result.stdout)
    return {
        path: [[(t["text"], t["scopes"][-1]) for t in line if t["text"].strip()] for line in lines]
        for path, lines in raw.items()
    }


def _scopes(lines: list[list[Token]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for line in lines:
        for text, scope in line:
            out.setdefault(text.strip(), set()).add(scope)
    return out


@pytest.fixture(scope="module")
def snippet(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    path = tmp_path_factory.mktemp("tm") / "snippet.mrp"
    path.write_text(SNIPPET, encoding="utf-8")
    return _scopes(_tokenize([path])[str(path)])


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("plan", "keyword.other.mrpl"),
        ("mål", "keyword.other.mrpl"),
        ("resultatkrav", "keyword.other.mrpl"),
        ("inden for", "keyword.other.mrpl"),
        ("section", "keyword.other.mrpl"),
        ("goal", "keyword.other.mrpl"),
        ("end of", "keyword.other.mrpl"),
        ("# kommentar", "comment.line.number-sign.mrpl"),
        ('"""', "string.quoted.triple.mrpl"),
        ("*prosa* med", "string.quoted.triple.mrpl"),
        ("og - punkter", "string.quoted.triple.mrpl"),
        ('\\"', "constant.character.escape.mrpl"),
        ("{{agency}}", "variable.other.placeholder.mrpl"),
        ("12,5", "constant.numeric.decimal.mrpl"),
        ("2022-01-01", "constant.numeric.date.mrpl"),
        ("31. december 2022", "constant.numeric.date.mrpl"),
        ("2. kvartal", "constant.numeric.quarter.mrpl"),
        ("Q3", "constant.numeric.quarter.mrpl"),
        ("half 2", "constant.numeric.quarter.mrpl"),
        ("90 %", "constant.numeric.percentage.mrpl"),
        ("1.2", "constant.other.reference.mrpl"),
    ],
)
def test_snippet_scopes(snippet: dict[str, set[str]], text: str, scope: str) -> None:
    assert scope in snippet.get(text, set()), (text, snippet.get(text))


def test_keywords_inside_strings_are_not_keywords(snippet: dict[str, set[str]]) -> None:
    assert snippet.get("Goals for") == {"string.quoted.double.mrpl"}


def test_examples_in_both_languages() -> None:
    found = _tokenize([p for p in EXAMPLES if p.exists()])
    assert len(found) == 2, "examples/siri-2020.mrp and examples/english-sample.mrp are needed"
    danish, english = (_scopes(found[str(p)]) for p in EXAMPLES)
    for word in ("afsnit", "mål", "resultatkrav", "vægt", "måltal", "opfyldelse", "frist"):
        assert "keyword.other.mrpl" in danish.get(word, set()), word
    for word in ("section", "goal", "requirement", "weight", "target", "scoring", "deadline", "period"):
        assert "keyword.other.mrpl" in english.get(word, set()), word
    for scopes in (danish, english):
        every = set().union(*scopes.values())
        assert {"comment.line.number-sign.mrpl", "string.quoted.triple.mrpl", "string.quoted.double.mrpl"} <= every
        assert {"constant.numeric.percentage.mrpl", "constant.numeric.date.mrpl"} <= every
    assert any(s == {"constant.numeric.decimal.mrpl"} for s in danish.values())
