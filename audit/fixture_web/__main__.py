"""``python -m audit.fixture_web``: serve the demo market until Ctrl-C."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from audit.fixture_web.market import load_market
from audit.fixture_web.server import FixtureWeb


def main(argv: list[str] | None = None) -> int:
    """Serve the demo market until interrupted, printing the proxy URL and the companies' URLs."""
    parser = argparse.ArgumentParser(prog="python -m audit.fixture_web", description=main.__doc__)
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--market", type=Path, default=None, help="market directory (default: the demo)")
    args = parser.parse_args(argv)
    web = FixtureWeb(args.market)
    market = load_market(args.market)
    web.start(port=args.port, host=args.host)
    print(f"Fixture web: {market.name} ({market.industry})")
    print(f"Proxy URL:   {web.proxy_url}")
    print(f"CA (HTTPS):  {web.ca_pem_path} (SPKI sha256 {web.ca_spki_sha256})")
    for company in market.companies:
        print(f"  {company.role:<10} {company.name:<18} {company.url}")
    print(f"Try: curl -x {web.proxy_url} --cacert {web.ca_pem_path} {market.companies[0].url}")
    print("Press Ctrl-C to stop.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print()
        return 130
    finally:
        web.stop()


if __name__ == "__main__":
    sys.exit(main())
