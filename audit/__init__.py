"""Engage: audit how well companies engage their customers online, against their competitors."""

__version__ = "0.1.0"
