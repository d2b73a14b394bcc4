#!/usr/bin/env python3
"""Lines of each Yew component of the web app: its struct, its `impl Component` and every
`impl` of it in any file (a `#[function_component]` counts its function), per item and in
total, so the issue's "no component over about 400 lines" can be checked.

Usage: scripts/component_lines.py [SRC_DIR] [--max N]  (default web/src, 400); exits 1 if a
component is over N lines. Items are found by brace matching (strings, chars and comments
skipped); an item's lines run from its first line (doc comments and attributes excluded) to
its closing brace.
"""
import os
import re
import sys


def item_end(text, start):
    """Index just past the block (or `;`) that closes the item starting at `start`."""
    i, depth, n = start, 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            if i < 0:
                return n
            continue
        if text.startswith("/*", i):
            i = text.find("*/", i) + 2
            continue
        if c == "r" and re.match(r'r#*"', text[i:i + 10]) and not text[i - 1].isalnum():
            hashes = re.match(r'r(#*)"', text[i:]).group(1)
            i = text.find('"' + hashes, i + len(hashes) + 2) + 1 + len(hashes)
            continue
        if c == '"':
            i += 1
            while text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            i += 1
            continue
        if c == "'":
            m = re.match(r"'(\\.|[^\\'])'", text[i:i + 4]) or re.match(r"'\\u\{[0-9a-fA-F]+\}'", text[i:])
            if m:
                i += m.end()
                continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        elif c == ";" and depth == 0:
            return i + 1
        i += 1
    return n


def lines(text, a, b):
    return text.count("\n", a, b) + 1


def main():
    args = sys.argv[1:]
    limit = 400
    if "--max" in args:
        k = args.index("--max")
        limit = int(args[k + 1])
        del args[k:k + 2]
    src = args[0] if args else "web/src"
    files = {}
    for root, _, names in os.walk(src):
        for name in sorted(names):
            if name.endswith(".rs"):
                path = os.path.join(root, name)
                with open(path, encoding="utf-8") as f:
                    files[os.path.relpath(path, src)] = f.read()
    structs = set()
    funcs = {}
    for path, text in files.items():
        structs.update(re.findall(r"^\s*impl\s+Component\s+for\s+(\w+)", text, re.M))
        for m in re.finditer(r"#\[function_component(?:\((\w+)\))?\]\s*(?:pub(?:\([^)]*\))?\s+)?fn\s+(\w+)", text):
            funcs[m.group(1) or m.group(2)] = (path, m.start())
    items = {c: [] for c in structs | set(funcs)}
    for path, text in files.items():
        for c in structs:
            pat = (rf"^[ \t]*(?:pub(?:\([^)]*\))?\s+)?struct\s+{c}\b|"
                   rf"^[ \t]*impl(?:<[^>]*>)?\s+(?:[\w:]+\s+for\s+)?{c}\b")
            for m in re.finditer(pat, text, re.M):
                head = text[m.start():text.find("\n", m.start())].strip()
                what = "struct" if "struct" in head.split("{")[0].split() else head.rstrip(" {")
                items[c].append((path, what, lines(text, m.start(), item_end(text, m.start()))))
    for c, (path, at) in funcs.items():
        text = files[path]
        fn = text.index("fn ", at)
        items[c].append((path, "#[function_component] fn", lines(text, fn, item_end(text, fn))))
    over = []
    rows = sorted(items.items(), key=lambda kv: -sum(n for _, _, n in kv[1]))
    for c, its in rows:
        total = sum(n for _, _, n in its)
        print(f"{c}: {total} lines")
        for path, what, n in sorted(its):
            print(f"    {n:5}  {path}: {what}")
        if total > limit:
            over.append(c)
    if over:
        print(f"over {limit} lines: {', '.join(over)}")
        return 1
    print(f"every component is {limit} lines or fewer")
    return 0


if __name__ == "__main__":
    sys.exit(main())
