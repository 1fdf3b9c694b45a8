"""The service: the one door the CLI and the UI go through (no legal logic here).

- :class:`~.log.IncidentLog`: one incident log opened for work;
- :mod:`.incidents` and :mod:`.notices`: every change, one transaction each, with its
  timeline event and audit entry;
- :mod:`.rulebook`: assessing without a log, the rule files, authorities and profiles;
- :mod:`.wizard`: the questions the law asks, for the new-incident wizard;
- :mod:`.views`: stored incidents as plain data; :mod:`.demo`: the demo log.

Importing this package loads no pydantic: listing and showing incidents stay light.
"""

from ..export import FORMATS as EXPORT_FORMATS
from ..export import WRITERS as EXPORT_WRITERS
from ..export import Options as ExportOptions
from ..export import Selection
from ..export.tickets import PAP as PAP_LEVELS
from ..export.tickets import TLP as TLP_LEVELS
from ..notices.kinds import KINDS as NOTICE_KINDS
from ..notices.kinds import NOTICE_FORMATS
from ..store import Conflict
from .log import IncidentLog

__all__ = [
    "EXPORT_FORMATS",
    "EXPORT_WRITERS",
    "NOTICE_FORMATS",
    "NOTICE_KINDS",
    "PAP_LEVELS",
    "TLP_LEVELS",
    "Conflict",
    "ExportOptions",
    "IncidentLog",
    "Selection",
]
