"""The ``alliance`` command line (Typer). Each capability adds one sub-command module."""
