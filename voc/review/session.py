"""A run under review: its last consistent snapshot, the edits saved from the page, and one
background worker that re-runs the pipeline after them (edits made meanwhile are batched)."""

from __future__ import annotations

import threading
import time
import traceback
from pathlib import Path

from voc.core.config import Config
from voc.core.errors import VocError
from voc.core.rundir import Reporter, corpus_paths, open_run
from voc.review.edits import (
    EditError,
    StaleEdit,
    add_edit,
    build_edit,
    describe_edit,
    remove_edit,
    run_names,
)
from voc.review.view import Snapshot, files_version, load_snapshot

BATCH_SECONDS = 0.3


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
        self.run_dir = Path(run_dir)
        manifest = open_run(self.run_dir)
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
        snap = self.current()
        with self.lock:
            if body.get("version") not in (None, snap.version):
                raise StaleEdit(
                    "The run changed since this page loaded it; reload the page and redo the edit."
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
        from voc.pipeline.runner import run

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
