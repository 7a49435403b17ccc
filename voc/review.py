"""`voc review RUN`: a local web page to review a run's themes and segments. Every action is
saved as an edit in the run directory (see voc.edits), then the run is refreshed in the
background, so the edits show now and survive every later re-run.

Standard library HTTP only, bound to 127.0.0.1; the page is plain HTML/CSS/JS served from
voc/static with a strict Content-Security-Policy, and customer text is only ever set as text."""

from __future__ import annotations

import hashlib
import json
import math
import threading
import time
import traceback
import webbrowser
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
import pandas as pd

from voc.config import Config
from voc.edits import EditError
from voc.errors import VocError
from voc.mapview import drawn, group_keys, theme_colours, theme_groups
from voc.rundir import Reporter, corpus_paths
from voc.tables import CRITERIA, is_voice

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
TABLES = ("units.parquet", "themes.parquet", "segments.parquet", "respondents.parquet")
MAX_POINTS = 6000  # units drawn on the page's map; past it a sample (see mapview.drawn)
TIP_CHARS = 300
QUOTES = 5
PAGE, MAX_PAGE = 50, 500  # answers per page of GET /api/units: by default, and at most
MAX_BODY = 64_000
BATCH_SECONDS = 0.3


# ---------------------------------------------------------------------------------------------
# the run as the page sees it


def files_version(run_dir: Path) -> str:
    """Changes whenever the run's tables or edits are rewritten (by us or by the CLI)."""
    h = hashlib.sha256()
    for name in (*TABLES, "edits.json"):
        path = run_dir / name
        if path.exists():
            st = path.stat()
            h.update(f"{name}:{st.st_mtime_ns}:{st.st_size};".encode())
    return h.hexdigest()[:16]


def plain(value: object) -> object:
    """JSON-safe copy: numpy scalars and arrays to Python, NaN and NA to None."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


@dataclass
class Snapshot:
    """One consistent read of the run: what the page shows and what edits are built from."""

    version: str
    units: pd.DataFrame
    people: pd.DataFrame
    themes: pd.DataFrame
    segments: pd.DataFrame
    manifest: dict
    data: dict = field(default_factory=dict)


def load_snapshot(run_dir: Path) -> Snapshot:
    """Read the run's tables; a clear VocError when the run is incomplete."""
    from voc.store import load_table, read_json

    missing = [name for name in TABLES if not (run_dir / name).exists()]
    if missing:
        raise VocError(
            f"{run_dir} has no {', '.join(missing)} yet. Finish the run first: "
            f"`voc run CORPUS --out {run_dir}`."
        )
    version = files_version(run_dir)
    snap = Snapshot(
        version,
        load_table(run_dir / "units.parquet"),
        load_table(run_dir / "respondents.parquet"),
        load_table(run_dir / "themes.parquet"),
        load_table(run_dir / "segments.parquet"),
        read_json(run_dir / "manifest.json", {}) or {},
    )
    snap.data = page_data(run_dir, snap)
    return snap


