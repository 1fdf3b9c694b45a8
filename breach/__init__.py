"""breach: breach-notification decisions and incident tracking for telecom / VoIP providers."""

__version__ = "0.1.0"
