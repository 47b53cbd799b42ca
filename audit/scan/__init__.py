"""Market scans: one per-company audit per job, results in a database, an industry benchmark at the end.

``engage scan`` runs the jobs in a local process pool with SQLite by default, or sends them to Celery
workers over Redis (``--broker``) with PostgreSQL as the record. Either way the job functions are the
same (:mod:`audit.scan.jobs`) and correctness comes from the store (:mod:`audit.scan.store`): upserts keyed
by (scan, host), the current attempt only, a lease so a redelivered job never runs twice at once, and a
finalize that only one caller can win.
"""
