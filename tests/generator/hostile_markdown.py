"""Markdown that tries to put script or foreign requests on a page: one entry per way found.

Shared by the tests of the located checks (``glossary check`` must refuse each) and of the
sanitizer (which must make each inert on its own, without those checks).
"""

from __future__ import annotations

# (name, Markdown of a term field)
PAYLOADS: tuple[tuple[str, str], ...] = (
    ("inline link", "See [the paper](javascript:alert(1))."),
    ("entity in the scheme", "See [the paper](jav&#x61;script:alert(1))."),
    ("reference in a quote", "See [the paper][p].\n\n> [p]: javascript:alert(1)"),
    ("reference in a list", "See [the paper][p].\n\n- [p]: javascript:alert(1)"),
    ("reference in a numbered list", "See [the paper][p].\n\n1. [p]: javascript:alert(1)"),
    (
        "reference in a definition list",
        "See [the paper][p].\n\nTerm\n:   [p]: jav&#x61;script:alert(1)",
    ),
    ("reference in a nested quote", "See [x][p].\n\n> > - [p]: javascript:alert(1)"),
    ("auto-link splice", "[Adam]W][term:adam-w](javascript:alert(1))\n\n[term:adam-w]: adam-w.md"),
    ("raw script", "<script>alert(1)</script>"),
    ("event handler", '<img src="x" onerror="alert(1)">'),
    ("attribute list", 'Click me\n{: onclick="alert(1)" }'),
    ("attribute list on a heading", '### Click { onclick="alert(1)" }'),
    ("external image", "![x](https://tracker.example/p.png)"),
    ("external image by reference", "![x][i]\n\n[i]: https://tracker.example/p.png"),
    ("data url", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("vbscript", "[x](vbscript:msgbox(1))"),
    ("svg", '<svg><a xlink:href="javascript:alert(1)">x</a></svg>'),
    ("iframe", '<iframe src="https://evil.example"></iframe>'),
    ("html block", '<div markdown="1" onmouseover="alert(1)">hover</div>'),
    ("autolink", "<javascript:alert(1)>"),
    ("tag in math", "$x_{<t}$ then\n\n<div markdown>\n\n- x\n\n</div>"),
)
