"""Where things are and who is working: read once from the command line and the
environment in ``main``, then handed down (nothing else reads the environment).

=================  =====================================================================
``--db``           the incident log; else ``BREACH_DB``; else ``breach.db`` in the data home
``--rules``        the rules folder; else ``BREACH_RULES_DIR``; else the shipped rules
``--tz``           the zone times are shown in; else ``TZ``, else the machine's zone
``--actor``        who is recorded for each change; else ``BREACH_ACTOR``, else the login
``BREACH_HOME``    moves the data and config homes (default: the platform's user folders)
``VISUAL``         the editor ``breach profiles edit`` opens; else ``EDITOR``, else ``vi``
``BREACH_DEBUG``   ``1``: an internal error shows its traceback, not one line
=================  =====================================================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """What every command and the UI are configured with."""

    #: the incident log (SQLite file)
    db: Path
    #: the rules folder; None: the rules shipped with breach
    rules_dir: Path | None
    #: the IANA zone times are shown in; None: UTC
    zone: str | None
    #: who is recorded for each change
    actor: str
    #: where breach keeps its data (the log by default, the demo log)
    data_home: Path
    #: where breach keeps its configuration
    config_home: Path
    #: show the traceback of an internal error (``BREACH_DEBUG=1``) instead of one line
    debug: bool = False
    #: whether ``db`` is the default location (its folders are created; a typed path's are not)
    db_is_default: bool = False
    #: the editor command (``VISUAL``, else ``EDITOR``, else ``vi``)
    editor: str = "vi"

    @property
    def audit_key_path(self) -> Path:
        """The audit key (``breach audit key``), in the config home."""
        return self.config_home / "audit.key"

    @property
    def demo_db(self) -> Path:
        """The demo incident log (``breach demo``), in its own folder: never next to the
        responder's own log."""
        return self.data_home / "demo" / "demo.db"

    @classmethod
    def load(
        cls,
        *,
        db: str | None = None,
        rules: str | None = None,
        zone: str | None = None,
        actor: str | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Settings:
        """Settings from the options given, else the environment, else the defaults."""
        env = os.environ if environ is None else environ
        data_home, config_home = _homes(env)
        given = db or env.get("BREACH_DB")
        db_path = given or data_home / "breach.db"
        rules_dir = rules or env.get("BREACH_RULES_DIR")
        if zone:
            from .clock import zone as resolve

            resolve(zone)  # one clear line for a typo, before anything runs
        return cls(
            db=Path(db_path),
            rules_dir=Path(rules_dir) if rules_dir else None,
            zone=zone or local_zone_name(env),
            actor=actor or env.get("BREACH_ACTOR") or login_name(),
            data_home=data_home,
            config_home=config_home,
            debug=env.get("BREACH_DEBUG", "") not in ("", "0"),
            db_is_default=not given,
            editor=env.get("VISUAL") or env.get("EDITOR") or "vi",
        )


def _homes(env: Mapping[str, str]) -> tuple[Path, Path]:
    if env.get("BREACH_HOME"):
        home = Path(env["BREACH_HOME"])
        return home, home / "config"
    from platformdirs import user_config_path, user_data_path

    return user_data_path("breach", appauthor=False), user_config_path("breach", appauthor=False)


def login_name() -> str:
    """The operating-system user name, for events and the audit log."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def local_zone_name(env: Mapping[str, str]) -> str | None:
    """The machine's IANA zone: ``TZ``, else the /etc/localtime link; None means UTC."""
    from .clock import TimeInputError, zone

    candidate = env.get("TZ", "").lstrip(":")
    if not candidate:
        try:
            target = str(Path("/etc/localtime").resolve())
        except OSError:
            target = ""
        candidate = target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else ""
    if not candidate:
        return None
    try:
        zone(candidate)
    except TimeInputError:
        return None
    return candidate
