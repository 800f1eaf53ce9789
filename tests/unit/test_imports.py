"""The pipeline's layering: a module imports only the modules above it."""

import ast
from pathlib import Path

import chaowen

PACKAGE = Path(chaowen.__file__).parent
# Lower index = earlier stage. A module may import only modules with a lower or equal rank.
ORDER = [
    ["catalogue_problems", "catalogue_commands"],
    ["errors", "messages", "model", "views", "urls", "memory"],
    ["frontmatter", "schema"],
    ["config", "dates"],
    ["fields"],
    ["content"],
    ["doccache", "codec"],
    ["site"],
    ["tree"],
    ["cjk", "lists", "gfm", "inline"],
    ["limits"],
    ["pictures"],
    ["markup"],
    ["markup_pool"],
    ["images"],
    ["manifest"],
    ["cache"],
    ["theme"],
    ["reads", "stats"],
    ["contexts"],
    ["links"],
    ["render"],
    ["typeset", "printing"],
    ["search_router"],
    ["search"],
    ["search_feed"],
    ["write"],
    ["pages"],
    ["build"],
    ["scaffold"],
    ["wordnumbering", "wordfront"],
    ["wordfile", "wordclean", "pandoc"],
    ["importer"],
    ["watch", "httpd", "live"],
    ["httpfiles"],
    ["devserver"],
    ["serve"],
    ["usage"],
    ["cli", "__main__"],
]
RANK = {name: rank for rank, names in enumerate(ORDER) for name in names}
PURE = {
    "frontmatter",
    "dates",
    "fields",
    "codec",
    "schema",
    "site",
    "tree",
    "cjk",
    "lists",
    "gfm",
    "inline",
    "limits",
    "markup",
    "pictures",
    "urls",
    "model",
    "views",
    "errors",
    "messages",
    "catalogue_problems",
    "catalogue_commands",
    "manifest",
    "reads",
    "stats",
    "contexts",
    "search_router",
    "wordfile",
    "wordclean",
    "wordnumbering",
    "wordfront",
}


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("chaowen."):
            found.add(node.module.split(".")[1])
    return found


def test_every_module_has_a_rank() -> None:
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert modules - set(RANK) == set()


def test_imports_go_one_way() -> None:
    for path in PACKAGE.glob("*.py"):
        if path.stem == "__init__":
            continue
        for imported in imports_of(path):
            if imported == "__version__" or imported not in RANK:
                continue
            assert RANK[imported] <= RANK[path.stem], f"{path.stem} imports later stage {imported}"


def test_pure_stages_do_no_file_io() -> None:
    for name in PURE:
        path = PACKAGE / f"{name}.py"
        if not path.exists():
            continue
        source = path.read_text(encoding="utf-8")
        for call in ("open(", ".read_text(", ".write_text(", ".read_bytes(", ".write_bytes(", "os.walk("):
            assert call not in source, f"{name} does {call}"
