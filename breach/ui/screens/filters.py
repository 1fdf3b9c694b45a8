"""The dashboard's filter dialog: status, organisation, regime and due window."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static

from ...service.filters import Filters
from ..formatting import fit

ANY = ""  # the Select value of "any": Select values cannot be None
STATUS_CHOICES = [("Open", "open"), ("Closed", "closed"), ("Open and closed", "all")]
DUE_CHOICES = [
    ("Any", ANY),
    ("Overdue", "overdue"),
    ("Due within 24 h (overdue too)", "24h"),
    ("Due within 72 h (overdue too)", "72h"),
]


class FilterScreen(ModalScreen[Filters | None]):
    """Choose the filters; ctrl+s (or Apply) applies them, escape leaves them as they were."""

    DEFAULT_CSS = """
    FilterScreen { align: center middle; }
    FilterScreen > Vertical { width: 72; max-width: 100%; height: auto; max-height: 100%;
        overflow-y: auto; border: thick $accent; background: $surface; padding: 1 2; }
    FilterScreen Grid { grid-size: 2; grid-columns: 14 1fr; grid-rows: 1; grid-gutter: 1 1;
        height: auto; margin: 1 0; }
    FilterScreen .hint { color: $text-muted; }
    FilterScreen Horizontal { height: auto; }
    FilterScreen Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel-filters"),
        Binding("ctrl+s", "apply", "Apply", id="apply-filters"),
    ]

    def __init__(
        self,
        current: Filters,
        organisations: Mapping[str, str],
        regimes: Sequence[tuple[str, str, str]],
    ) -> None:
        """``organisations``: key -> name, those the log holds; ``regimes``: (id, word,
        full name) as :meth:`~breach.service.IncidentLog.regimes` gives them."""
        super().__init__()
        self.current = current
        self.organisations = organisations
        self.regimes = regimes

    def compose(self) -> ComposeResult:
        organisations = [("Any", ANY), *((name, key) for key, name in self.organisations.items())]
        if self.current.organisation and self.current.organisation not in self.organisations:
            # chosen before its last incident went: still shown, so it can be unset
            organisations.append((self.current.organisation, self.current.organisation))
        # one line each in the drop-down: the responder's word first, the law cut after it
        regimes = [
            ("Any", ANY),
            *((fit(f"{w} — {name}", 50), key) for key, w, name in self.regimes),
        ]
        if self.current.regime and self.current.regime not in {r[0] for r in self.regimes}:
            regimes.append((self.current.regime, self.current.regime))
        with Vertical():
            yield Label("Filter the dashboard — ctrl+s applies, escape cancels")
            with Grid():
                yield Label("Status")
                yield self._select("status", STATUS_CHOICES, self.current.status)
                yield Label("Organisation")
                yield self._select("organisation", organisations, self.current.organisation)
                yield Label("Regime")
                yield self._select("regime", regimes, self.current.regime)
                yield Label("Due")
                yield self._select("due", DUE_CHOICES, self.current.due)
            yield Static(
                "A regime keeps the incidents with a required duty under it. A due window "
                "keeps open incidents whose next open deadline falls in it.",
                classes="hint",
            )
            with Horizontal():
                yield Button("Apply (ctrl+s)", variant="primary", id="apply")
                yield Button("Clear all", id="clear")
                yield Button("Cancel (escape)", id="cancel")

    @staticmethod
    def _select(name: str, options: list[tuple[str, str]], value: str | None) -> Select[str]:
        return Select(
            options,
            value=value or ANY,
            allow_blank=False,
            compact=True,
            id=f"filter-{name}",
        )

    def on_mount(self) -> None:
        self.query_one("#filter-status", Select).focus()

    def chosen(self) -> Filters:
        """The filters as the dialog now shows them."""

        def value(name: str) -> str | None:
            picked = self.query_one(f"#filter-{name}", Select).value
            return str(picked) if picked not in (ANY, Select.NULL) else None

        return Filters(
            status=value("status") or "open",
            organisation=value("organisation"),
            regime=value("regime"),
            due=value("due"),
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {"apply": self.action_apply, "clear": self.action_clear}
        actions.get(str(event.button.id), self.action_cancel)()

    def action_apply(self) -> None:
        self.dismiss(self.chosen())

    def action_clear(self) -> None:
        """Every filter off: the open incidents, all of them."""
        self.dismiss(Filters())

    def action_cancel(self) -> None:
        self.dismiss(None)
