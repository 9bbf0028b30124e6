"""`LocalSynapse`: start, stop and restart a throwaway Synapse, and register and log in its users.

Synapse is AGPL-3.0, so it is never imported here: it runs as a separate process
(``python -m synapse.app.homeserver``) and is only spoken to over HTTP.
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import hmac
import json
import logging
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from kiwibot.devserver.config import write_config

log = logging.getLogger(__name__)

_POLL_INTERVAL = 0.05
_LOG_TAIL_LINES = 40
_HTTP_TIMEOUT = 10.0

# Local traffic must never go through an http_proxy from the environment.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class _StartupError(RuntimeError):
    """Synapse was launched but did not come up; the caller adds the log tail."""


def _free_port() -> int:
    """Ask the kernel for a currently unused TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _port_is_free(port: int) -> bool:
    """True if nothing listens on 127.0.0.1:port (TIME_WAIT leftovers of our own polls don't count)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _tail(path: Path, lines: int = _LOG_TAIL_LINES) -> str:
    """The last lines of a log file, or a note that it is missing (for error messages)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as fh:
            return "".join(deque(fh, maxlen=lines))
    except FileNotFoundError:
        return f"(no {path.name})\n"


@dataclass
class LocalSynapse:
    """A Synapse homeserver on 127.0.0.1 with all its state in ``base_dir``.

    ``stop()`` then ``start()`` restarts it on the same port with the same data (users, rooms,
    signing key), which is how tests simulate "the homeserver went away".
    """

    base_dir: Path
    port: int = 0
    server_name: str = "localhost"
    relaxed_rate_limits: bool = True
    shared_secret: str = field(default_factory=lambda: secrets.token_hex(16), init=False, repr=False)
    _proc: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)
    _stdout: Any = field(default=None, init=False, repr=False)
    _lock: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        # Synapse resolves relative paths against its own cwd; absolute paths avoid surprises.
        self.base_dir = Path(self.base_dir).resolve()

    # --- paths and state -------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Base URL for clients, e.g. ``http://127.0.0.1:8448``."""
        if not self.port:
            raise RuntimeError("no port yet: call start() first")
        return f"http://127.0.0.1:{self.port}"

    @property
    def config_path(self) -> Path:
        return self.base_dir / "homeserver.yaml"

    @property
    def log_path(self) -> Path:
        return self.base_dir / "homeserver.log"

    @property
    def stdout_path(self) -> Path:
        return self.base_dir / "synapse.stdout.log"

    @property
    def running(self) -> bool:
        """True while the Synapse process we started is alive."""
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    # --- lifecycle -------------------------------------------------------------------------

    def start(self, timeout: float = 60) -> None:
        """Write the config, launch Synapse and return once the client API answers.

        On failure or timeout the process is killed and RuntimeError carries the log tail,
        because a bare "did not start" is useless when debugging a CI run.
        """
        if self.running:
            raise RuntimeError(f"Synapse is already running at {self.url} (pid {self.pid})")
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self._acquire_lock()
        began = time.monotonic()
        try:
            self._prepare()
            self._stdout = self.stdout_path.open("ab")
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "synapse.app.homeserver", "-c", str(self.config_path)],
                stdin=subprocess.DEVNULL,
                stdout=self._stdout,
                stderr=subprocess.STDOUT,
                cwd=self.base_dir,
                # Synapse inherits the lock, so the data dir stays locked for as long as it lives.
                pass_fds=(self._lock.fileno(),),
                # Own session: a Ctrl-C in the terminal must not kill Synapse before we stop it cleanly.
                start_new_session=True,
            )
            atexit.register(self.stop)
            self._wait_ready(began + timeout)
        except _StartupError as exc:
            self._kill()
            raise RuntimeError(f"{exc}\n{self._log_report()}") from None
        except BaseException:
            self._kill()  # also on Ctrl-C while waiting: never leave an orphan behind
            raise
        log.info("Synapse up at %s (pid %s) in %.2f s", self.url, self.pid, time.monotonic() - began)

    def _prepare(self) -> None:
        """Settle the port (kept across restarts) and write the config files."""
        if not self.port:
            self.port = _free_port()  # kept, so a later start() comes back on the same port
        elif not _port_is_free(self.port):
            # Otherwise the readiness poll could be answered by whatever already listens there.
            raise RuntimeError(f"port {self.port} on 127.0.0.1 is already in use")
        self._write_config()

    def stop(self, timeout: float = 15) -> None:
        """SIGTERM and wait; SIGKILL this one PID if it does not exit in time. Idempotent."""
        atexit.unregister(self.stop)
        proc = self._proc
        if proc is not None and proc.poll() is None:
            began = time.monotonic()
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                log.warning("Synapse (pid %s) ignored SIGTERM for %.0f s; killing it", proc.pid, timeout)
                proc.kill()
                proc.wait()
            log.info("Synapse (pid %s) stopped in %.2f s", proc.pid, time.monotonic() - began)
        self._proc = None
        self._close_stdout()
        self._release_lock()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- users -----------------------------------------------------------------------------

    def register(self, username: str, password: str, admin: bool = False) -> str:
        """Create a user through the shared-secret admin API and return its full user id.

        Public registration stays disabled, so this is the only way in, just as on a real server.
        """
        self._require_running()
        status, body = self._request("GET", "/_synapse/admin/v1/register")
        if status != 200 or "nonce" not in body:
            raise RuntimeError(f"registering {username!r}: no nonce (HTTP {status}): {body}")
        nonce: str = body["nonce"]
        mac = hmac.new(self.shared_secret.encode(), digestmod=hashlib.sha1)
        for part in (nonce, username, password):
            mac.update(part.encode())
            mac.update(b"\x00")
        mac.update(b"admin" if admin else b"notadmin")
        payload = {
            "nonce": nonce,
            "username": username,
            "password": password,
            "admin": admin,
            "mac": mac.hexdigest(),
        }
        status, body = self._request("POST", "/_synapse/admin/v1/register", payload)
        if status != 200 or "user_id" not in body:
            raise RuntimeError(f"registering {username!r} failed (HTTP {status}): {body}")
        user_id: str = body["user_id"]
        return user_id

    def login_token(self, username: str, password: str) -> tuple[str, str]:
        """Log in with a password; returns ``(access_token, device_id)`` for a raw or nio client."""
        self._require_running()
        payload = {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": username},
            "password": password,
            "initial_device_display_name": "kiwibot devserver",
        }
        status, body = self._request("POST", "/_matrix/client/v3/login", payload)
        if status != 200 or "access_token" not in body:
            raise RuntimeError(f"login of {username!r} failed (HTTP {status}): {body}")
        return body["access_token"], body["device_id"]

    # --- internals -------------------------------------------------------------------------

    def _write_config(self) -> None:
        """(Re)write homeserver.yaml and log.yaml; the port and secret stay those of this object."""
        write_config(
            self.base_dir,
            self.config_path,
            self.log_path,
            server_name=self.server_name,
            port=self.port,
            shared_secret=self.shared_secret,
            relaxed_rate_limits=self.relaxed_rate_limits,
        )

    def _wait_ready(self, deadline: float) -> None:
        """Poll GET /_matrix/client/versions every 50 ms until it answers 200."""
        assert self._proc is not None
        while True:
            code = self._proc.poll()
            if code is not None:
                raise _StartupError(f"Synapse exited with code {code} during start-up")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _StartupError(f"Synapse did not answer on {self.url} within the start timeout")
            try:
                status, body = self._request("GET", "/_matrix/client/versions", timeout=max(0.05, min(1.0, remaining)))
            except (OSError, ValueError):
                status, body = 0, {}
            if status == 200 and "versions" in body and self._proc.poll() is None:
                return
            time.sleep(_POLL_INTERVAL)

    def _request(
        self, method: str, path: str, payload: dict[str, Any] | None = None, timeout: float = _HTTP_TIMEOUT
    ) -> tuple[int, dict[str, Any]]:
        """One JSON request; HTTP errors are returned, not raised, so callers can show the body."""
        data = json.dumps(payload).encode() if payload is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with _opener.open(req, timeout=timeout) as resp:
                return resp.status, json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as err:
            raw = err.read()
            try:
                return err.code, json.loads(raw)
            except ValueError:
                return err.code, {"body": raw.decode(errors="replace")}

    def _require_running(self) -> None:
        if not self.running:
            raise RuntimeError("Synapse is not running: call start() first")

    def _kill(self) -> None:
        """SIGKILL our process (only that PID) after a failed start."""
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.wait()
            self._proc = None
        atexit.unregister(self.stop)
        self._close_stdout()
        self._release_lock()

    def _acquire_lock(self) -> None:
        """Refuse a second server on the same data dir: two Synapses on one SQLite file corrupt it."""
        lock = (self.base_dir / "devserver.lock").open("a")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            raise RuntimeError(f"another Synapse is running on {self.base_dir}") from None
        self._lock = lock

    def _release_lock(self) -> None:
        if self._lock is not None:
            self._lock.close()  # closing our fd is enough once Synapse, holding the other one, is gone
            self._lock = None

    def _close_stdout(self) -> None:
        if self._stdout is not None:
            self._stdout.close()
            self._stdout = None

    def _log_report(self) -> str:
        report = f"--- last {_LOG_TAIL_LINES} lines of {self.log_path} ---\n{_tail(self.log_path)}"
        stdout = _tail(self.stdout_path)
        if stdout.strip() and not stdout.startswith("(no "):
            report += f"--- last {_LOG_TAIL_LINES} lines of {self.stdout_path} ---\n{stdout}"
        return report
