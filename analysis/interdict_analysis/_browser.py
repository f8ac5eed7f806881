"""Headless Chromium driven over the DevTools protocol, with the Python standard library only:
for the browser test of the HTML pages (tests/python/test_view.py) and their screenshots in
the docs (analysis/view_screenshots.py).

    with Browser() as browser:            # None from find_chromium(): no Chromium installed
        page = browser.open("page.html", width=1400, height=1000)
        png = page.screenshot()
        page.click(x, y)
        assert not page.errors            # exceptions and console errors so far

Chromium talks over a pipe (--remote-debugging-pipe): it reads commands from its fd 3 and
writes replies and events to its fd 4, each a JSON message ended by a NUL byte.
"""
from __future__ import annotations

import base64
import fcntl
import json
import os
import pathlib
import select
import shutil
import subprocess
import tempfile
import time
from typing import Optional

#: Names under which Debian and others install Chromium.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")


def find_chromium() -> Optional[str]:
    """The Chromium executable: CHROMIUM if set, else the first of CHROMIUM_NAMES on PATH."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


class BrowserError(RuntimeError):
    """Chromium failed to start, answered with an error, or did not answer in time."""


class Browser:
    """A headless Chromium with its own temporary profile, closed on exit."""

    def __init__(self, executable: Optional[str] = None, timeout: float = 30.0):
        self.executable = executable or find_chromium()
        if self.executable is None:
            raise BrowserError("no Chromium found (Debian: apt-get install chromium)")
        self.timeout = timeout
        self._profile = tempfile.TemporaryDirectory(prefix="interdict-chromium-")
        # Chromium's ends of the two pipes, moved above the standard descriptors so that the
        # shell below (bash: dash takes single-digit descriptors only) can put them on 3 and 4
        # without overwriting either.
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        child_in = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
        child_out = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
        os.close(to_browser_r)
        os.close(from_browser_w)
        args = [self.executable, "--headless", "--no-sandbox", "--disable-gpu",
                "--remote-debugging-pipe", f"--user-data-dir={self._profile.name}",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--mute-audio",
                "--hide-scrollbars", "about:blank"]
        script = f'exec "$@" 3<&{child_in} 4>&{child_out} {child_in}<&- {child_out}>&-'
        self.process = subprocess.Popen(["bash", "-c", script, "bash", *args],
                                        pass_fds=(child_in, child_out),
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE)
        os.close(child_in)
        os.close(child_out)
        self._buffer = b""
        self._next_id = 0
        self._events: list = []

    # --- the protocol ------------------------------------------------------------------------

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                err = self.process.stderr.read().decode(errors="replace") if self.process.stderr else ""
                raise BrowserError(f"Chromium closed the pipe: {err[-2000:]}")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, params: Optional[dict] = None,
             session: Optional[str] = None) -> dict:
        """Sends a command and returns its result, keeping the events that come meanwhile."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self._events.append(reply)

    def wait_for(self, method: str, session: Optional[str] = None, timeout: float = None) -> dict:
        """Waits for an event (one already received counts) and returns it."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            for k, event in enumerate(self._events):
                if event.get("method") == method and (session is None or
                                                      event.get("sessionId") == session):
                    return self._events.pop(k)
            self._events.append(self._read_message(deadline))

    def events(self, session: Optional[str] = None) -> list:
        """Drains the events received so far (reading whatever has arrived)."""
        while select.select([self._from_browser], [], [], 0)[0] or b"\0" in self._buffer:
            self._events.append(self._read_message(time.monotonic() + self.timeout))
        mine = [e for e in self._events if session is None or e.get("sessionId") == session]
        self._events = [e for e in self._events if e not in mine]
        return mine

    def open(self, path, width: int = 1400, height: int = 1000) -> "Page":
        """A new tab showing the file `path` at the given viewport size, once it has loaded."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget",
                            {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable", session=session)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                  session=session)
        url = pathlib.Path(path).resolve().as_uri()
        self.send("Page.navigate", {"url": url}, session=session)
        self.wait_for("Page.loadEventFired", session=session)
        return page

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.send("Browser.close")
            except (BrowserError, OSError):
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        if self.process.stderr:
            self.process.stderr.close()
        self._profile.cleanup()

    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Page:
    """A tab: evaluate JavaScript, send real mouse and keyboard input, take screenshots, and
    collect the page's JavaScript errors (exceptions and console errors)."""

    def __init__(self, browser: Browser, session: str):
        self.browser, self.session = browser, session
        self._errors: list = []

    def send(self, method: str, params: Optional[dict] = None) -> dict:
        return self.browser.send(method, params, session=self.session)

    @property
    def errors(self) -> list:
        """Uncaught exceptions, console.error calls and error log entries so far, as text."""
        for event in self.browser.events(self.session):
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                text = details.get("exception", {}).get("description") or details.get("text")
                self._errors.append(f"exception: {text}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                args = " ".join(str(a.get("value", a.get("description", "")))
                                for a in params.get("args", []))
                self._errors.append(f"console.{params['type']}: {args}")
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                entry = params["entry"]
                self._errors.append(f"log: {entry.get('text')} {entry.get('url', '')}")
        return list(self._errors)

    def evaluate(self, expression: str):
        """The value of a JavaScript expression (JSON-serialisable values)."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def box(self, selector: str) -> dict:
        """The bounding box {x, y, width, height} (viewport coordinates; pageX, pageY in the
        document) of the first element matching `selector`, after scrolling it into view."""
        box = self.evaluate(f"""(() => {{
            const e = document.querySelector({json.dumps(selector)});
            if (!e) return null;
            e.scrollIntoView({{block: "center"}});
            const r = e.getBoundingClientRect();
            return {{x: r.x, y: r.y, width: r.width, height: r.height,
                     pageX: r.x + window.scrollX, pageY: r.y + window.scrollY}};
        }})()""")
        if box is None:
            raise BrowserError(f"no element matches {selector!r}")
        return box

    def click(self, x: float, y: float) -> None:
        """A real left click at viewport coordinates (x, y)."""
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y,
                                                   "button": "left", "clickCount": 1})

    def click_element(self, selector: str, fx: float = 0.5, fy: float = 0.5) -> None:
        """Clicks the element at the fraction (fx, fy) of its box."""
        b = self.box(selector)
        self.click(b["x"] + fx * b["width"], b["y"] + fy * b["height"])

    def screenshot(self, selector: Optional[str] = None, full_page: bool = False) -> bytes:
        """A PNG of the viewport, of the whole page, or of one element."""
        params = {"format": "png"}
        if selector is not None:
            b = self.box(selector)
            params["clip"] = {"x": b["pageX"], "y": b["pageY"], "width": b["width"],
                              "height": b["height"], "scale": 1}
            params["captureBeyondViewport"] = True
        elif full_page:
            size = self.evaluate("[document.documentElement.scrollWidth, "
                                 "document.documentElement.scrollHeight]")
            params["clip"] = {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1}
            params["captureBeyondViewport"] = True
        return base64.b64decode(self.send("Page.captureScreenshot", params)["data"])
