# ruff: noqa: RUF001  # the Unicode symbols that formulas become look like Latin letters
"""The formulas of a Markdown text, where they are (for ``glossary check``, which reports a
formula KaTeX cannot typeset at its line and column), and formulas as readable plain text (for
the places that show text, not HTML: see ``as_text``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from generator.markdown.regions import protected_pieces


@dataclass(frozen=True)
class FoundFormula:
    """One formula of a text: its LaTeX (as pymdownx.arithmatex hands it to KaTeX, without
    delimiters and surrounding spaces), whether it is display math, and the offset of its first
    character in the text."""

    tex: str
    display: bool
    offset: int


@lru_cache(maxsize=1 << 16)  # validation looks again at every unchanged text after a save
def find_formulas(text: str) -> tuple[FoundFormula, ...]:
    """Every formula of a Markdown text, outside code, in order: ``$...$`` and ``\\(...\\)``
    inline, ``$$...$$`` and ``\\[...\\]`` on display."""
    found = []
    for piece in protected_pieces(text):
        kind, written = piece.lastgroup, piece.group()
        if kind == "display_math" or kind == "bracket_math":
            inner, display = written[2:-2], kind == "display_math" or written[1] == "["
            start = piece.start() + 2
        elif kind == "math":
            inner, display, start = written[1:-1], False, piece.start() + 1
        else:
            continue
        tex = inner.strip()
        if tex:
            found.append(FoundFormula(tex, display, start + len(inner) - len(inner.lstrip())))
    return tuple(found)


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# Formulas as text: each command a reader knows by its symbol becomes that symbol; the others
# lose their backslash; a script becomes a Unicode superscript or subscript when every character
# has one (σ², xᵢ), else it is written x_(t+1).
_GREEK = [
    *("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"),
    *("lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi"),
    *("chi", "psi", "omega"),
]
_SYMBOLS = {
    **{
        name: chr(code)
        for name, code in zip(
            [*_GREEK[:17], "varsigma", *_GREEK[17:]],
            range(0x3B1, 0x3CA),
            strict=True,
        )
    },
    **{
        name.capitalize(): chr(code)
        for name, code in zip(
            _GREEK[:17],
            range(0x391, 0x3A2),
            strict=True,
        )
    },
    **{
        name.capitalize(): chr(code)
        for name, code in zip(_GREEK[17:], range(0x3A3, 0x3AA), strict=True)
    },
    "varepsilon": "ε",
    "epsilon": "ε",
    "vartheta": "ϑ",
    "varphi": "φ",
    "phi": "ϕ",
    "varrho": "ϱ",
    "varpi": "ϖ",
    "ell": "ℓ",
    "nabla": "∇",
    "partial": "∂",
    "infty": "∞",
    "cdot": "·",
    "cdots": "⋯",
    "ldots": "…",
    "dots": "…",
    "vdots": "⋮",
    "times": "×",
    "div": "÷",
    "pm": "±",
    "mp": "∓",
    "le": "≤",
    "leq": "≤",
    "ge": "≥",
    "geq": "≥",
    "ne": "≠",
    "neq": "≠",
    "ll": "≪",
    "gg": "≫",
    "approx": "≈",
    "sim": "∼",
    "simeq": "≃",
    "equiv": "≡",
    "propto": "∝",
    "in": "∈",
    "notin": "∉",
    "subset": "⊂",
    "subseteq": "⊆",
    "cup": "∪",
    "cap": "∩",
    "emptyset": "∅",
    "forall": "∀",
    "exists": "∃",
    "neg": "¬",
    "land": "∧",
    "lor": "∨",
    "wedge": "∧",
    "vee": "∨",
    "to": "→",
    "rightarrow": "→",
    "leftarrow": "←",
    "gets": "←",
    "leftrightarrow": "↔",
    "Rightarrow": "⇒",
    "Leftarrow": "⇐",
    "Leftrightarrow": "⇔",
    "implies": "⇒",
    "iff": "⇔",
    "mapsto": "↦",
    "sum": " ∑",  # a space before a large operator: 1/m ∑ xᵢ
    "prod": " ∏",
    "int": " ∫",
    "oint": " ∮",
    "sqrt": "√",
    "odot": "⊙",
    "otimes": "⊗",
    "oplus": "⊕",
    "circ": "∘",
    "ast": "∗",
    "star": "⋆",
    "top": "ᵀ",
    "intercal": "ᵀ",
    "prime": "′",
    "langle": "⟨",
    "rangle": "⟩",
    "lfloor": "⌊",
    "rfloor": "⌋",
    "lceil": "⌈",
    "rceil": "⌉",
    "lvert": "|",
    "rvert": "|",
    "vert": "|",
    "mid": "|",
    "lVert": "‖",
    "rVert": "‖",
    "Vert": "‖",
    "|": "‖",
    "{": "{",
    "}": "}",
    "%": "%",
    "$": "$",
    "&": "&",
    "#": "#",
    "_": "_",
    "hbar": "ℏ",
    "dagger": "†",
    "deg": "°",
}
_SPACES = {",", ":", ";", ">", " ", "quad", "qquad", "enspace", "thinspace", "medspace"}
_IGNORED = {
    *("left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "!"),
    *("displaystyle", "textstyle", "scriptstyle", "limits", "nolimits", "nonumber", "notag"),
}
# Commands whose argument is shown as it is (fonts, text, names of operators).
_AS_IS = {
    *("text", "textrm", "textit", "textbf", "textsf", "texttt", "mathrm", "mathit", "mathbf"),
    *("mathsf", "mathtt", "boldsymbol", "bm", "operatorname", "mbox", "underline", "overline"),
    *("mathcal", "mathscr", "mathfrak", "emph"),
}
_DOUBLE_STRUCK = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ"}
_ACCENTS = {
    "hat": "\u0302",
    "widehat": "\u0302",
    "bar": "\u0304",
    "tilde": "\u0303",
    "widetilde": "\u0303",
    "vec": "\u20d7",
    "dot": "\u0307",
    "ddot": "\u0308",
}
_FRACTIONS = {"frac", "dfrac", "tfrac", "cfrac"}
_SUPERSCRIPTS = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyzT",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀ",
        strict=True,
    )
)
_SUBSCRIPTS = dict(
    zip("0123456789+-=()aeijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True)
)
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\s+|.", re.DOTALL)


def formula_as_text(tex: str) -> str:
    """A formula as readable plain text: ``\\mu_B`` -> ``μ_B``, ``\\sigma^2`` -> ``σ²``,
    ``\\sqrt{x}`` -> ``√x``, ``\\frac{a}{b}`` -> ``a/b``, ``\\hat{x}`` -> ``x̂``."""
    text, _ = _sequence(_TOKEN.findall(tex), 0, closing=None)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"([(\[]) | ([)\];,])", r"\1\2", text)


def _sequence(tokens: list[str], at: int, closing: str | None) -> tuple[str, int]:
    """The text of tokens from ``at`` up to ``closing`` ("}" or "]", consumed) or the end."""
    out = ""
    while at < len(tokens):
        token = tokens[at]
        if token == closing:
            return out, at + 1
        if token in ("^", "_"):
            script, at = _argument(tokens, at + 1)
            out += _script(script, superscript=token == "^")
            continue
        piece, at = _atom(tokens, at)
        out += piece
    return out, at


def _argument(tokens: list[str], at: int) -> tuple[str, int]:
    """One argument: a {group}, or the next atom; spaces before it skipped."""
    while at < len(tokens) and tokens[at].isspace():
        at += 1
    if at >= len(tokens):
        return "", at
    return _atom(tokens, at)


def _atom(tokens: list[str], at: int) -> tuple[str, int]:
    token = tokens[at]
    if token == "{":
        return _sequence(tokens, at + 1, closing="}")
    if token == "}":
        return "", at + 1  # unbalanced: KaTeX refuses it; nothing to show
    if token == "&":
        return " ", at + 1
    if token == "~" or token.isspace():
        return " ", at + 1
    if not token.startswith("\\"):
        return token, at + 1
    name = token[1:]
    at += 1
    if name == "\\":
        return "; ", at
    if name in _SPACES:
        return " ", at
    if name in _IGNORED:
        if name in ("left", "right") and at < len(tokens) and tokens[at] == ".":
            at += 1  # \left. shows nothing
        return "", at
    if name in _FRACTIONS:
        numerator, at = _argument(tokens, at)
        denominator, at = _argument(tokens, at)
        return f"{_grouped(numerator)}/{_grouped(denominator)}", at
    if name == "sqrt":
        index = ""
        if at < len(tokens) and tokens[at] == "[":
            index, at = _sequence(tokens, at + 1, closing="]")
        radicand, at = _argument(tokens, at)
        root = "√" if not index else {"3": "∛", "4": "∜"}.get(index, f"{_script(index, True)}√")
        return root + _grouped(radicand), at
    if name == "binom":
        top, at = _argument(tokens, at)
        bottom, at = _argument(tokens, at)
        return f"C({top}, {bottom})", at
    if name in _ACCENTS:
        base, at = _argument(tokens, at)
        mark = _ACCENTS[name]
        return (base + mark if len(base) == 1 else f"{_grouped(base)}{mark}"), at
    if name == "mathbb":
        letters, at = _argument(tokens, at)
        return "".join(_DOUBLE_STRUCK.get(letter, letter) for letter in letters), at
    if name in _AS_IS:
        text, at = _argument(tokens, at)
        return text, at
    if name in ("begin", "end"):
        _, at = _argument(tokens, at)  # the environment's name
        return " ", at
    if name in _SYMBOLS:
        return _SYMBOLS[name], at
    return name, at  # \log, \exp, \max, \softmax...: the name reads well without its backslash


def _grouped(text: str) -> str:
    """``text`` in parentheses when it is more than one symbol or number: a/(b+c)."""
    text = text.strip()
    atom = text.removeprefix("√")
    if re.fullmatch(r"[\w.′]+|\S", atom) or _parenthesized(atom):
        return text
    return f"({text})"


def _parenthesized(text: str) -> bool:
    """Whether ``text`` is one pair of parentheses and what they hold: (a+b), not (a)+(b)."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for i, character in enumerate(text):
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth == 0 and i < len(text) - 1:
            return False
    return True


def _script(text: str, superscript: bool) -> str:
    table = _SUPERSCRIPTS if superscript else _SUBSCRIPTS
    text = text.strip()
    if text and all(character in table for character in text):
        return "".join(table[character] for character in text)
    if text in ("′", "″", "ᵀ"):
        return text
    return ("^" if superscript else "_") + _grouped(text)
