"""A throwaway local Synapse homeserver for tests, ``kiwibot demo`` and benchmarks.

Synapse is AGPL-3.0, so it is never imported here: it runs as a separate process
(``python -m synapse.app.homeserver``) and is only spoken to over HTTP. The module is
synchronous and uses only the standard library, so it works from plain pytest fixtures
and from a command line alike.

Command line: ``python -m kiwibot.devserver [DIR] [--port PORT]`` starts a server,
prints its URL and stops it cleanly on Ctrl-C.
"""

from kiwibot.devserver.cli import main
from kiwibot.devserver.server import LocalSynapse

__all__ = ["LocalSynapse", "main"]
