"""History: every audit stored in a database, so trends, diffs, gates and re-scoring are cheap.

Storage only — it imports neither the pipeline nor the CLI (``tests/test_imports.py`` checks): ``store``
(SQLAlchemy Core; SQLite by default, PostgreSQL by URL; ``Store.recorded_run``, a run's lifecycle) with
recorded ``migrations``; ``diff`` (what changed between two runs, with the noise thresholds); ``trend``
(the ``history`` block of ``audit.json``); ``projects`` (project files); ``schedule`` (crontab lines,
systemd timers); ``webhook`` (Slack-compatible notifications). Runs that use it are orchestrated by
``audit.pipeline`` (``engage audit --db``) and ``audit.runs`` (``engage project run``, ``engage rescore``).
"""
