"""Client-side deadlines for round trips on an open PostgreSQL connection.

PostgreSQL's statement_timeout runs on the server, and TCP keepalives are answered by the server's
kernel, so a server process that is frozen — or a proxy in between that stops forwarding — trips
neither, and libpq waits for ever. The only bound is on this side: when the deadline passes, the
connection's socket is shut down, the waiting call fails at once with an OperationalError (a
django.db.Error), and the connection is closed.

Used by /healthz (views.py) and by Django's own check that a reused connection still works
(loti_portal/postgresql/base.py), which would otherwise hold even a page that needs no database.
"""

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper


@dataclass
class Deadline:
    """What a `deadline` block did: `fired` once the socket was shut down for lack of an answer."""

    fired: bool = False


def _socket_of(connection: BaseDatabaseWrapper) -> socket.socket | None:
    """A duplicate of the open PostgreSQL connection's socket; None for SQLite or before connecting.

    The duplicate keeps the very socket alive however libpq handles its own descriptor, so the
    shutdown can never land on another file that reused the number.
    """
    raw = connection.connection
    if connection.vendor != "postgresql" or raw is None or raw.closed:
        return None
    return socket.socket(fileno=os.dup(raw.fileno()))


def _shut(sock: socket.socket, state: Deadline) -> None:
    state.fired = True
    # OSError: already shut by the server, and the waiting call fails by itself.
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


@contextmanager
def deadline(connection: BaseDatabaseWrapper, seconds: float) -> Iterator[Deadline]:
    """Within the block, the open connection's socket is shut down after `seconds`.

    A new connection made inside the block is bounded by libpq's connect_timeout instead.
    """
    state = Deadline()
    sock = _socket_of(connection)
    if sock is None:
        yield state
        return
    timer = threading.Timer(seconds, _shut, args=(sock, state))
    timer.daemon = True
    timer.start()
    try:
        yield state
    finally:
        timer.cancel()
        timer.join()
        sock.close()
