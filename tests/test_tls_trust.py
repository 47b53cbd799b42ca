"""Trust without switching verification off: --ca-bundle for requests, the CA's SPKI hash for Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import certifi
import pytest

from audit.certificates import added_spki_hashes, combined_bundle
from audit.fetch import Fetcher
from audit.fixture_web import FixtureWeb
from audit.render import CHROMIUM_FLAGS, chromium_args, render_all
from audit.settings import Settings, SettingsError, load_settings

HAS_CHROMIUM = shutil.which("chromium") is not None or Path("/usr/bin/chromium").exists()
needs_browser = pytest.mark.skipif(not HAS_CHROMIUM, reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def web() -> Iterator[FixtureWeb]:
    with FixtureWeb() as served:
        yield served


def settings_for(web: FixtureWeb, ca: bool = True) -> Settings:
    return Settings(proxy=web.proxy_url, ca_bundle=str(web.ca_pem_path) if ca else None, retries=0)


def test_the_added_ca_lets_requests_verify_the_fixture_web(web: FixtureWeb) -> None:
    page = Fetcher(settings_for(web)).get("https://acme.test/")
    assert page.error is None and page.status == 200


def test_without_the_ca_the_page_records_why_it_was_not_trusted(web: FixtureWeb) -> None:
    page = Fetcher(settings_for(web, ca=False)).get("https://acme.test/")
    assert page.status is None
    assert page.error == "TLS certificate not trusted (issued by an unknown certificate authority)"


def test_the_combined_bundle_keeps_certifis_roots(web: FixtureWeb) -> None:
    combined = Path(combined_bundle(str(web.ca_pem_path))).read_bytes()
    assert combined.startswith(Path(certifi.where()).read_bytes().rstrip())
    assert combined.endswith(web.ca_pem_path.read_bytes())


def test_ca_bundle_env_variables_are_honoured_in_order(web: FixtureWeb, tmp_path: Path) -> None:
    ca = str(web.ca_pem_path)
    env = {"ENGAGE_CONFIG": str(tmp_path / "none.toml")}
    assert load_settings(environ={**env, "SSL_CERT_FILE": ca}).ca_bundle == ca
    assert load_settings(environ={**env, "REQUESTS_CA_BUNDLE": ca, "SSL_CERT_FILE": "/nope"}).ca_bundle == ca
    assert load_settings(environ=env).ca_bundle is None


def test_a_ca_bundle_without_certificates_is_a_usage_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pem"
    empty.write_text("not a certificate\n")
    env = {"ENGAGE_CONFIG": str(tmp_path / "none.toml")}
    with pytest.raises(SettingsError, match=r"ca_bundle: CA bundle .*empty.pem: no PEM certificate in it"):
        load_settings(environ=env, ca_bundle=str(empty))
    with pytest.raises(SettingsError, match=r"REQUESTS_CA_BUNDLE: CA bundle .*missing.pem"):
        load_settings(environ={**env, "REQUESTS_CA_BUNDLE": str(tmp_path / "missing.pem")})


def test_chromium_gets_the_cas_spki_hash_and_never_a_blanket_ignore(web: FixtureWeb) -> None:
    args = chromium_args(settings_for(web))
    assert args[: len(CHROMIUM_FLAGS)] == list(CHROMIUM_FLAGS)
    assert args[-1] == f"--ignore-certificate-errors-spki-list={web.ca_spki_sha256}"
    assert "--ignore-certificate-errors" not in args
    assert chromium_args(settings_for(web, ca=False)) == list(CHROMIUM_FLAGS)


def test_certifis_own_roots_are_not_put_on_chromiums_list() -> None:
    assert added_spki_hashes(certifi.where()) == ()


@needs_browser
def test_chromium_renders_https_only_with_the_spki_allow_list(web: FixtureWeb) -> None:
    launchers = [".intercom-lightweight-app", ".crisp-client"]
    [[trusted], [crisp]] = render_all(
        settings_for(web),
        "/usr/bin/chromium",
        ["Intercom", "$crisp"],
        [["https://northwind.test/"], ["https://acme.test/"]],
        launchers,
    )
    [[untrusted]] = render_all(
        settings_for(web, ca=False), "/usr/bin/chromium", [], [["https://northwind.test/"]]
    )
    assert trusted.error is None and "Northwind" in (trusted.html or "")
    assert untrusted.error is not None and "ERR_CERT_AUTHORITY_INVALID" in untrusted.error
    # the chat vendors' stand-ins load over HTTPS and draw their launchers, photographed close up
    assert "https://widget.intercom.io/widget/nw8k2" in {r["url"] for r in trusted.requests}
    assert trusted.launcher_selector == ".intercom-lightweight-app" and trusted.launcher_screenshot
    assert crisp.launcher_selector == ".crisp-client" and crisp.launcher_screenshot
