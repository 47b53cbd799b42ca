"""Flarum forums: activity from the public JSON:API, end to end through the fixture web."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit.cli import main
from audit.fixture_web import FixtureWeb
from audit.fixture_web.apis import flarum


@pytest.fixture(scope="module")
def flarum_web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FixtureWeb]:
    root = tmp_path_factory.mktemp("flarum_market")
    flarum.write_market(root)
    with FixtureWeb(root) as web:
        yield web


def test_flarum_activity_from_the_json_api(flarum_web: FixtureWeb, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "audit",
            "http://flarumco.test/",
            "--out",
            str(tmp_path),
            "--proxy",
            flarum_web.proxy_url,
            "--render",
            "never",
            "--format",
            "json",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    company = json.loads((tmp_path / "audit.json").read_text())["companies"][0]
    forum = next(c for c in company["channels"]["community"] if c["platform"] == "flarum")
    assert forum["url"] == "http://forum.flarumco.test/" and forum["activity_method"] == "flarum-api"
    m = company["metrics"]
    assert m["community.topics_sampled"] == 3  # the staff-opened and the sticky discussions are left out
    assert m["community.first_reply_hours_median"] == 3.0  # 1 h and 5 h
    assert m["community.first_staff_reply_hours_median"] == 3.5  # 2 h and 5 h
    assert m["community.answered_24h_share"] == pytest.approx(0.67, abs=0.01)
    assert m["community.topics_per_week"] == round(4 / 90 * 7, 2)
    assert m["community.solved_share"] is None
