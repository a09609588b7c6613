"""Databases that accept connections and never answer, for the /healthz and timeout tests.

Both listen on 127.0.0.1 only, on a free port from 18100–18199, in a daemon thread that stops when
told to or after LIFETIME seconds, whichever comes first, so no test can leave one behind.
"""

import contextlib
import select
import socket
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.utils import ConnectionHandler

PORTS = range(18100, 18200)
LIFETIME = 30.0
TICK = 0.05


def _listen() -> socket.socket:
    for port in PORTS:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            sock.close()
            continue
        sock.listen(16)
        sock.settimeout(TICK)
        return sock
    raise RuntimeError("no free port in 18100-18199")


class _Server:
    """A bounded accept loop in a thread; subclasses say what to do with each connection."""

    def __init__(self) -> None:
        self.sock = _listen()
        self.port = self.sock.getsockname()[1]
        self.stopped = threading.Event()
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        self.sock.close()

    def _run(self) -> None:
        ends = time.monotonic() + LIFETIME
        try:
            while not self.stopped.is_set() and time.monotonic() < ends:
                with contextlib.suppress(TimeoutError):
                    accepted, _ = self.sock.accept()
                    self.held.append(accepted)
                    self.accepted(accepted)
                self.tick()
        finally:
            # Whatever still waits on one of these connections gets an end of file now.
            for sock in self.held:
                sock.close()

    def accepted(self, sock: socket.socket) -> None:
        """Keep the connection open and never answer (the frozen server)."""

    def tick(self) -> None:
        pass


class FrozenListener(_Server):
    """Accepts connections, reads nothing and answers nothing: a frozen PostgreSQL."""


class Relay(_Server):
    """Forwards each connection to the real PostgreSQL until `freeze()`, then forwards nothing.

    The sockets stay open, so the kernel still acknowledges what the client sends: as with a
    server process that froze mid-session, or a proxy that stopped forwarding.
    """

    def __init__(self, host: str, port: int) -> None:
        super().__init__()
        self.target = (host, port)
        self.pairs: dict[socket.socket, socket.socket] = {}
        self.frozen = threading.Event()
        self.dropping = threading.Event()

    def freeze(self) -> None:
        self.frozen.set()

    def drop(self) -> None:
        """Close every connection now, as a database restart does (waits up to 2 s for it)."""
        self.dropping.set()
        ends = time.monotonic() + 2
        while self.dropping.is_set() and time.monotonic() < ends:
            time.sleep(TICK / 5)

    def accepted(self, sock: socket.socket) -> None:
        upstream = socket.create_connection(self.target, timeout=5)
        self.held.append(upstream)
        self.pairs[sock] = upstream
        self.pairs[upstream] = sock

    def tick(self) -> None:
        if self.dropping.is_set():
            for sock in self.pairs:
                sock.close()
            self.pairs.clear()
            self.dropping.clear()
        if self.frozen.is_set():
            time.sleep(TICK)
            return
        if not self.pairs:
            return
        readable, _, _ = select.select(list(self.pairs), [], [], TICK)
        for sock in readable:
            if sock not in self.pairs:
                continue  # its other end closed in this same round
            try:
                data = sock.recv(65536)
                if data:
                    self.pairs[sock].sendall(data)
                    continue
            except OSError:
                pass
            self._drop(sock)

    def _drop(self, sock: socket.socket) -> None:
        other = self.pairs.pop(sock)
        self.pairs.pop(other, None)


def postgres_connection(host: str, port: int, name: str = "postgres", **database):
    """A PostgreSQL connection with the portal's own backend and OPTIONS (settings.py).

    Built even when the suite runs on SQLite (psycopg2 is always installed), so the timeouts the
    portal configures are what is tested.
    """
    handler = ConnectionHandler(
        {
            DEFAULT_DB_ALIAS: {
                "ENGINE": "loti_portal.postgresql",
                "NAME": name,
                "USER": "postgres",
                "HOST": host,
                "PORT": str(port),
                "OPTIONS": dict(settings.POSTGRESQL_OPTIONS),
                **database,
            }
        }
    )
    return handler[DEFAULT_DB_ALIAS]
