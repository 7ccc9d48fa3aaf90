"""The optional password: wrong tries are limited on the server, per client address and for everyone."""

from __future__ import annotations

import asyncio

import pytest
import uvicorn
from streamlit.testing.v1 import AppTest
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

import ui.password
from insight.store.throttle import CLIENT_FREE, FIRST_WAIT, SERVER_FREE, SERVER_MAX_WAIT, PasswordThrottle
from tests.conftest import ROOT
from ui_settings import PROXIES_ENV, apply_proxy_setting

PASSWORD = "open sesame"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_one_address_waits_longer_after_each_wrong_password_past_the_free_ones() -> None:
    clock = Clock()
    throttle = PasswordThrottle(clock=clock)
    for _ in range(CLIENT_FREE):
        assert throttle.wait_seconds("203.0.113.7") == 0
        throttle.failed("203.0.113.7")
    waits = []
    for _ in range(4):
        wait = throttle.wait_seconds("203.0.113.7")
        waits.append(wait)
        clock.now += wait
        assert throttle.wait_seconds("203.0.113.7") == 0
        throttle.failed("203.0.113.7")
    assert waits == [FIRST_WAIT, 2 * FIRST_WAIT, 4 * FIRST_WAIT, 8 * FIRST_WAIT]
    assert throttle.wait_seconds("198.51.100.1") == 0  # another address is not held up by this one
    throttle.succeeded("203.0.113.7")
    assert throttle.wait_seconds("203.0.113.7") == 0


def test_many_addresses_together_wait_too_and_the_wait_is_bounded() -> None:
    clock = Clock()
    throttle = PasswordThrottle(clock=clock)
    for i in range(SERVER_FREE):
        assert throttle.wait_seconds(f"10.0.0.{i}") == 0
        throttle.failed(f"10.0.0.{i}")
    waits = []
    for i in range(12):  # every guess from an address never seen before
        waits.append(throttle.wait_seconds(f"10.0.1.{i}"))
        clock.now += waits[-1]
        throttle.failed(f"10.0.1.{i}")
    assert waits[:4] == [FIRST_WAIT, 2 * FIRST_WAIT, 4 * FIRST_WAIT, 8 * FIRST_WAIT]
    assert max(waits) == SERVER_MAX_WAIT  # growing, up to a minute for everyone together, never more


def _session() -> AppTest:
    at = AppTest.from_file(str(ROOT / "main.py"), default_timeout=300)
    at.secrets["password"] = PASSWORD
    return at.switch_page("app_pages/data.py").run()  # the light page opens once the password is right


@pytest.fixture
def frozen_throttle(monkeypatch: pytest.MonkeyPatch) -> PasswordThrottle:
    """The server's count, with a clock that does not move: a wait never runs out during the test."""
    throttle = PasswordThrottle(clock=Clock())
    monkeypatch.setattr(ui.password, "password_throttle", lambda: throttle)
    return throttle


@pytest.mark.slow
def test_wrong_passwords_from_new_sessions_add_up(frozen_throttle: PasswordThrottle) -> None:
    """Reconnecting no longer resets the count: each guess comes from a fresh session of the same address."""
    for guess in range(CLIENT_FREE):
        at = _session()
        assert not at.exception and at.session_state["dataset"] is None and not at.dataframe
        at.text_input(key="password_input").input(f"guess {guess}").run()
        assert [e.value for e in at.error] == ["That password is not right."]
    at = _session()
    at.text_input(key="password_input").input(PASSWORD).run()
    assert any("Too many wrong passwords" in e.value for e in at.error), [e.value for e in at.error]
    assert "password_ok" not in at.session_state  # not even the right password is checked while it waits
    assert at.session_state["dataset"] is None and not at.dataframe


@pytest.mark.slow
def test_the_right_password_opens_the_app(frozen_throttle: PasswordThrottle) -> None:
    at = _session()
    at.text_input(key="password_input").input("wrong").run()
    assert any("not right" in e.value for e in at.error)
    at.text_input(key="password_input").input(PASSWORD).run()
    assert at.session_state["password_ok"] is True and not at.exception
    assert frozen_throttle.wait_seconds("local") == 0


def _seen_address(peer: str, forwarded: str) -> str:
    """The address the password limit counts for a connection from `peer` sending `X-Forwarded-For: forwarded`:
    uvicorn's proxy handling configured as the server starts it, then `ui.client_address`'s local stand-in."""
    seen: dict[str, tuple[str, int]] = {}

    async def app(scope: dict, receive: object, send: object) -> None:
        seen["client"] = scope["client"]

    config = uvicorn.Config(app)  # reads FORWARDED_ALLOW_IPS, as the server does
    middleware = ProxyHeadersMiddleware(app, trusted_hosts=config.forwarded_allow_ips)
    scope = {"type": "websocket", "client": (peer, 50_000), "headers": [(b"x-forwarded-for", forwarded.encode())]}
    asyncio.run(middleware(scope, None, None))
    host = seen["client"][0]
    return "local" if host in ("127.0.0.1", "::1") else host


def test_rotating_forwarded_addresses_neither_evade_the_limit_nor_lock_out_the_owner(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PROXIES_ENV, "set by the test, then removed")  # restored after the test
    monkeypatch.delenv(PROXIES_ENV)
    assert apply_proxy_setting() == ""  # no proxy configured: X-Forwarded-For is believed from nobody
    clock = Clock()
    throttle = PasswordThrottle(clock=clock)
    seen = set()
    for i in range(20):  # a guesser on the server's own machine, a new forwarded address each time
        address = _seen_address("127.0.0.1", f"203.0.113.{i}")
        seen.add(address)
        clock.now += throttle.wait_seconds(address)  # it waits as long as it is told, then guesses wrong
        throttle.failed(address)
    assert seen == {"local"}  # one address: its own limit holds
    assert throttle.wait_seconds("local") > SERVER_MAX_WAIT

    owner = _seen_address("198.51.100.7", "10.9.9.9")  # the owner, from their own connection
    assert owner == "198.51.100.7"
    wait = throttle.wait_seconds(owner)
    assert wait <= 60
    clock.now += wait
    assert throttle.wait_seconds(owner) == 0  # the right password is checked within a minute
    throttle.succeeded(owner)

    monkeypatch.setenv(PROXIES_ENV, "127.0.0.1")  # behind a proxy on the same machine, named as such
    assert _seen_address("127.0.0.1", "203.0.113.5") == "203.0.113.5"
