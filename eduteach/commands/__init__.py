"""Command-line commands beyond the admin basics: ``eduteach generate`` and its kinds.

``generate`` is a click group; each content kind is one subcommand. The building blocks in
:mod:`eduteach.commands.options` and :mod:`eduteach.commands.running` (request options,
validation in teacher words, source files, the model, the progress line, exit codes) are
shared, so a new kind is one function that builds its request and writes its file.
"""

from eduteach.commands.generate import generate

__all__ = ["generate"]