def page_data(run_dir: Path, snap: Snapshot) -> dict:
    """Everything GET /api/run returns: the run, themes (and the groups they fall under, when
    themes.parquet has `parent_id`), segments, map points and edits."""
    from voc.edits import edit_history

    units = snap.units
    by_id = units.set_index("unit_id")
    colours = theme_colours(snap.themes)
    groups = theme_groups(snap.themes)
    group_of = dict(zip(snap.themes["theme_id"].astype(int), group_keys(snap.themes), strict=True))
    themes = []
    for t in snap.themes.sort_values("theme_id").itertuples():
        quotes = []
        for uid in list(getattr(t, "quote_ids", []) or [])[:QUOTES]:
            if uid in by_id.index:
                row = by_id.loc[uid]
                quotes.append(
                    {
                        "unit_id": uid,
                        "text": str(row["text"]),
                        "source": str(row["source"]),
                        "locator": str(row["locator"]),
                    }
                )
        themes.append(
            {
                "theme_id": int(t.theme_id),
                "label": str(getattr(t, "label", "") or f"theme {t.theme_id}"),
                "job": str(getattr(t, "job", "") or ""),
                "size": int(t.size),
                "respondents": int(getattr(t, "respondents", 0) or 0),
                "share": getattr(t, "share", None),
                "stability": getattr(t, "stability", None),
                "keywords": list(getattr(t, "keywords", []) or []),
                "hidden": bool(getattr(t, "hidden", False)),
                "colour": colours[int(t.theme_id)],
                "group": group_of[int(t.theme_id)] if groups else None,
                "quotes": quotes,
            }
        )
    labels = {t["theme_id"]: t["label"] for t in themes}
    segments = []
    for _, s in snap.segments.sort_values("segment_id").iterrows():
        top = sorted(s.get("themes") or [], key=lambda d: -(d.get("lift") or 0))[:3]
        profile = s.get("profile") if isinstance(s.get("profile"), dict) else {}
        segments.append(
            {
                "segment_id": int(s["segment_id"]),
                "name": str(s.get("name", "") or f"segment {s['segment_id']}"),
                "size": int(s["size"]),
                "stability": s.get("stability"),
                "share": s.get("share"),
                "summary": str(profile.get("summary", "") or ""),
                "themes": [
                    {"theme_id": d["theme_id"], "label": labels.get(d["theme_id"], ""), **d}
                    for d in top
                ],
                "criteria": [
                    {
                        "name": c,
                        "verdict": s.get(c),
                        "shown": s.get(f"{c}_shown"),
                        "reason": s.get(f"{c}_reason"),
                    }
                    for c in CRITERIA
                ],
            }
        )
    voice = units[is_voice(units)]  # non-answers have no place on the map
    shown = voice[drawn(voice, MAX_POINTS)]
    points = {
        "unit_id": shown["unit_id"].tolist(),
        "x": [round(float(v), 3) for v in shown["x"]],
        "y": [round(float(v), 3) for v in shown["y"]],
        "theme_id": shown["theme_id"].astype(int).tolist(),
        "text": [clip(str(t)) for t in shown["text"]],
        "source": shown["source"].astype(str).tolist(),
        "locator": shown["locator"].astype(str).tolist(),
    }
    outcomes = snap.manifest.get("edits", []) or []
    saved = edit_history(run_dir)
    return plain(
        {
            "run": {
                "name": run_dir.resolve().name,
                "version": snap.version,
                "units_total": len(voice),
                "units_shown": len(shown),
                "unclustered": int((voice["theme_id"] == -1).sum()),
                "respondents": len(snap.people),
            },
            "themes": themes,
            "groups": groups,
            "segments": segments,
            "units": points,
            "edits": {
                "saved": saved,
                "outcomes": outcomes,
                "moves": snap.manifest.get("segment_moves", []),
            },
        }
    )  # type: ignore[return-value]


class BadQuery(VocError):
    """A GET /api/units query voc cannot answer (its message says which parameter)."""


def find_units(units: pd.DataFrame, query: dict[str, list[str]]) -> dict:
    """What GET /api/units returns: one page of the answers holding every word of `q` (any
    case) in theme `theme` (−1: unclustered), a theme's most typical first. It reaches every
    answer, also those a large run's map leaves out."""
    given = {name: values[0] for name, values in query.items()}  # parse_qs drops blank ones
    words = given.get("q", "").lower().split()
    try:
        theme = int(given["theme"]) if "theme" in given else None
        offset = int(given.get("offset", 0))
        limit = int(given.get("limit", PAGE))
    except ValueError:
        raise BadQuery("theme, offset and limit must be whole numbers") from None
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise BadQuery(f"offset must be 0 or more, and limit between 1 and {MAX_PAGE}")
    found = units[is_voice(units)]
    if theme is not None:
        found = found[found["theme_id"] == theme]
        found = found.sort_values("theme_similarity", ascending=False, kind="stable")
    if words:
        lowered = found["text"].str.lower()
        found = found[np.logical_and.reduce([lowered.str.contains(w, regex=False) for w in words])]
    page = found.iloc[offset : offset + limit]
    columns = ["unit_id", "text", "theme_id", "source", "locator", "respondent_id"]
    return {
        "total": len(found),
        "offset": offset,
        "limit": limit,
        "units": page[columns].astype({"theme_id": int}).to_dict("records"),
    }


def clip(text: str) -> str:
    """Map hover text: long passages cut, visibly."""
    return text if len(text) <= TIP_CHARS else text[: TIP_CHARS - 1].rstrip() + "…"


# ---------------------------------------------------------------------------------------------
# edits


# ---------------------------------------------------------------------------------------------
# the review: state shared by requests, and the background refresh


class StatusReporter(Reporter):
    """Pipeline progress, kept for GET /api/status."""

    def __init__(self, review: Review) -> None:
        self.review = review

    def stage(self, name: str) -> None:
        self.review.set_status(stage=name, message=f"running {name}")

    def step(self, message: str) -> None:
        self.review.set_status(message=message)


