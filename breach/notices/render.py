"""Template rendering: a sandboxed Jinja2 environment over ``decision_rules/templates/``.

Layout: ``templates/<kind>/<lang>.md.j2`` for each notice kind (plain text and HTML are
derived from the Markdown), ``templates/report/<lang>.<md|html>.j2`` for the report,
``templates/_common/<lang>.j2`` for shared wording and ``templates/_layout/`` for HTML
pages. Templates cannot reach Python internals (sandbox), cannot change the data they are
given (immutable sandbox), fail on a misspelt name (StrictUndefined), and every printed
value is escaped for its target: Markdown-escaped in ``.md.j2`` templates, HTML-escaped
by autoescape in ``.html.j2`` templates, control characters removed in both.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, pass_eval_context
from jinja2.nodes import EvalContext
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from . import markup
from .errors import NoticeError
from .kinds import FORMATS
from .missing import Missing, current_marker
from .safe import clean, marker_for, md_escape

FALLBACK = "en"

_printed_missing: ContextVar[list[str] | None] = ContextVar("printed_missing", default=None)


def templates_dir(rules_directory: str | Path | None = None) -> Path:
    """``templates/`` of the rules directory in use, else the shipped one.

    A rules directory given with ``--rules`` that has no templates of its own uses the
    templates shipped with breach (packaged copy, or the checkout's ``decision_rules/``).
    """
    from importlib import resources

    from ..rules import rules_dir

    candidates = [rules_dir(rules_directory) / "templates"]
    packaged = resources.files("breach") / "decision_rules" / "templates"
    candidates.append(Path(str(packaged)))
    candidates.append(Path(__file__).resolve().parents[2] / "decision_rules" / "templates")
    return next((c for c in candidates if c.is_dir()), candidates[0])


@dataclass
class Rendered:
    """A rendered document, the facts it marks as to be confirmed, and warnings."""

    text: str
    language: str
    unknowns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    template: str = ""


@pass_eval_context
def _finalize(eval_ctx: EvalContext, value: Any) -> Any:
    """Escape every printed value for the template's target; mark and list unknowns."""
    if isinstance(value, Missing):
        seen = _printed_missing.get()
        if seen is not None and value.label not in seen:
            seen.append(value.label)
        marker = current_marker.get()
        return Markup(marker) if eval_ctx.autoescape else marker
    if value is None:
        raise TemplateError("a template printed a value that is None (use a Missing value)")
    if isinstance(value, Markup):
        return value
    if eval_ctx.autoescape:
        return clean(str(value))  # autoescape HTML-escapes it next
    return md_escape(str(value))


def _is_known(value: Any) -> bool:
    return not isinstance(value, Missing)


def _labels(values: Any, table: dict[str, Any], sep: str = "; ") -> Any:
    """``values`` (codes) as their labels from ``table``, joined; Missing stays Missing."""
    if isinstance(values, Missing):
        return values
    return sep.join(str(table.get(v, v)) for v in values)


def _word(value: Any, table: dict[str, Any]) -> Any:
    """One code as its label from ``table``; Missing stays Missing."""
    if isinstance(value, Missing):
        return value
    return table.get(value, value)


def _the(name: Any) -> Any:
    """An English name with its article: "the National Commission…", "CNPD" unchanged."""
    text = str(name)
    if isinstance(name, Missing) or text.lower().startswith("the ") or text.split(" ")[0].isupper():
        return name
    return f"the {text}"


def _first_upper(text: Any) -> Any:
    """The text with its first letter upper-case (unlike ``capitalize``, keeps the rest)."""
    text = str(text)
    return text[:1].upper() + text[1:]


def _words(text: Any, table: dict[str, str]) -> Any:
    """Replace legal words of a citation (``GDPR`` -> ``AVG``...) from a template's table."""
    if isinstance(text, Missing) or not table:
        return text
    pattern = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    return re.sub(pattern, lambda m: table[m.group(0)], str(text))


def _join(values: Any, sep: str = ", ") -> Any:
    """Join values as text; Missing stays Missing."""
    if isinstance(values, Missing):
        return values
    return sep.join(str(v) for v in values)


class Renderer:
    """Finds and renders templates under one ``templates/`` directory."""

    def __init__(self, root: Path) -> None:
        if not root.is_dir():
            raise NoticeError(f"{root}: templates directory not found")
        self.root = root
        self.env = ImmutableSandboxedEnvironment(
            loader=FileSystemLoader(str(root)),
            autoescape=lambda name: bool(name and name.endswith(".html.j2")),
            undefined=StrictUndefined,
            finalize=_finalize,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.tests["known"] = _is_known
        self.env.filters["labels"] = _labels
        self.env.filters["word"] = _word
        self.env.filters["the"] = _the
        self.env.filters["join_known"] = _join
        self.env.filters["first_upper"] = _first_upper
        self.env.filters["words"] = _words

    def languages(self, kind: str, ext: str = "md") -> list[str]:
        """Languages with a template for ``kind`` (``ext``: md or html)."""
        suffix = f".{ext}.j2"
        return sorted(
            p.name[: -len(suffix)] for p in (self.root / kind).glob(f"*{suffix}") if p.is_file()
        )

    def choose_language(
        self, kind: str, requested: str | None, preferred: list[str], ext: str = "md"
    ) -> tuple[str, list[str]]:
        """The requested language, else the first preferred one with a template, else EN.

        Falling back to EN always comes with a warning saying why.
        """
        available = self.languages(kind, ext)
        if not available:
            raise NoticeError(f"no {kind} template in {self.root / kind}")
        if requested:
            lang = requested.strip().lower()
            if lang in available:
                return lang, []
            reason = f"no {kind} template in {lang!r}"
        else:
            lang = next((p for p in preferred if p in available), "")
            if lang:
                return lang, []
            listed = ", ".join(preferred) or "none set"
            reason = f"no {kind} template in the organisation's languages ({listed})"
        if FALLBACK not in available:
            raise NoticeError(f"{reason} and no {FALLBACK} template to fall back to")
        return FALLBACK, [f"{reason}: using {FALLBACK.upper()} (available: {', '.join(available)})"]

    def render_template(self, name: str, context: dict[str, Any]) -> Rendered:
        """Render one template file; returns the text and the unknowns it printed."""
        seen: list[str] = []
        token = _printed_missing.set(seen)
        marker = current_marker.set(marker_for(str(context.get("lang") or "en")))
        try:
            text = self.env.get_template(name).render(context)
        except TemplateError as err:
            raise NoticeError(f"template {name}: {err}") from None
        finally:
            _printed_missing.reset(token)
            current_marker.reset(marker)
        return Rendered(text, str(context.get("lang", "")), seen, [], name)

    def render_notice(self, kind: str, lang: str, fmt: str, context: dict[str, Any]) -> Rendered:
        """A notice in ``fmt`` (text, md, html) from its Markdown template."""
        if fmt not in FORMATS:
            raise NoticeError(f"format {fmt!r}: use one of {', '.join(FORMATS)}")
        name = f"{kind}/{lang}.md.j2"
        result = self.render_template(name, {**context, "lang": lang, "complete": False})
        pending = (context.get("facts") or {}).get("pending")
        if not result.unknowns and not pending:  # nothing to follow: the text may say so
            result = self.render_template(name, {**context, "lang": lang, "complete": True})
        if fmt == "md":
            return result
        blocks = markup.parse(result.text)
        if fmt == "text":
            result.text = markup.to_text(blocks)
            return result
        result.text = self.page(blocks, lang, kind)
        return result

    def from_text(self, text: str, fmt: str, lang: str, kind: str) -> str:
        """A plain-text notice (as edited) in ``fmt``: itself, Markdown, or the HTML page."""
        if fmt == "text":
            return text
        if fmt not in ("md", "html"):
            raise NoticeError(f"format {fmt!r}: a text converts to md or html")
        blocks = markup.from_text(text)
        return markup.to_markdown(blocks) if fmt == "md" else self.page(blocks, lang, kind)

    def page(self, blocks: list[markup.Block], lang: str, kind: str) -> str:
        """A notice's blocks as a self-contained HTML page, titled by its first heading."""
        title = next(
            ("".join(s.text for s in b.items[0][0]) for b in blocks if b.kind == "h1"), kind
        )
        context = {"lang": lang, "title": title, "blocks": blocks}
        return self.render_template("_layout/notice.html.j2", context).text
