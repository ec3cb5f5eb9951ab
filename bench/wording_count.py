"""Count the tests' assertions tied to exact Chinese wording (issue 13, item 13).

An assertion such as `assert "救助自测" in joined(replies)` fails when a template's wording is
improved although the behaviour is right; where the wording is not the point a test asserts on
which template or entry answered (`Reply.source`: `chat/application/intro.txt`, `faq:<id>`).
This walks the syntax tree of every test module and counts the comparisons `"…中文…" in …` and
`"…中文…" not in …` (a string or f-string with Chinese characters on the left) inside `assert`
statements. The checks that remain are those where the content is the point (a figure, a phone
number, a name the resident gave); the count shows whether the rest keeps shrinking.

    python bench/wording_count.py [--files N] [root]
"""

from __future__ import annotations

import argparse
import ast
import re
from collections import Counter
from pathlib import Path

CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def chinese(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(CHINESE.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(chinese(part) for part in node.values)
    return False


def wording_checks(tree: ast.AST) -> Counter[str]:
    """`in` and `not in` comparisons with Chinese text on the left, inside assert statements."""
    found: Counter[str] = Counter()
    for statement in ast.walk(tree):
        if not isinstance(statement, ast.Assert):
            continue
        for node in ast.walk(statement.test):
            if not isinstance(node, ast.Compare):
                continue
            for op, left in zip(node.ops, [node.left, *node.comparators], strict=False):
                if isinstance(op, ast.In | ast.NotIn) and chinese(left):
                    found["in" if isinstance(op, ast.In) else "not in"] += 1
    return found


def count(root: Path) -> dict[Path, Counter[str]]:
    return {path: wording_checks(ast.parse(path.read_text(encoding="utf-8"), str(path)))
            for path in sorted(root.rglob("*.py"))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, default=Path(__file__).parent.parent / "tests")
    parser.add_argument("--files", type=int, default=10, help="list the N files with the most")
    args = parser.parse_args(argv)
    per_file = count(args.root)
    total = sum(per_file.values(), Counter())
    files = sum(1 for found in per_file.values() if found)
    print(f"wording assertions: {total.total()} "
          f"({total['in']} `in`, {total['not in']} `not in`) in {files} files")
    for path, found in sorted(per_file.items(), key=lambda item: -item[1].total())[: args.files]:
        if found:
            print(f"  {found.total():4d}  {path.relative_to(args.root)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
