"""Wrong passwords, counted on the server: per client address and for everyone, with a growing wait.

A counter in the browser session is no limit: a new session starts at zero, so an attacker who reconnects
(or opens eight tabs) guesses as fast as the server answers. This one lives in the server process. The
addresses are the connections' own: `X-Forwarded-For` is believed only from configured proxies (`ui_settings`).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

CLIENT_FREE = 5  # wrong passwords one address may make before it has to wait
CLIENT_WINDOW = 24 * 3600  # an address's wrong passwords count for a day
SERVER_FREE = 20  # wrong passwords from all addresses together, per SERVER_WINDOW, before everyone waits
SERVER_WINDOW = 3600
FIRST_WAIT = 2.0  # seconds; doubles with every further wrong password ...
MAX_WAIT = 15 * 60.0  # ... up to a quarter of an hour for one address
SERVER_MAX_WAIT = 60.0  # everyone together waits at most a minute: guessing from many addresses is slowed, and
# the owner, at an address of their own, is never locked out for longer
MAX_CLIENTS = 10_000  # addresses remembered at most (the oldest are forgotten first), so memory stays bounded


def _wait(failures: deque[float], free: int, now: float, longest: float) -> float:
    if len(failures) < free:
        return 0.0
    delay = min(FIRST_WAIT * 2 ** min(len(failures) - free, 20), longest)
    return max(0.0, failures[-1] + delay - now)


class PasswordThrottle:
    """How long a client must wait before its next password try.

    Each address may get CLIENT_FREE passwords wrong; after that it waits FIRST_WAIT seconds after its
    last wrong one, twice as long after the next, and so on up to MAX_WAIT. The same holds for all
    addresses together past SERVER_FREE wrong passwords an hour, up to SERVER_MAX_WAIT, so many addresses gain
    little and nobody else is locked out for long.
    A right password clears its address's count (not the server's).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._clients: OrderedDict[str, deque[float]] = OrderedDict()
        self._server: deque[float] = deque()

    def _forget_old(self, now: float) -> None:
        while self._server and self._server[0] < now - SERVER_WINDOW:
            self._server.popleft()
        for client in list(self._clients):
            failures = self._clients[client]
            while failures and failures[0] < now - CLIENT_WINDOW:
                failures.popleft()
            if not failures:
                del self._clients[client]

    def wait_seconds(self, client: str) -> float:
        """Seconds until `client` may try again; 0 means it may try now."""
        now = self._clock()
        with self._lock:
            self._forget_old(now)
            mine = self._clients.get(client, deque())
            return max(_wait(mine, CLIENT_FREE, now, MAX_WAIT), _wait(self._server, SERVER_FREE, now, SERVER_MAX_WAIT))

    def failed(self, client: str) -> None:
        """Count a wrong password from `client`."""
        now = self._clock()
        with self._lock:
            self._forget_old(now)
            self._clients.setdefault(client, deque()).append(now)
            self._clients.move_to_end(client)
            while len(self._clients) > MAX_CLIENTS:
                self._clients.popitem(last=False)
            self._server.append(now)

    def succeeded(self, client: str) -> None:
        """A right password: `client` starts afresh."""
        with self._lock:
            self._clients.pop(client, None)
