"""breach: breach-notification decisions and incident tracking for telecom / VoIP providers."""

import os

__version__ = "0.1.0"

# pydantic scans every installed distribution's entry points for plugins when the first
# model is built (~50 ms per process here). breach uses no pydantic plugin; set the
# variable yourself (e.g. to "") to re-enable plugin discovery.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
