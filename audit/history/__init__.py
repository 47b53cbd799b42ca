"""History: every audit stored in a database, so trends, diffs, gates and re-scoring are cheap.

``store`` (SQLAlchemy Core; SQLite by default, PostgreSQL by URL) with recorded ``migrations``;
``diff`` (what changed between two runs, with the noise thresholds); ``projects`` (project files and
``engage project run``); ``schedule`` (crontab lines, systemd timers); ``webhook`` (Slack-compatible
notifications); ``recording`` (the hook that stores ``engage audit --db`` runs).
"""
