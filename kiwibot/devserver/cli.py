"""``python -m kiwibot.devserver [DIR] [--port PORT]``: a Synapse until Ctrl-C, then stopped cleanly."""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType

from kiwibot.devserver.server import LocalSynapse


def main(argv: list[str] | None = None) -> int:
    """Run a dev server until Ctrl-C (or SIGTERM), then stop it cleanly."""
    parser = argparse.ArgumentParser(prog="python -m kiwibot.devserver", description=main.__doc__)
    parser.add_argument("dir", nargs="?", type=Path, help="data directory (default: a new temp dir)")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    args = parser.parse_args(argv)
    base_dir: Path = args.dir or Path(tempfile.mkdtemp(prefix="kiwibot-synapse-"))

    def _terminate(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    server = LocalSynapse(base_dir, port=args.port)
    try:
        began = time.monotonic()
        server.start()
        print(f"Synapse running at {server.url}  (started in {time.monotonic() - began:.1f} s)")
        print(f"  data: {server.base_dir}  log: {server.log_path}")
        print(f"  add a user: register_new_matrix_user -k {server.shared_secret} {server.url}")
        print("Ctrl-C to stop.", flush=True)
        assert server._proc is not None
        code = server._proc.wait()
        print(f"Synapse exited by itself with code {code}; see {server.log_path}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping…", flush=True)
        return 0
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        server.stop()
