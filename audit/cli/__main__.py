"""``python -m audit.cli``: the ``engage`` command without its console script."""

from audit.cli import main

main(prog_name="engage")