class Review:
    """One run under review: its last consistent snapshot, and one background worker that
    refreshes the run after edits (edits made meanwhile are batched into the next refresh)."""

    def __init__(self, run_dir: Path) -> None:
        from voc.store import read_json

        self.run_dir = Path(run_dir)
        manifest = read_json(self.run_dir / "manifest.json")
        if not isinstance(manifest, dict) or "corpus" not in manifest:
            raise VocError(
                f"{run_dir} is not a voc run directory (no manifest.json). "
                "Create one with `voc run CORPUS --out DIR`."
            )
        self.corpus = corpus_paths(self.run_dir, manifest)
        self.config = Config.model_validate(manifest["config"])
        self.lock = threading.Lock()
        self.snapshot = load_snapshot(self.run_dir)
        self.status: dict = {"state": "idle", "stage": None, "message": "", "error": None}
        self.pending = False  # edits saved that no refresh has picked up yet
        self.running = False  # the worker is alive (set and cleared under the lock)

    def set_status(self, **changes: object) -> None:
        with self.lock:
            self.status = {**self.status, **changes}

    def current(self) -> Snapshot:
        """The snapshot, re-read first if the files changed outside the page (e.g. the CLI)."""
        with self.lock:
            busy = self.running
            snap = self.snapshot
        if not busy and files_version(self.run_dir) != snap.version:
            try:
                fresh = load_snapshot(self.run_dir)
            except Exception:  # a run half-way through writing: keep the last good one
                return snap
            with self.lock:
                self.snapshot = snap = fresh
        return snap

    def state(self) -> dict:
        snap = self.current()
        with self.lock:
            return {**self.status, "version": snap.version}

    def edit(self, body: dict) -> dict:
        """Save one edit (or, for `{"op": "undo", "number": N}`, take back edit N of the
        history) and have the run refreshed; EditError when it names nothing that exists or
        was made on a page showing an older state of the run."""
        from voc.edits import add_edit, build_edit, describe_edit, remove_edit, run_names

        snap = self.current()
        with self.lock:
            if body.get("version") not in (None, snap.version):
                raise EditError(
                    "The run changed since this page loaded it; reload the page and redo the edit.",
                    HTTPStatus.CONFLICT,
                )
            missing = [str(p) for p in self.corpus if not p.exists()]
            if missing:
                raise EditError(
                    f"Edits re-run the pipeline on the run's corpus, and {', '.join(missing)} "
                    f"is not found from {Path.cwd()}. Start `voc review` in the folder where "
                    "the run was made."
                )
            if body.get("op") == "undo":
                number = body.get("number")
                if not isinstance(number, int) or isinstance(number, bool):
                    raise EditError("Give the `number` of the edit to take back.")
                said = f"took back: {describe_edit(remove_edit(self.run_dir, number))}"
            else:
                names = run_names(snap.themes, snap.segments)
                saved = add_edit(self.run_dir, build_edit(body, snap.units, snap.people, names))
                said = describe_edit(saved)
            self.pending = True
            self.status = {"state": "updating", "stage": None, "message": "saved", "error": None}
            if not self.running:
                self.running = True
                threading.Thread(target=self.work, name="voc-refresh", daemon=True).start()
        return {"ok": True, "edit": said}

    def work(self) -> None:
        """Refresh until no edit is pending, then report idle (or the error)."""
        while True:
            time.sleep(BATCH_SECONDS)  # edits posted together share one refresh
            with self.lock:
                self.pending = False
            error = self.refresh()
            with self.lock:
                if self.pending and error is None:
                    continue
                self.running = False
                self.status = {
                    "state": "error" if error else "idle",
                    "stage": None,
                    "message": "" if error else "up to date",
                    "error": error,
                }
                return

    def refresh(self) -> str | None:
        """Re-run the pipeline (stages before themes are reused) and reload; the error, if any."""
        from voc.pipeline import run

        error = None
        try:
            run(self.corpus, self.run_dir, self.config, StatusReporter(self))
        except VocError as err:
            error = str(err)
        except Exception as err:  # shown on the page rather than lost in a thread
            traceback.print_exc()
            error = f"The refresh failed: {type(err).__name__}: {err}"
        try:
            fresh = load_snapshot(self.run_dir)
        except Exception as err:
            return error or f"Cannot read the refreshed run: {err}"
        with self.lock:
            self.snapshot = fresh
        return error

    def wait(self, timeout: float = 300) -> dict:
        """Block until no refresh is running (for tests and scripts); the final status."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if not self.running:
                    break
            time.sleep(0.05)
        return self.state()


# ---------------------------------------------------------------------------------------------
# HTTP


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
        except EditError as err:
            self.error(err.status, str(err))
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
