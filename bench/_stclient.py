"""A browser-less Streamlit session for load tests: speaks the app's websocket protocol on 127.0.0.1 only.

The handshake mirrors the frontend: connect to `/_stcore/stream` with the `streamlit` subprotocol, send a
`rerun_script` BackMsg whose `ClientState` names the page (`page_name` on the first load, the page's
`page_script_hash` afterwards), then read ForwardMsgs until `script_finished` ends the run chain. Page hashes come
from the `navigation` ForwardMsg that `st.navigation` sends on every run.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

HOST = "127.0.0.1"
MAX_MESSAGE_BYTES = 256 * 1024 * 1024
# Statuses that end a run chain; FINISHED_EARLY_FOR_RERUN means another run follows (st.rerun, a new request).
_CHAIN_ENDS = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR}


class StreamlitProtocolError(RuntimeError):
    """The server answered in a way a browser would show as broken (closed socket, missing page, no finish)."""


@dataclass
class RunResult:
    """What one script run (chain) of one page produced, as the browser would have seen it."""

    page: str
    seconds: float
    messages: int = 0
    bytes: int = 0
    exceptions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error_alerts: list[str] = field(default_factory=list)
    status: str = ""


@dataclass(frozen=True)
class Page:
    """A page of the app as the `navigation` message lists it."""

    title: str
    url_path: str
    script_hash: str


class StreamlitSession:
    """One websocket session against a Streamlit server on 127.0.0.1."""

    def __init__(self, port: int, *, run_timeout: float = 300.0) -> None:
        self.port = port
        self.run_timeout = run_timeout
        self.pages: list[Page] = []
        self.current_hash = ""
        self._ws: websockets.ClientConnection | None = None

    async def __aenter__(self) -> StreamlitSession:
        self._ws = await asyncio.wait_for(
            websockets.connect(
                f"ws://{HOST}:{self.port}/_stcore/stream",
                subprotocols=["streamlit"],
                max_size=MAX_MESSAGE_BYTES,
                open_timeout=30,
                ping_interval=None,
            ),
            timeout=40,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._ws is not None:
            await self._ws.close()

    def _client_state(self, page_hash: str, page_name: str) -> ClientState:
        state = ClientState(query_string="", page_script_hash=page_hash, page_name=page_name)
        info = state.context_info
        info.timezone = "UTC"
        info.timezone_offset = 0
        info.locale = "en-US"
        info.url = f"http://{HOST}:{self.port}/{page_name}"
        info.is_embedded = False
        info.color_scheme = "light"
        return state

    async def open_app(self) -> RunResult:
        """The first load of the app's root URL (the default page); the result is labelled with that page's title."""
        result = await self._run("(open app)", page_hash="", page_name="")
        title = next((p.title for p in self.pages if p.script_hash == self.current_hash), "?")
        result.page = f"{title} (open)"
        return result

    async def visit(self, page: Page) -> RunResult:
        """A click on a page in the sidebar navigation."""
        return await self._run(page.title, page_hash=page.script_hash, page_name="")

    async def _run(self, label: str, *, page_hash: str, page_name: str) -> RunResult:
        assert self._ws is not None, "use `async with StreamlitSession(...)`"
        msg = BackMsg()
        msg.rerun_script.CopyFrom(self._client_state(page_hash, page_name))
        start = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        result = RunResult(page=label, seconds=0.0)
        started = False
        deadline = start + self.run_timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise StreamlitProtocolError(f"{label}: no script_finished within {self.run_timeout:.0f} s")
            try:
                raw = await asyncio.wait_for(self._ws.recv(), timeout=left)
            except TimeoutError:
                continue
            except websockets.ConnectionClosed as exc:
                raise StreamlitProtocolError(f"{label}: server closed the websocket ({exc})") from exc
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            result.messages += 1
            result.bytes += len(raw)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                started = True
            elif kind == "navigation":
                self.current_hash = fwd.navigation.page_script_hash
                self.pages = [Page(p.page_name, p.url_pathname, p.page_script_hash) for p in fwd.navigation.app_pages]
            elif kind == "delta":
                self._inspect_delta(fwd, result)
            elif kind == "session_event" and fwd.session_event.HasField("script_compilation_exception"):
                exc_msg = fwd.session_event.script_compilation_exception
                result.exceptions.append(f"{exc_msg.type}: {exc_msg.message}")
            elif kind == "page_not_found":
                result.exceptions.append(f"page not found: {fwd.page_not_found.page_name!r}")
            elif kind == "script_finished" and started and fwd.script_finished in _CHAIN_ENDS:
                result.seconds = time.perf_counter() - start
                result.status = ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
                if fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    result.exceptions.append("script finished with a compile error")
                return result

    @staticmethod
    def _inspect_delta(fwd: ForwardMsg, result: RunResult) -> None:
        delta = fwd.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            exc = element.exception
            text = f"{exc.type}: {exc.message}".strip()
            (result.warnings if exc.is_warning else result.exceptions).append(text)
        elif kind == "alert" and element.alert.format == element.alert.ERROR:
            result.error_alerts.append(element.alert.body[:200])
