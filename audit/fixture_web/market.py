"""The demo market's description (``market.toml``) and its truth files (``truth/<host>.json``)."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

#: The embedded fictional market (sites, truth files, market.toml).
DEFAULT_MARKET_DIR = Path(__file__).resolve().parent.parent / "demo_market"

Profile = Literal["leader", "in-between", "broadcaster", "laggard"]


@dataclass(frozen=True)
class MarketCompany:
    """One company of the market: its home URL, role (client/competitor) and maturity profile."""

    name: str
    url: str
    role: Literal["client", "competitor"]
    profile: Profile
    host: str


@dataclass(frozen=True)
class Market:
    """The fictional market: its name, industry, client host and companies (client first)."""

    name: str
    industry: str
    client: str
    companies: list[MarketCompany] = field(default_factory=list)

    @property
    def client_company(self) -> MarketCompany:
        """The company being audited."""
        return next(c for c in self.companies if c.role == "client")

    @property
    def competitors(self) -> list[MarketCompany]:
        """Every company but the client, in file order."""
        return [c for c in self.companies if c.role == "competitor"]


def _market_dir(market_dir: Path | None) -> Path:
    return Path(market_dir) if market_dir is not None else DEFAULT_MARKET_DIR


def load_market(market_dir: Path | None = None) -> Market:
    """Read ``market.toml`` (default: the embedded demo market); the client is listed first."""
    data: dict[str, Any] = tomllib.loads((_market_dir(market_dir) / "market.toml").read_text("utf-8"))
    meta = data["market"]
    companies = [
        MarketCompany(
            name=str(c["name"]),
            url=str(c["url"]),
            role=c["role"],
            profile=c["profile"],
            host=(urlsplit(str(c["url"])).hostname or "").lower(),
        )
        for c in data.get("companies", [])
    ]
    companies.sort(key=lambda c: c.role != "client")
    return Market(
        name=str(meta["name"]),
        industry=str(meta["industry"]),
        client=str(meta["client"]),
        companies=companies,
    )


def load_truth(host: str, market_dir: Path | None = None) -> dict[str, Any]:
    """The truth file of one company: exactly what its site offers (see ``demo_market/README.md``)."""
    path = _market_dir(market_dir) / "truth" / f"{host.lower()}.json"
    truth: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return truth
