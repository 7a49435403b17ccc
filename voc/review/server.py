"""`voc review RUN`: a local web page to review a run's themes and segments. Every action is
saved as an edit in the run directory (see voc.review.edits), then the run is refreshed in the
background (voc.review.session), so the edits show now and survive every later re-run.

Standard library HTTP only, bound to 127.0.0.1; the page is plain HTML/CSS/JS served from
voc/review/static with a strict Content-Security-Policy, and customer text is only ever set as
text."""

from __future__ import annotations

import json
import threading
import traceback
import webbrowser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

from voc.core.errors import VocError
from voc.core.store import plain
from voc.review.edits import EditError, StaleEdit
from voc.review.session import Review
from voc.review.view import BadQuery, find_units

STATIC = Path(__file__).parent / "static"


FILES = {
    "/": ("review.html", "text/html; charset=utf-8"),
    "/review.js": ("review.js", "text/javascript; charset=utf-8"),
    "/review.css": ("review.css", "text/css; charset=utf-8"),
}


CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


MAX_BODY = 64_000


class Handler(BaseHTTPRequestHandler):
    """GET the page and /api/run, /api/units, /api/status; POST /api/edit. Answers only
    requests addressed to 127.0.0.1/localhost (no DNS rebinding) and JSON posts from its own
    page."""

    server: ReviewServer
    server_version = "voc-review"

    def log_message(self, format: str, *args: object) -> None:
        return  # quiet: the terminal shows the URL and errors only

    def send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(
        self, data: object, status: int = HTTPStatus.OK, headers: dict[str, str] | None = None
    ) -> None:
        body = json.dumps(plain(data), ensure_ascii=False, allow_nan=False).encode()
        self.send(status, body, "application/json; charset=utf-8", headers)

    def error(self, status: int, message: str) -> None:
        self.send_json({"error": message}, status)

    def allowed_host(self) -> bool:
        port = self.server.server_address[1]
        host = self.headers.get("Host", "")
        return host in {f"127.0.0.1:{port}", f"localhost:{port}", f"{self.server.host}:{port}"}

    def do_GET(self) -> None:
        if not self.allowed_host():
            self.error(HTTPStatus.FORBIDDEN, "Open the review at http://127.0.0.1 only.")
            return
        path, _, query = self.path.partition("?")
        review = self.server.review
        try:
            if path == "/api/run":
                self.send_json(review.current().data)
            elif path == "/api/units":
                self.send_json(find_units(review.current().units, parse_qs(query)))
            elif path == "/api/status":
                self.send_json(review.state())
            elif path == "/favicon.ico":
                self.send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
            elif path in FILES:
                name, kind = FILES[path]
                self.send(HTTPStatus.OK, (STATIC / name).read_bytes(), kind)
            else:
                self.error(HTTPStatus.NOT_FOUND, f"Nothing at {path}.")
        except BadQuery as err:
            self.error(HTTPStatus.BAD_REQUEST, str(err))
        except Exception as err:
            traceback.print_exc()
            self.error(HTTPStatus.INTERNAL_SERVER_ERROR, f"{type(err).__name__}: {err}")

    do_HEAD = do_GET

    def do_POST(self) -> None:
        if not self.allowed_host():
            self.error(HTTPStatus.FORBIDDEN, "Open the review at http://127.0.0.1 only.")
            return
        origin = self.headers.get("Origin")
        if origin is not None and origin != f"http://{self.headers.get('Host')}":
            self.error(HTTPStatus.FORBIDDEN, "Edits are accepted from the review page only.")
            return
        if self.path != "/api/edit":
            self.error(HTTPStatus.NOT_FOUND, f"Nothing to post to at {self.path}.")
            return
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            self.error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "Send the edit as application/json.")
            return
        raw_length = (self.headers.get("Content-Length") or "0").strip()
        if not raw_length.isdigit():  # "-5", "abc": never trust it for a read
            self.close_connection = True
            self.error(HTTPStatus.BAD_REQUEST, "Content-Length must be a whole number of bytes.")
            return
        length = int(raw_length)
        if length > MAX_BODY:
            self.close_connection = True
            self.error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "That edit is too large.")
            return
        try:
            body = json.loads(self.rfile.read(length) or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError):
            self.error(HTTPStatus.BAD_REQUEST, "The edit is not valid JSON.")
            return
        if not isinstance(body, dict):
            self.error(HTTPStatus.BAD_REQUEST, 'Send an object like {"op": "rename_theme", …}.')
            return
        try:
            self.send_json(self.server.review.edit(body), HTTPStatus.ACCEPTED)
        except StaleEdit as err:
            self.error(HTTPStatus.CONFLICT, str(err))
        except EditError as err:
            self.error(HTTPStatus.BAD_REQUEST, str(err))
        except VocError as err:
            self.error(HTTPStatus.BAD_REQUEST, str(err))
        except Exception as err:
            traceback.print_exc()
            self.error(HTTPStatus.INTERNAL_SERVER_ERROR, f"{type(err).__name__}: {err}")

    def not_served(self) -> None:
        """Any other method: a JSON 405, not Python's HTML 501 page."""
        self.close_connection = True
        message = {"error": f"{self.command} is not served here; use GET or POST."}
        self.send_json(message, HTTPStatus.METHOD_NOT_ALLOWED, {"Allow": "GET, HEAD, POST"})

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = not_served


class ReviewServer(ThreadingHTTPServer):
    """The HTTP server, holding the review it serves."""

    daemon_threads = True

    def __init__(self, review: Review, host: str, port: int) -> None:
        self.review = review
        self.host = host
        super().__init__((host, port), Handler)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.server_address[1]}/"


def make_server(run_dir: Path, port: int = 0, host: str = "127.0.0.1") -> ReviewServer:
    """A review server for `run_dir`, bound but not yet serving (port 0 = any free port);
    call `serve_forever()` (e.g. in a thread) and `shutdown()` to stop it."""
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise VocError("The review only listens on this machine (127.0.0.1).")
    review = Review(Path(run_dir))
    try:
        return ReviewServer(review, host, port)
    except OSError as err:
        raise VocError(
            f"Cannot listen on {host}:{port} ({err.strerror}). "
            "Is another review running? Pass another --port."
        ) from None


def serve(
    run_dir: Path, port: int = 8765, open_browser: bool = True, host: str = "127.0.0.1"
) -> None:
    """Serve the review page until Ctrl-C."""
    server = make_server(run_dir, port, host)
    print(f"Reviewing {run_dir} at {server.url}  (Ctrl-C stops)", flush=True)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(server.url,)).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        server.server_close()
