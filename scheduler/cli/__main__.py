"""``python -m scheduler.cli``: the same as the ``branch-roster`` command."""

from scheduler.cli import main

main()
