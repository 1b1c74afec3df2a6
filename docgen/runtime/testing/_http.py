"""The fake SuperOffice's HTTP face: routes to its answers.

Copied by docgen into every package it generates (from docgen/runtime/testing/); do not
edit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ._answers import Answers


class Handler(BaseHTTPRequestHandler):
    fake: Answers

    def log_message(self, format: str, *args: Any) -> None:
        pass  # tests read the fake's counters and request list, not stderr

    def _send(
        self, status: int, body: Any = None, headers: Mapping[str, str] = {}
    ) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self) -> None:
        fake = self.fake
        url = urlsplit(self.path)
        fake.requests.append(("GET", url.path))
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/login/.well-known/openid-configuration":
            self._send(200, fake.metadata())
        elif url.path == "/login/.well-known/jwks":
            with fake._lock:
                fake.jwks_fetches += 1
            self._send(200, fake.jwks())
        elif url.path == "/login/common/oauth/authorize":
            redirect = fake._authorize(query)
            (
                self._send(302, None, {"Location": redirect})
                if redirect
                else self._send(400, {})
            )
        elif url.path.startswith("/api/state/"):
            self._send(*fake._state(url.path.removeprefix("/api/state/")))
        else:
            self._send(404, {"error": "not found"})

    def do_POST(self) -> None:
        fake = self.fake
        url = urlsplit(self.path)
        fake.requests.append(("POST", url.path))
        raw = self._body()
        if url.path.lower() == "/login/api/partnersystemuser/authenticate":
            try:
                body = json.loads(raw)
            except ValueError:
                self._send(400, {"error": "not JSON"})
                return
            self._send(
                200, fake._system_user_answer(body if isinstance(body, dict) else {})
            )
        elif url.path == "/login/common/oauth/tokens":
            form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            self._send(*fake._token_answer(form))
        else:
            self._send(404, {"error": "not found"})
