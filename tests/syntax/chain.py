#!/usr/bin/env python3
"""chain.py KIND [--md]: a model of about 1 MB that is one long chain or one
deep nesting of a single construct (tests/syntax_cases.py), as a .kader file
or, with --md, as the kader block of a literate paper. Written to stdout.

A chain built in a loop by the parser (operators, calls, fields, indexes,
'or', 'else if') is as high a tree as it is long, and every walk over the
tree recurses that deep: each must end with a located error, never with a
crash."""

import sys

SIZE = 1 << 20


def repeat(head, unit, tail):
    """head + unit * n + tail, about SIZE bytes."""
    return head + unit * ((SIZE - len(head) - len(tail)) // len(unit)) + tail


def nest(head, open_, middle, close, tail):
    n = (SIZE - len(head) - len(middle) - len(tail)) // (len(open_) + len(close))
    return head + open_ * n + middle + close * n + tail


KINDS = {
    "add": lambda: repeat("print(1", "+1", ")\n"),
    "mul": lambda: repeat("print(2", " * 1", ")\n"),
    "field": lambda: repeat("let q = {x: 1}\nprint(q", ".x", ")\n"),
    "call": lambda: repeat("fn f() => f\nprint(f", "()", ")\n"),
    "index": lambda: repeat("let l = [1]\nprint(l", "[0]", ")\n"),
    "or": lambda: repeat("print(false", " or false", ")\n"),
    "and": lambda: repeat("print(true", " and true", ")\n"),
    "in": lambda: repeat("print(1 h", " in h", ")\n"),
    "to": lambda: repeat("print(1", " to 2", ")\n"),
    "compare": lambda: repeat("print(1", " < 2", ")\n"),
    "minus": lambda: repeat("print(", "-", "1)\n"),
    "not": lambda: repeat("print(", "not ", "true)\n"),
    "pow": lambda: repeat("print(1", "^1", ")\n"),
    "paren": lambda: nest("print(", "(", "1", ")", ")\n"),
    "list": lambda: nest("print(", "[", "1", "]", ")\n"),
    "record": lambda: nest("print(", "{a: ", "1", "}", ")\n"),
    "interp": lambda: nest("print(", "\"{", "1", "}\"", ")\n"),
    "fn": lambda: repeat("let f = ", "fn () => ", "1\nprint(1)\n"),
    "block": lambda: nest("fn f() ", "{ if true ", "{ print(1) }", "}", "\nf()\n"),
    "decl": lambda: nest("kind k { }\n", "k a { ", "", "} ", "\nprint(1)\n"),
    "elseif": lambda: repeat("let x = 1\nif x == 0 { print(0) }",
                             " else if x == 0 { print(0) }", " else { print(1) }\n"),
    "typeor": lambda: repeat("kind k { f: number", " or number", " }\nprint(1)\n"),
    "mixed": lambda: repeat("let r = {a: [fn () => r]}\nprint(1 + -r", ".a[0]() + 1", ")\n"),
    # what is long but not deep: the right answer
    "statements": lambda: repeat("var x = 0\n", "x += 1\n", "print(x)\n"),
    "block_statements": lambda: repeat("var x = 0\nif true {\n", "  x += 1\n",
                                       "}\nprint(x)\n"),
    "long_list": lambda: repeat("let l = [", "1, ", "1]\nprint(len(l))\n"),
}

kind = sys.argv[1]
text = KINDS[kind]()
if "--md" in sys.argv[2:]:
    text = "# Een lange keten\n\n```kader\n" + text + "```\n"
sys.stdout.write(text)
