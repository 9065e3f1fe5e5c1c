"""A minimal Chrome DevTools protocol client: one page, JavaScript evaluation, waiting, screenshots."""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import time
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect


class DevToolsError(RuntimeError):
    """The browser answered a command with an error, or a JavaScript expression threw."""


class Page:
    """A browser tab attached over the browser's DevTools WebSocket (flat session mode)."""

    def __init__(self, browser_url: str, width: int = 1600, height: int = 1200) -> None:
        self._stack = contextlib.ExitStack()
        self._socket: ClientConnection = self._stack.enter_context(connect(browser_url, max_size=None, open_timeout=30))
        self._ids = itertools.count(1)
        target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.command("Page.enable")
        self.command("Runtime.enable")
        self.command(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def _send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        message_id = next(self._ids)
        message: dict[str, Any] = {"id": message_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._socket.send(json.dumps(message))
        while True:  # events arrive in between; this client needs none of them
            reply = json.loads(self._socket.recv(timeout=60))
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise DevToolsError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def command(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """One DevTools command on this page."""
        return self._send(method, params, self._session)

    def goto(self, url: str) -> None:
        """Navigate (the page's own scripts go on rendering after this returns)."""
        result = self.command("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise DevToolsError(f"navigating to {url}: {result['errorText']}")

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression (promises awaited)."""
        result = self.command(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            thrown = (details.get("exception") or {}).get("description") or details.get("text")
            raise DevToolsError(f"{expression[:80]}: {thrown}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 60.0, interval: float = 0.25) -> Any:
        """Poll a JavaScript expression until it is truthy; its value."""
        deadline = time.monotonic() + timeout
        value: Any = None
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(interval)
        raise TimeoutError(f"not true within {timeout} s: {expression} (last value {value!r})")

    def screenshot(self, path: Path, full_page: bool = True) -> Path:
        """A PNG of the page (the whole scrollable page by default)."""
        params: dict[str, Any] = {"format": "png", "captureBeyondViewport": full_page}
        if full_page:
            size = self.command("Page.getLayoutMetrics")["cssContentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        data = self.command("Page.captureScreenshot", params)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> Page:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
