"""The fixture web: the embedded fictional market served on loopback (see ``server.FixtureWeb``)."""

from audit.fixture_web.market import Market, MarketCompany, load_market, load_truth
from audit.fixture_web.server import FixtureWeb

__all__ = ["FixtureWeb", "Market", "MarketCompany", "load_market", "load_truth"]
