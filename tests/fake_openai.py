"""A fake OpenAI chat-completions server for tests: a real HTTP server on 127.0.0.1 (any free
port) that the real openai client talks to. Scriptable per test: queued responses (status,
headers, body, delay), a llama.cpp-like refusal of json_schema, and a default responder that
answers valid JSON for the requested schema. Every request body is recorded."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

SCHEMA_IN_PROMPT = re.compile(r"<schema>\s*(.*?)\s*</schema>", re.DOTALL)
DATA_IN_PROMPT = re.compile(r"<data>\s*(\{.*?\})\s*</data>", re.DOTALL)
REFUSAL = {
    "error": {
        "code": 400,
        "message": 'response_format type must be one of "text" or "json_object", got json_schema',
        "type": "invalid_request_error",
    }
}


@dataclass
class Reply:
    """One scripted response. `content` is wrapped in a chat completion; `body` is sent as is
    (a dict as JSON); `delay` makes the server sleep first (to provoke client timeouts)."""

    status: int = 200
    content: str | None = None
    body: dict[str, Any] | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def completion(content: str, prompt_tokens: int = 100, completion_tokens: int = 20) -> dict:
    """A chat.completion body with one choice."""
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "fake",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def request_schema(request: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON Schema the client asked for: in response_format, or in the prompt's <schema>."""
    response_format = request.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        return response_format["json_schema"]["schema"]
    for message in request.get("messages", []):
        found = SCHEMA_IN_PROMPT.search(str(message.get("content", "")))
        if found:
            return json.loads(found.group(1))
    return None


def request_quote_ids(request: dict[str, Any]) -> list[str]:
    """The quote ids inside the <data> block of the request (tags in prose are skipped)."""
    for message in request.get("messages", []):
        for block in DATA_IN_PROMPT.findall(str(message.get("content", ""))):
            try:
                data = json.loads(block)
            except ValueError:
                continue
            return [str(q["id"]) for q in data.get("quotes", []) if "id" in q]
    return []


def example(schema: dict[str, Any], defs: dict[str, Any], ids: list[str], name: str = "") -> Any:
    """A minimal valid instance of a JSON Schema (enough for voc's pydantic schemas)."""
    if "$ref" in schema:
        return example(defs[schema["$ref"].split("/")[-1]], defs, ids, name)
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"] or schema["anyOf"]
        return example(options[0], defs, ids, name)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {key: example(sub, defs, ids, key) for key, sub in props.items()}
    if kind == "array":
        if name == "quote_ids":
            return ids[:1] or ["q1"]
        return [example(schema.get("items", {}), defs, ids, name)]
    simple = {"integer": 1, "number": 1.0, "boolean": True, "null": None}
    return simple.get(kind, f"example {name}".strip())


def default_answer(request: dict[str, Any]) -> str:
    """Valid JSON for the schema in the request, citing the first quote id it was given."""
    schema = request_schema(request) or {"type": "object", "properties": {}}
    ids = request_quote_ids(request)
    return json.dumps(example(schema, schema.get("$defs", {}), ids))


class FakeOpenAI:
    """The server. Use `script(...)` to queue replies; unscripted requests get `responder`."""

    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.raw_bodies: list[str] = []
        self.refuse_json_schema = False
        self.in_flight = 0
        self.max_in_flight = 0
        self.responder: Callable[[dict[str, Any]], str] = default_answer
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def script(self, *replies: Reply) -> None:
        """Queue replies, used in order by the next requests."""
        with self._lock:
            self.replies.extend(replies)

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _reply_for(self, request: dict[str, Any]) -> Reply:
        """The json_schema refusal, the next scripted reply, or the responder's answer."""
        response_format = request.get("response_format") or {}
        if self.refuse_json_schema and response_format.get("type") == "json_schema":
            return Reply(status=400, body=REFUSAL)
        with self._lock:
            if self.replies:
                return self.replies.popleft()
        return Reply(content=self.responder(request))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length).decode("utf-8")
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(Reply(status=404, body={"error": {"message": "not found"}}))
                    return
                request = json.loads(raw)
                with fake._lock:
                    fake.raw_bodies.append(raw)
                    fake.requests.append(request)
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                try:
                    self._send(fake._reply_for(request))
                finally:
                    with fake._lock:
                        fake.in_flight -= 1

            def _send(self, reply: Reply) -> None:
                time.sleep(reply.delay)
                body = reply.body if reply.body is not None else completion(reply.content or "")
                payload = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:  # the client gave up (timeout) and closed the socket
                    pass

        return Handler


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A running fake server, stopped after the test."""
    server = FakeOpenAI().start()
    try:
        yield server
    finally:
        server.stop()
