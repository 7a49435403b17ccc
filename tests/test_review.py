"""The review page (voc.review): edits made in a real browser are saved, shown after the
refresh and survive a re-run; every action through the JSON API; customer text never runs."""

from __future__ import annotations

import csv
import json
import random
import re
import shutil
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from voc.core.config import Config
from voc.core.store import load_table, read_json, write_json
from voc.core.tables import CRITERIA, is_voice
from voc.pipeline.runner import run
from voc.review.server import ReviewServer, make_server

try:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
except ImportError:  # the browser tests skip without selenium
    By = Keys = None

SCRIPT_QUOTE = "<script>window.__pwned=1</script> the invoice page never loads"
IMG_QUOTE = '<img src=x onerror="window.__pwned=2"> exporting to CSV breaks every time'
TOPICS: dict[str, tuple[str, list[str], list[str]]] = {
    "billing": (
        "Accountant",
        [
            "sending invoices to clients",
            "chasing late payments",
            "invoice reminders",
            "getting paid by card",
            "recurring invoices",
            "payment links on invoices",
        ],
        [
            "takes far too long",
            "should be automatic",
            "is the reason we pay for this",
            "keeps failing for overseas clients",
            "needs a pay now button",
        ],
    ),
    "mobile": (
        "Field technician",
        [
            "the mobile app",
            "the iPhone app",
            "the Android app on my tablet",
            "the app on the road",
            "offline mode on my phone",
            "the app after the last update",
        ],
        [
            "crashes when I take a photo",
            "logs me out every morning",
            "drains my phone battery",
            "freezes when there is no signal",
            "is painfully slow to open",
        ],
    ),
    "pricing": (
        "Founder",
        [
            "the new price plan",
            "the subscription cost",
            "paying per user",
            "the price increase this year",
            "the annual contract price",
            "charging extra for add-ons",
        ],
        [
            "is too expensive for a small team",
            "made us look at cheaper competitors",
            "doubled our bill without warning",
            "is hard to justify to my partner",
            "feels unfair for occasional users",
        ],
    ),
    "support": (
        "Office manager",
        [
            "customer support",
            "the support chat",
            "your help desk team",
            "phone support",
            "the support ticket queue",
            "the support agents",
        ],
        [
            "took five days to answer my ticket",
            "never calls back when promised",
            "closed my ticket without fixing anything",
            "keeps asking me for the same screenshots",
            "was friendly but could not solve the problem",
        ],
    ),
    "export": (
        "Data analyst",
        [
            "exporting reports to Excel",
            "the CSV export",
            "the accounting integration",
            "syncing data with our warehouse",
            "the API for pulling transactions",
            "the nightly data export",
        ],
        [
            "drops columns we need",
            "breaks the date format",
            "times out on large files",
            "misses half of the transactions",
            "needs a scheduled export option",
        ],
    ),
}


def write_corpus(folder: Path, seed: int = 3) -> Path:
    """About 200 short answers from 120 respondents across five clearly different topics; each
    respondent mostly talks about one topic, and their role follows it."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    topics = list(TOPICS)
    for r in range(120):
        topic = topics[r % len(topics)]
        role, subjects, complaints = TOPICS[topic]
        for k in range(1 + (r % 3 != 0)):
            about = topic if k == 0 or rng.random() < 0.7 else rng.choice(topics)
            _, subjects, complaints = TOPICS[about]
            text = f"{rng.choice(subjects).capitalize()} {rng.choice(complaints)}."
            rows.append(
                {
                    "respondent_id": f"r{r:03d}",
                    "role": role,
                    "score": rng.randint(0, 10),
                    "answer": text,
                }
            )
    rows[7]["answer"] = SCRIPT_QUOTE
    rows[12]["answer"] = IMG_QUOTE
    path = folder / "survey.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


# 24 themes under 6 groups, as themes.parquet holds them when themes have a `parent_id`.
GROUPS: dict[str, list[str]] = {
    "Getting paid": ["Invoice reminders", "Card payments", "Recurring invoices", "Late fees"],
    "Mobile app": ["Crashes on photos", "Logged out every morning", "Battery drain", "Offline"],
    "Price": ["Too dear for small teams", "Per-user pricing", "Surprise rises", "Add-on charges"],
    "Support": ["Slow ticket answers", "No call back", "Tickets closed unsolved", "Screenshots"],
    "Data out": ["Excel export drops columns", "Date formats", "Big exports time out", "Warehouse"],
    "Access": ["Single sign-on", "Role permissions", "Audit log", "Two-factor login"],
}
HIDDEN_THEME = "Two-factor login"
SAYINGS = [
    "is the first thing I would fix",
    "costs us an hour every week",
    "came up again in our team meeting",
    "is why I nearly cancelled",
    "worked fine until last month",
]


def write_many_themes_run(folder: Path) -> Path:
    """A finished run directory with 24 themes under 6 groups, written table by table (the
    review page only reads the tables): each theme a tight cloud of points, a group's themes
    side by side, theme ids shuffled so a group's ids are not consecutive, one theme hidden,
    a few unclustered points. Edits cannot be made on it (there is no corpus to re-run)."""
    import numpy as np
    import pandas as pd

    from voc.core.store import save_table
    from voc.outputs.map import write_map

    rng = np.random.default_rng(5)
    folder.mkdir(parents=True, exist_ok=True)
    names = [(g, label) for g, labels in GROUPS.items() for label in labels]
    ids = rng.permutation(len(names))
    rows, themes = [], []
    for k, (group, label) in enumerate(names):
        gi = list(GROUPS).index(group)
        centre = 10 * np.array([np.cos(gi * np.pi / 3), np.sin(gi * np.pi / 3)])
        j = k % 4
        centre = centre + 2.6 * np.array([np.cos(j * np.pi / 2), np.sin(j * np.pi / 2)])
        size = 10 + (7 * k) % 17
        first = len(rows)
        for n in range(size):
            x, y = centre + rng.normal(0, 0.35, 2)
            rows.append((int(ids[k]), float(x), float(y), f"{label} {SAYINGS[n % len(SAYINGS)]}."))
        themes.append(
            {
                "theme_id": int(ids[k]),
                "label": label,
                "job": f"When it comes to {label.lower()}, I want it to just work.",
                "pains": [],
                "outcomes": [],
                "size": size,
                "keywords": label.lower().split()[:3],
                "quote_ids": [f"u{i:04d}" for i in range(first, first + 3)],
                "stability": round(float(rng.uniform(0.6, 1.0)), 3),
                "hidden": label == HIDDEN_THEME,
                "parent_id": gi,
                "group_label": group,
            }
        )
    for _ in range(12):
        x, y = rng.uniform(-13, 13, 2)
        rows.append((-1, float(x), float(y), "Nothing else to say really."))
    units = pd.DataFrame(rows, columns=["theme_id", "x", "y", "text"])
    n = len(units)
    units.insert(0, "unit_id", [f"u{i:04d}" for i in range(n)])
    units["respondent_id"] = [f"r{i // 2:03d}" for i in range(n)]
    units["kind"], units["source"], units["speaker"], units["context"] = "survey", "s.csv", "", ""
    units["locator"] = [f"row {i + 2}" for i in range(n)]
    units["date"], units["score"], units["count"], units["non_answer"] = "", np.nan, 1, ""
    units["theme_similarity"] = np.where(units["theme_id"] >= 0, 0.8, np.nan)
    people = pd.DataFrame({"respondent_id": sorted(set(units["respondent_id"]))})
    people["kinds"], people["n_units"] = "survey", 2
    people["segment_id"] = np.arange(len(people)) % 3
    themes_table = pd.DataFrame(themes).sort_values("theme_id")
    themes_table["respondents"] = (themes_table["size"] + 1) // 2
    themes_table["share"] = (themes_table["respondents"] / len(people)).round(3)
    segments = pd.DataFrame(
        {
            "segment_id": [0, 1, 2],
            "name": ["Finance teams", "Field crews", "IT admins"],
            "size": people["segment_id"].value_counts().sort_index().tolist(),
            "themes": [[{"theme_id": int(ids[3 * s]), "lift": 2.0}] for s in range(3)],
            "profile": [{"summary": "made up for the page test"}] * 3,
        }
    )
    segments["share"] = segments["size"] / len(people)
    for criterion in CRITERIA:
        segments[criterion] = "pass"
        segments[f"{criterion}_shown"] = "fine"
        segments[f"{criterion}_reason"] = "made up"
    for name, table in (
        ("units", units),
        ("themes", themes_table),
        ("segments", segments),
        ("respondents", people),
    ):
        save_table(table, folder / f"{name}.parquet")
    manifest = {"corpus": [str(folder / "no-corpus")], "config": CONFIG.model_dump(mode="json")}
    write_json(manifest, folder / "manifest.json")
    write_map(units, themes_table, folder / "map.html")
    return folder


# Offline labels, few resamples and a fixed segment count keep each refresh to a few seconds.
CONFIG = Config(
    llm="offline",
    stability_resamples=2,
    seed=7,
    min_theme_size=8,
    segments=3,
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("review-corpus") / "survey").resolve()


@pytest.fixture(scope="module")
def base_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("review-runs") / "base"
    run([corpus], out, CONFIG)
    return out


@pytest.fixture
def run_dir(base_run: Path, tmp_path: Path) -> Path:
    """A fresh copy of the finished run: each test edits its own."""
    copy = tmp_path / "run"
    shutil.copytree(base_run, copy)
    return copy


@pytest.fixture
def server(run_dir: Path) -> Iterator[ReviewServer]:
    srv = make_server(run_dir, port=0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    srv.review.wait()


def call(
    srv: ReviewServer,
    path: str,
    body: dict | None = None,
    headers: dict | None = None,
) -> tuple[int, dict]:
    """GET (no body) or POST JSON to the server; (status, decoded answer)."""
    data = json.dumps(body).encode() if body is not None else None
    sent = {"Content-Type": "application/json"} if body is not None else {}
    request = urllib.request.Request(srv.url.rstrip("/") + path, data, {**sent, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as res:
            return res.status, json.loads(res.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


# ------------------------------------------------------------------------------- API


def test_page_and_api_are_served_with_a_strict_policy(server: ReviewServer) -> None:
    with urllib.request.urlopen(server.url, timeout=10) as res:
        page = res.read().decode()
        csp = res.headers["Content-Security-Policy"]
    assert '<script src="/review.js"' in page
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    status, data = call(server, "/api/run")
    assert status == 200
    assert len(data["themes"]) >= 3 and len(data["segments"]) >= 2
    assert len(data["units"]["x"]) == data["run"]["units_total"]
    seg = data["segments"][0]
    assert [c["name"] for c in seg["criteria"]] == [
        "identifiable",
        "substantial",
        "accessible",
        "differentiable",
        "actionable",
    ]
    assert all(c["verdict"] in ("pass", "weak", "fail") for c in seg["criteria"])


def test_the_page_draws_the_map_by_the_rules_of_map_html(server: ReviewServer) -> None:
    """Theme names where map.html puts them, its grey for unclustered answers, and the
    criteria in the server's order: the page computes none of them itself."""
    data = call(server, "/api/run")[1]
    page = (server.review.run_dir / "map.html").read_text(encoding="utf-8")
    name = re.compile(r'<text x="(?P<x>[\d.]+)" y="(?P<y>[\d.]+)" data-theme="(?P<theme>\d+)"')
    in_file = {int(m["theme"]): (float(m["x"]), float(m["y"])) for m in name.finditer(page)}
    assert in_file and {n["theme_id"]: (n["x"], n["y"]) for n in data["map"]["names"]} == in_file
    assert f"background:{data['map']['noise_colour']}\"></span>unclustered" in page
    assert data["criteria"] == list(CRITERIA)
    script = (Path(__file__).parents[1] / "voc/review/static/review.js").read_text("utf-8")
    assert not any(c in script for c in CRITERIA)
    assert not re.search(r"#[0-9a-f]{6}\b", script, re.I)  # no colour of its own


def test_bad_requests_get_clear_errors(server: ReviewServer) -> None:
    data = call(server, "/api/run")[1]
    theme = data["themes"][0]["theme_id"]
    bad = [
        ({"op": "explode"}, "Unknown edit"),
        ({"op": "rename_theme", "theme": 999, "label": "x"}, "no theme 999"),
        ({"op": "rename_theme", "theme": theme, "label": "  "}, "non-empty"),
        ({"op": "merge_themes", "themes": [theme, theme]}, "at least two"),
        ({"op": "move_unit", "unit_id": "nope", "theme": theme}, "no unit"),
        ({"op": "merge_segments", "segments": [0, 99]}, "no segment 99"),
        ({"op": "split_theme", "theme": theme, "parts": 1}, "split in 2"),
    ]
    for body, message in bad:
        status, answer = call(server, "/api/edit", body)
        assert status == 400, body
        assert message in answer["error"], answer
    stale = {"op": "rename_theme", "theme": theme, "label": "x", "version": "old"}
    assert call(server, "/api/edit", stale)[0] == 409
    assert call(server, "/api/run", headers={"Host": "evil.example:80"})[0] == 403
    origin = {"Origin": "http://evil.example"}
    assert call(server, "/api/edit", {"op": "hide_theme", "theme": theme}, origin)[0] == 403
    assert not (server.review.run_dir / "edits.json").exists()  # nothing was saved


def test_every_answer_is_reached_by_its_words_or_by_its_theme_page_by_page(
    server: ReviewServer,
) -> None:
    units = load_table(server.review.run_dir / "units.parquet")
    one = units[units["theme_id"] >= 0].iloc[len(units) // 2]
    words = " ".join(one["text"].split()[:4]).upper()  # any case
    status, found = call(server, "/api/units?" + urllib.parse.urlencode({"q": words}))
    assert status == 200 and one["unit_id"] in [u["unit_id"] for u in found["units"]]
    for unit in found["units"]:
        assert all(w in unit["text"].lower() for w in words.lower().split())
    theme = units["theme_id"].value_counts().drop(-1, errors="ignore").idxmax()
    seen: list[str] = []
    page = {"total": 1}
    while len(seen) < page["total"]:
        page = call(server, f"/api/units?theme={theme}&offset={len(seen)}&limit=7")[1]
        assert 0 < len(page["units"]) <= 7 and {u["theme_id"] for u in page["units"]} == {theme}
        seen += [u["unit_id"] for u in page["units"]]
    assert sorted(seen) == sorted(units.loc[units["theme_id"] == theme, "unit_id"])
    for query, message in [("theme=x", "whole numbers"), ("limit=5000", "limit between")]:
        status, answer = call(server, f"/api/units?{query}")
        assert status == 400 and message in answer["error"]


def raw_request(srv: ReviewServer, head: str) -> tuple[int, dict]:
    """Send bytes as a broken client would; the status and JSON answer."""
    host, port = srv.server_address[:2]
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(head.replace("HOST", f"127.0.0.1:{port}").encode() + b"\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    return int(status_line.split()[1]), json.loads(rest.partition(b"\r\n\r\n")[2])


def test_malformed_requests_and_other_methods_get_json_errors(
    server: ReviewServer, capfd: pytest.CaptureFixture[str]
) -> None:
    post = "POST /api/edit HTTP/1.1\r\nHost: HOST\r\nContent-Type: application/json\r\n"
    for length in ("-5", "abc"):
        status, answer = raw_request(server, post + f"Content-Length: {length}")
        assert status == 400 and "Content-Length" in answer["error"]
    for method in ("PUT", "DELETE", "OPTIONS"):
        status, answer = raw_request(server, f"{method} /api/edit HTTP/1.1\r\nHost: HOST")
        assert status == 405 and method in answer["error"]
    assert "Traceback" not in capfd.readouterr().err


def post_all(srv: ReviewServer, bodies: list[dict]) -> dict:
    """Post edits back to back (they share one refresh), wait, return the refreshed data."""
    for body in bodies:
        status, answer = call(srv, "/api/edit", body)
        assert status == 202, answer
    final = srv.review.wait()
    assert final["state"] == "idle", final
    return call(srv, "/api/run")[1]


def test_theme_edits_through_the_api(server: ReviewServer) -> None:
    """Split, hide, move into a theme and out to unclustered in one batch, beside a stale edit
    whose theme is gone."""
    run_dir = server.review.run_dir
    gone = {"op": "hide_theme", "theme": 0, "anchors": [f"gone{i}" for i in range(5)]}
    write_json({"version": 1, "edits": [gone]}, run_dir / "edits.json")
    data = call(server, "/api/run")[1]
    n = len(data["themes"])
    split, into, hide = sorted(data["themes"], key=lambda t: -t["size"])[:3]
    units = data["units"]
    i = next(
        k
        for k, t in enumerate(units["theme_id"])
        if t not in (-1, split["theme_id"], into["theme_id"], hide["theme_id"])
    )
    moved = units["unit_id"][i]
    out = units["unit_id"][
        next(k for k, t in enumerate(units["theme_id"]) if t == units["theme_id"][i] and k != i)
    ]
    data = post_all(
        server,
        [
            {"op": "split_theme", "theme": split["theme_id"], "parts": 2},
            {"op": "hide_theme", "theme": hide["theme_id"]},
            {"op": "move_unit", "unit_id": moved, "theme": into["theme_id"]},
            {"op": "move_unit", "unit_id": out, "theme": -1},
        ],
    )
    assert len(data["themes"]) == n + 1
    table = load_table(run_dir / "units.parquet").set_index("unit_id")
    hidden = [t["theme_id"] for t in data["themes"] if t["hidden"]]
    assert hidden == [table.loc[hide["quotes"][0]["unit_id"], "theme_id"]]
    assert table.loc[moved, "theme_id"] == table.loc[into["quotes"][0]["unit_id"], "theme_id"]
    assert table.loc[out, "theme_id"] == -1  # "unclustered" is a move target
    assert data["edits"]["saved"][0]["text"] == f"Moved unit {out} to unclustered"
    outcomes = read_json(run_dir / "manifest.json")["edits"]
    assert [o["applied"] for o in outcomes] == [False, True, True, True, True]
    assert "no longer applies" in outcomes[0]["message"]
    assert "edits.json" in outcomes[0]["message"]
    assert data["edits"]["outcomes"] == outcomes  # the page lists them too


def test_the_edit_history_reads_as_sentences_and_any_edit_can_be_undone(run_dir: Path) -> None:
    """From the CLI: hide then show cancels out; history is newest first with names; undo."""
    from typer.testing import CliRunner

    from voc.cli import app

    def voc(*args: object) -> str:
        done = CliRunner().invoke(app, [str(a) for a in args])
        assert done.exit_code == 0, done.output
        return done.output

    themes = load_table(run_dir / "themes.parquet").sort_values("size")
    small, smaller = themes["theme_id"].iloc[1], themes["theme_id"].iloc[0]
    names = dict(zip(themes["theme_id"], themes["label"], strict=True))
    voc("theme", "hide", run_dir, small)
    voc("theme", "show", run_dir, small)
    assert "No edits saved" in voc("edits", "list", run_dir)  # hide + show = nothing
    voc("theme", "merge", run_dir, small, smaller)
    now = load_table(run_dir / "themes.parquet").set_index("theme_id")["label"]
    voc("theme", "rename", run_dir, small, "Close the books")
    listed = voc("edits", "list", run_dir).splitlines()
    assert listed[0].startswith(f"  1. Renamed '{now[small]}' to 'Close the books'")
    assert listed[1].startswith(f"  2. Merged '{names[smaller]}' into '{names[small]}'")
    merged = len(load_table(run_dir / "themes.parquet"))
    assert merged == len(themes) - 1
    assert "Took back: Merged" in voc("edits", "undo", run_dir, 2)
    assert len(load_table(run_dir / "themes.parquet")) == len(themes)
    assert "Close the books" in load_table(run_dir / "themes.parquet")["label"].tolist()
    refused = CliRunner().invoke(app, ["edits", "undo", str(run_dir), "7"])
    assert refused.exit_code == 1 and "There is no edit 7" in refused.output


def test_segment_edits_through_the_api(server: ReviewServer) -> None:
    data = call(server, "/api/run")[1]
    segs = data["segments"]
    k = len(segs)
    assert k >= 3
    first, *rest = [s["segment_id"] for s in segs]
    data = post_all(
        server,
        [
            {"op": "rename_segment", "segment": first, "name": "Busy bookkeepers"},
            {"op": "merge_segments", "segments": rest[-2:]},
        ],
    )
    assert len(data["segments"]) == k - 1
    assert "Busy bookkeepers" in [s["name"] for s in data["segments"]]
    table = load_table(server.review.run_dir / "segments.parquet")
    assert len(table) == k - 1 and "Busy bookkeepers" in set(table["name"])


# ------------------------------------------------------------------------------- browser


def chromium_paths() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    paths = chromium_paths()
    if paths is None:
        pytest.skip("chromium and chromium-driver are not installed (apt-get install them)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
    ):
        options.add_argument(flag)
    import tempfile

    with tempfile.TemporaryDirectory() as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=Service(paths[1]), options=options)
        try:
            yield driver
        finally:
            driver.quit()


def wait_for(driver: object, check: object, timeout: float = 120) -> object:
    """Until `check` holds; an element re-drawn while it was being read just means "not yet"."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(
        driver, timeout, poll_frequency=0.2, ignored_exceptions=[StaleElementReferenceException]
    )
    return wait.until(check)  # type: ignore[arg-type]


CLICK = "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))"


def cards(driver: object) -> list:
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, "#themes .theme")  # type: ignore[attr-defined]


def up_to_date(driver: object) -> bool:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, "status").text == "up to date"  # type: ignore[attr-defined]


def labels(driver: Any) -> list[str]:
    """The theme names listed, read at once (the list may be re-drawn at any moment)."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#themes .theme .label'), e => e.textContent)"
    )


def open_page(d: Any, srv: ReviewServer) -> None:
    """Load the review page, wait until it shows the run, and open every group of themes."""
    d.get(srv.url)
    wait_for(
        d, lambda d: up_to_date(d) and (cards(d) or d.find_elements(By.CSS_SELECTOR, ".group"))
    )
    d.execute_script(
        "document.querySelectorAll('#themes details.group').forEach(g => g.open = true)"
    )


def press(d: Any, element: Any) -> None:
    """Click like a person: scrolled to the middle of its pane first, so nothing sticky covers
    it."""
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def card_for(d: Any, theme: int) -> Any:
    return d.find_element(By.CSS_SELECTOR, f'#themes .theme[data-theme="{theme}"]')


def all_themes(d: Any) -> set[int]:
    """The themes on the map (unclustered, -1, included)."""
    return set(
        d.execute_script(
            "return Array.from(document.querySelectorAll('#map g.dots'), g => +g.dataset.theme)"
        )
    )


def dimmed(d: Any) -> set[int]:
    """The themes faded on the map, because another theme or group is picked out."""
    return set(
        d.execute_script(
            "return Array.from(document.querySelectorAll('#map g.dots.dim'), g => +g.dataset.theme)"
        )
    )


def opacities(d: Any, selector: str) -> dict[int, float]:
    """Each theme's drawn opacity on a map (`selector` finds one element per theme)."""
    found = d.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]), "
        "g => [+g.dataset.theme, +getComputedStyle(g).opacity])",
        selector,
    )
    return {t: o for t, o in found}


def hover_lights_up_its_theme(d: Any, selector: str) -> int:
    """Hover one dot of the biggest theme on the map in view: its theme must stay fully drawn
    while every other theme fades. Returns the hovered theme."""
    from selenium.webdriver.common.action_chains import ActionChains

    sizes = d.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]), "
        "g => [+g.dataset.theme, g.querySelectorAll('circle').length])",
        selector,
    )
    biggest = max((t for t in sizes if t[0] >= 0), key=lambda t: t[1])[0]
    dot = d.find_element(By.CSS_SELECTOR, f'{selector}[data-theme="{biggest}"] circle')
    ActionChains(d).move_to_element(dot).perform()
    hovered = d.execute_script(
        "const c = document.querySelector('circle:hover'); "
        "return c ? +c.parentNode.dataset.theme : null"
    )
    assert hovered is not None, "the mouse is over no dot"
    seen = opacities(d, selector)
    assert seen[hovered] == 1, seen
    others = [o for t, o in seen.items() if t != hovered]
    assert others and max(others) <= 0.25, seen
    return hovered


def stale_banner(d: Any) -> bool:
    return d.find_element(By.ID, "stale").is_displayed()


def status_text(d: Any) -> str:
    return d.find_element(By.ID, "status").text


NEW_NAME = 'Chasing payments <img src=x onerror="window.__pwned=3">'


def test_edits_in_the_browser_survive_a_rerun(
    browser: object, server: ReviewServer, corpus: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    d = browser
    open_page(d, server)
    n = len(cards(d))
    assert n >= 4

    # clicking a theme highlights it on the map
    first = cards(d)[0]
    press(d, first.find_element(By.CSS_SELECTOR, ".theme-head"))
    assert "active" in first.get_attribute("class")
    assert dimmed(d) == all_themes(d) - {int(first.get_attribute("data-theme"))}

    # rename the first theme by typing
    press(d, first.find_element(By.CSS_SELECTOR, "button.rename"))
    box = first.find_element(By.CSS_SELECTOR, ".editor-input")
    box.clear()
    box.send_keys(NEW_NAME, Keys.ENTER)
    wait_for(d, lambda d: up_to_date(d) and NEW_NAME in labels(d))

    # merge the two last themes with the checkboxes and the merge button
    for card in cards(d)[-2:]:
        press(d, card.find_element(By.CSS_SELECTOR, "input.pick"))
    press(d, d.find_element(By.ID, "merge-themes"))  # type: ignore[attr-defined]
    wait_for(d, lambda d: up_to_date(d) and len(cards(d)) == n - 1)

    open_page(d, server)
    assert len(cards(d)) == n - 1
    assert NEW_NAME in labels(d)  # the markup in the name shows as text
    assert d.execute_script("return document.images.length") == 0  # type: ignore[attr-defined]
    assert d.execute_script("return window.__pwned") is None  # type: ignore[attr-defined]
    assert not d.find_element(By.ID, "error").is_displayed()  # type: ignore[attr-defined]

    # a plain re-run of the pipeline keeps both edits
    results = run([corpus], server.review.run_dir, CONFIG)
    assert len(results.themes) == n - 1
    assert NEW_NAME in set(results.themes["label"])
    assert "Chasing payments" in (server.review.run_dir / "report.md").read_text()
    outcomes = results.manifest["edits"]
    assert [o["applied"] for o in outcomes] == [True]  # the merge (renames are not structural)


def test_customer_text_never_runs(browser: object, server: ReviewServer) -> None:
    from selenium.webdriver.common.by import By

    d = browser
    open_page(d, server)
    assert d.execute_script("return window.__pwned") is None  # type: ignore[attr-defined]
    data = server.review.snapshot.data
    for quote in (SCRIPT_QUOTE, IMG_QUOTE):
        i = data["units"]["text"].index(quote)
        dot = d.find_element(By.CSS_SELECTOR, f'#map circle[data-i="{i}"]')  # type: ignore[attr-defined]
        d.execute_script(CLICK, dot)  # type: ignore[attr-defined]  # dots overlap: click by script
        shown = d.find_element(By.ID, "unit-text").text  # type: ignore[attr-defined]
        assert shown == quote
    assert d.execute_script("return document.scripts.length") == 1  # type: ignore[attr-defined]
    assert d.execute_script("return document.images.length") == 0  # type: ignore[attr-defined]

    # map.html, opened as a file, is script-free and shows the quote in its hover text
    d.get((server.review.run_dir / "map.html").as_uri())  # type: ignore[attr-defined]
    titles = d.execute_script(  # type: ignore[attr-defined]
        "return Array.from(document.querySelectorAll('circle title'), t => t.textContent)"
    )
    assert any(SCRIPT_QUOTE in t for t in titles)
    assert any(IMG_QUOTE in t for t in titles)
    assert d.execute_script("return window.__pwned") is None  # type: ignore[attr-defined]
    assert d.execute_script("return document.images.length") == 0  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------- many themes


@pytest.fixture(scope="module")
def many_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_many_themes_run(tmp_path_factory.mktemp("many") / "many")


@pytest.fixture(scope="module")
def many_server(many_run: Path) -> Iterator[ReviewServer]:
    """Read-only: nothing is edited on this run, so one server serves every test."""
    srv = make_server(many_run, port=0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()


def hue_and_lightness(colour: str) -> tuple[float, float]:
    import colorsys

    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, _ = colorsys.rgb_to_hls(r, g, b)
    return hue, lightness


def names_overlap(d: Any, selector: str) -> list[tuple[str, str]]:
    """Pairs of theme names drawn on top of each other on a map."""
    boxes = d.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]), t => {"
        " const b = t.getBoundingClientRect();"
        " return [t.textContent, b.left, b.top, b.right, b.bottom]; })",
        selector,
    )
    return [
        (a[0], b[0])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] < b[3] - 1 and b[1] < a[3] - 1 and a[2] < b[4] - 1 and b[2] < a[4] - 1
    ]


def test_a_page_with_24_themes_in_groups_reads_at_a_glance(
    browser: Any, many_server: ReviewServer
) -> None:
    from selenium.webdriver.support.ui import Select

    data = call(many_server, "/api/run")[1]
    themes = {t["theme_id"]: t for t in data["themes"]}
    assert len(themes) == 24 and len({t["colour"] for t in themes.values()}) == 24
    assert [g["label"] for g in data["groups"]][:1] == ["Support"]  # biggest group first
    for g in data["groups"]:
        assert sorted(themes[t]["label"] for t in g["themes"]) == sorted(GROUPS[g["label"]])
        shades = [hue_and_lightness(themes[t]["colour"]) for t in g["themes"]]
        assert max(h for h, _ in shades) - min(h for h, _ in shades) < 0.06  # about one hue
        assert len({round(light, 2) for _, light in shades}) == 4  # in four shades
    hues = [hue_and_lightness(g["colour"])[0] for g in data["groups"]]
    gaps = [abs(a - b) for i, a in enumerate(hues) for b in hues[i + 1 :]]
    assert min(min(g, 1 - g) for g in gaps) > 0.15  # six groups, six hues far apart

    d = browser
    d.get(many_server.url)
    wait_for(d, lambda d: up_to_date(d) and d.find_elements(By.CSS_SELECTOR, ".group"))
    assert "24 themes in 6 groups" in d.find_element(By.ID, "counts").text
    assert "shades of one colour" in d.find_element(By.CSS_SELECTOR, "#map-pane .hint").text
    groups = d.find_elements(By.CSS_SELECTOR, "#themes details.group")
    summaries = [g.find_element(By.CSS_SELECTOR, "summary").text for g in groups]
    assert [s.split("\n")[0] for s in summaries] == [g["label"] for g in data["groups"]]
    assert "4 themes · 64 units · 1 hidden" in summaries[-1]  # Access, with its hidden theme
    assert not any(c.is_displayed() for c in cards(d))  # groups start closed: an overview

    # every theme's name is on the map, none on top of another; the hidden one greyed
    names = {t.text: t for t in d.find_elements(By.CSS_SELECTOR, "#map text.name")}
    assert set(names) == {t["label"] for t in themes.values()}
    assert names_overlap(d, "#map text.name") == []
    hidden = next(t for t in themes.values() if t["label"] == HIDDEN_THEME)["theme_id"]
    assert "hid" in names[HIDDEN_THEME].get_attribute("class")
    fills = d.execute_script(
        "return Object.fromEntries(Array.from(document.querySelectorAll('#map g.dots'), "
        "g => [g.dataset.theme, g.getAttribute('fill')]))"
    )
    assert fills[str(hidden)] == "#9a9a9a"
    assert all(fills[str(t)] == themes[t]["colour"] for t in themes if t != hidden)

    # opening a group lists its themes and picks the group out on the map
    access = groups[-1]
    press(d, access.find_element(By.CSS_SELECTOR, "summary"))
    inside = access.find_elements(By.CSS_SELECTOR, ".theme")
    assert all(c.is_displayed() for c in inside) and len(inside) == 4
    assert not groups[0].find_element(By.CSS_SELECTOR, ".theme").is_displayed()
    members = set(data["groups"][-1]["themes"])
    assert dimmed(d) == all_themes(d) - members
    # a theme card picks out that theme alone; clicking empty map space shows all again
    first = inside[0]
    press(d, first.find_element(By.CSS_SELECTOR, ".theme-head"))
    assert dimmed(d) == all_themes(d) - {int(first.get_attribute("data-theme"))}
    d.execute_script(CLICK, d.find_element(By.ID, "map"))
    assert dimmed(d) == set()
    press(d, access.find_element(By.CSS_SELECTOR, "summary"))  # closes again
    assert not inside[0].is_displayed()

    # clicking a dot opens its group at its theme, and offers where to move it
    u = data["units"]
    i = next(k for k, t in enumerate(u["theme_id"]) if t == data["groups"][0]["themes"][1])
    d.execute_script(CLICK, d.find_element(By.CSS_SELECTOR, f'#map circle[data-i="{i}"]'))
    card = card_for(d, u["theme_id"][i])
    assert card.is_displayed() and "active" in card.get_attribute("class")
    target = Select(d.find_element(By.ID, "unit-target"))
    assert target.first_selected_option.get_attribute("value") == ""  # "choose…", not theme 0
    values = [o.get_attribute("value") for o in target.options]
    assert values[:2] == ["", "-1"] and str(u["theme_id"][i]) not in values
    assert len(values) == 2 + 23
    assert not d.find_element(By.ID, "unit-move").is_enabled()
    press(d, d.find_element(By.ID, "unit-close"))

    # stability is explained in words where it is shown
    note = d.find_element(By.ID, "stability-note").text
    assert "80% samples" in note and "1.00 = found again exactly, every time" in note
    assert "80% samples" in card.find_element(By.CSS_SELECTOR, ".facts").get_attribute("title")

    # hovering a dot lights up its theme and fades the rest, and says which theme it is
    d.execute_script(CLICK, d.find_element(By.ID, "map"))
    hovered = hover_lights_up_its_theme(d, "#map g.dots")
    tip = d.find_element(By.ID, "tip")
    assert tip.is_displayed() and tip.text.startswith(f"{hovered}: {themes[hovered]['label']}")


def test_map_html_lights_up_the_hovered_theme_and_picks_out_legend_entries(
    browser: Any, many_run: Path, tmp_path: Path
) -> None:
    from voc.outputs.map import write_map

    d = browser
    d.get((many_run / "map.html").as_uri())
    texts = [t.text for t in d.find_elements(By.CSS_SELECTOR, "svg text")]
    assert len(texts) == 24 and names_overlap(d, "svg text") == []
    groups = d.find_elements(By.CSS_SELECTOR, "aside details")
    assert [g.find_element(By.CSS_SELECTOR, "summary a").text for g in groups][:1] == ["Support"]
    assert len(groups) == 6
    hover_lights_up_its_theme(d, "svg g.theme")

    # a legend entry picks its theme out; a group's entry its group; "show all" undoes it
    themes = load_table(many_run / "themes.parquet")
    pick = int(themes["theme_id"].iloc[5])
    press(d, d.find_element(By.CSS_SELECTOR, f'aside a[href="#t-{pick}"]'))
    seen = opacities(d, "svg g.theme")
    assert seen[pick] == 1 and max(o for t, o in seen.items() if t != pick) < 0.2
    press(d, groups[0].find_element(By.CSS_SELECTOR, "summary a"))
    support = set(themes.loc[themes["group_label"] == "Support", "theme_id"])
    seen = opacities(d, "svg g.theme")
    assert {t for t, o in seen.items() if o == 1} == support
    press(d, d.find_element(By.LINK_TEXT, "show all"))
    assert set(opacities(d, "svg g.theme").values()) <= {1.0, 0.5}  # hidden themes half

    # themes without groups (a run made before groups existed): the same hover, a flat legend
    flat = tmp_path / "map.html"
    write_map(
        load_table(many_run / "units.parquet"),
        themes.drop(columns=["parent_id", "group_label"]),
        flat,
    )
    d.get(flat.as_uri())
    assert not d.find_elements(By.CSS_SELECTOR, "aside details")
    assert len(d.find_elements(By.CSS_SELECTOR, "aside li")) == 24 + 1  # and unclustered
    hover_lights_up_its_theme(d, "svg g.theme")


# ------------------------------------------------------------------------------- edits in the page


def test_the_page_notices_edits_made_elsewhere_and_keeps_what_was_typed(
    browser: Any, server: ReviewServer
) -> None:
    from typer.testing import CliRunner

    from voc.cli import app

    d = browser
    open_page(d, server)
    first, second = (int(c.get_attribute("data-theme")) for c in cards(d)[:2])
    press(d, card_for(d, second).find_element(By.CSS_SELECTOR, "button.rename"))
    card_for(d, second).find_element(By.CSS_SELECTOR, ".editor-input").send_keys(
        Keys.END, " (half-typed)"
    )
    typed = (
        card_for(d, second).find_element(By.CSS_SELECTOR, ".editor-input").get_attribute("value")
    )
    press(d, d.find_element(By.CSS_SELECTOR, "#segments button.seg-rename"))
    d.find_element(By.CSS_SELECTOR, ".seg-input").send_keys(Keys.END, " (draft)")
    segment_typed = d.find_element(By.CSS_SELECTOR, ".seg-input").get_attribute("value")

    def still_typed(d: Any) -> None:
        box = card_for(d, second).find_element(By.CSS_SELECTOR, ".editor-input")
        assert box.is_displayed() and box.get_attribute("value") == typed
        seg = d.find_element(By.CSS_SELECTOR, ".seg-input")
        assert seg.get_attribute("value") == segment_typed

    # another tab renames a theme: the page says so, and reloads only when asked
    edit = {"op": "rename_theme", "theme": first, "label": "Named in another tab"}
    assert call(server, "/api/edit", edit)[0] == 202
    wait_for(d, stale_banner, 30)
    assert status_text(d) != "up to date"
    assert "Named in another tab" not in labels(d)
    press(d, d.find_element(By.ID, "reload"))
    wait_for(d, lambda d: "Named in another tab" in labels(d))
    assert not stale_banner(d) and status_text(d) == "up to date"
    still_typed(d)

    # the command line renames another: the same
    done = CliRunner().invoke(
        app, ["theme", "rename", str(server.review.run_dir), str(second), "Named in a terminal"]
    )
    assert done.exit_code == 0, done.output
    wait_for(d, stale_banner, 30)
    assert status_text(d) != "up to date"
    press(d, d.find_element(By.ID, "reload"))
    wait_for(d, lambda d: "Named in a terminal" in labels(d))
    still_typed(d)  # what the person was typing wins over the terminal's name in the box
    assert status_text(d) == "up to date"


def test_split_and_hide_ask_before_they_change_anything(browser: Any, server: ReviewServer) -> None:
    from voc.review.edits import load_edits

    d = browser
    open_page(d, server)
    run_dir = server.review.run_dir
    n = len(cards(d))
    big, other = sorted(server.review.current().data["themes"], key=lambda t: -t["size"])[:2]

    card = card_for(d, big["theme_id"])
    press(d, card.find_element(By.CSS_SELECTOR, "button.split"))
    ask = card.find_element(By.CSS_SELECTOR, ".confirm")
    assert ask.is_displayed()
    assert f"Split '{big['label']}' ({big['size']} units) into 2 themes?" in ask.text
    press(d, ask.find_element(By.CSS_SELECTOR, ".confirm-no"))
    assert not ask.is_displayed()
    assert load_edits(run_dir) == []  # asking changed nothing

    card = card_for(d, other["theme_id"])
    press(d, card.find_element(By.CSS_SELECTOR, "button.hide"))
    ask = card.find_element(By.CSS_SELECTOR, ".confirm")
    assert ask.is_displayed() and f"Hide '{other['label']}'?" in ask.text
    assert load_edits(run_dir) == []
    press(d, ask.find_element(By.CSS_SELECTOR, ".confirm-yes"))
    wait_for(
        d,
        lambda d: (
            up_to_date(d) and "is-hidden" in card_for(d, other["theme_id"]).get_attribute("class")
        ),
    )
    assert [e["op"] for e in load_edits(run_dir)] == ["hide_theme"]
    hidden = d.find_element(By.CSS_SELECTOR, f'#map g.dots[data-theme="{other["theme_id"]}"]')
    assert hidden.get_attribute("fill") == "#9a9a9a"  # greyed on the map

    card = card_for(d, big["theme_id"])
    press(d, card.find_element(By.CSS_SELECTOR, "button.split"))
    press(d, card.find_element(By.CSS_SELECTOR, ".confirm-yes"))
    wait_for(d, lambda d: up_to_date(d) and len(cards(d)) == n + 1)
    assert [e["op"] for e in load_edits(run_dir)] == ["hide_theme", "split_theme"]


def test_a_moved_unit_is_shown_in_its_new_theme(browser: Any, server: ReviewServer) -> None:
    from selenium.webdriver.support.ui import Select

    d = browser
    open_page(d, server)
    data = server.review.current().data
    u = data["units"]
    into = max(data["themes"], key=lambda t: t["size"])
    i = next(k for k, t in enumerate(u["theme_id"]) if t not in (-1, into["theme_id"]))
    unit, was = u["unit_id"][i], u["theme_id"][i]
    d.execute_script(CLICK, d.find_element(By.CSS_SELECTOR, f'#map circle[data-i="{i}"]'))
    assert dimmed(d) == all_themes(d) - {was}
    target = Select(d.find_element(By.ID, "unit-target"))
    assert target.first_selected_option.text == "choose where to move it…"
    assert "unclustered (no theme)" in [o.text for o in target.options]
    move = d.find_element(By.ID, "unit-move")
    assert not move.is_enabled()
    target.select_by_value(str(into["theme_id"]))
    assert move.is_enabled()
    move.click()
    wait_for(d, lambda d: up_to_date(d) and "Moved unit" in d.find_element(By.ID, "edits").text)

    after = call(server, "/api/run")[1]
    where = dict(zip(after["units"]["unit_id"], after["units"]["theme_id"], strict=True))
    now = where[unit]
    assert now == where[into["quotes"][0]["unit_id"]]  # with the target theme's members
    assert dimmed(d) == all_themes(d) - {now}  # the map picks out its new theme
    ring = d.find_element(By.ID, "ring")
    dot = d.find_element(By.CSS_SELECTOR, "#map circle.sel")
    assert ring.is_displayed() and ring.get_attribute("cx") == dot.get_attribute("cx")
    assert dot.find_element(By.XPATH, "..").get_attribute("data-theme") == str(now)
    assert "active" in card_for(d, now).get_attribute("class")
    assert f"now in {now}: " in d.find_element(By.ID, "unit-source").text


def test_an_answer_found_by_its_words_can_be_moved(browser: Any, server: ReviewServer) -> None:
    from selenium.webdriver.support.ui import Select

    d = browser
    open_page(d, server)
    data = server.review.current().data
    into = max(data["themes"], key=lambda t: t["size"])
    units = server.review.current().units
    unit = units[~units["theme_id"].isin([-1, into["theme_id"]])].iloc[0]
    words = " ".join(unit["text"].split()[:5])
    d.find_element(By.ID, "find-q").send_keys(words + Keys.ENTER)
    wait_for(d, lambda d: d.find_elements(By.CSS_SELECTOR, "#find-results li"))
    assert "answer" in d.find_element(By.ID, "find-count").text
    hit = next(
        li
        for li in d.find_elements(By.CSS_SELECTOR, "#find-results li")
        if unit["text"][:40] in li.text
    )
    hit.click()
    assert d.find_element(By.ID, "unit-box").is_displayed()
    assert d.find_element(By.ID, "unit-text").text.startswith(unit["text"][:40])
    Select(d.find_element(By.ID, "unit-target")).select_by_value(str(into["theme_id"]))
    d.find_element(By.ID, "unit-move").click()
    wait_for(d, lambda d: up_to_date(d) and "Moved unit" in d.find_element(By.ID, "edits").text)
    now = f"now in {into['theme_id']}: "
    wait_for(d, lambda d: now in d.find_element(By.ID, "unit-source").text)
    # The list is read again after the move: the answer is listed under its new theme.
    moved = f"— {into['theme_id']}: "
    wait_for(
        d,
        lambda d: any(
            unit["text"][:40] in li.text and moved in li.text
            for li in d.find_elements(By.CSS_SELECTOR, "#find-results li")
        ),
    )


def test_a_hundred_thousand_answers_open_on_a_sample_map_and_every_one_is_found(
    browser: Any, tmp_path: Path
) -> None:
    """The demo run with each answer a hundred times over (jittered on the map)."""
    import numpy as np
    import pandas as pd

    from voc.core.store import save_table

    big = tmp_path / "big"
    shutil.copytree(Path(__file__).resolve().parents[1] / "reports" / "demo", big)
    units = load_table(big / "units.parquet")
    rng = np.random.default_rng(0)
    copies = [
        units.assign(
            unit_id=units["unit_id"] + f"-{k}",
            text=units["text"] + f" (copy {k})",
            x=units["x"] + rng.normal(0, 0.05, len(units)),
            y=units["y"] + rng.normal(0, 0.05, len(units)),
        )
        for k in range(100)
    ]
    every = pd.concat(copies, ignore_index=True)
    save_table(every, big / "units.parquet")
    srv = make_server(big, port=0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        d = browser
        d.get(srv.url)
        wait_for(d, up_to_date)
        voiced = every[is_voice(every)]
        points = srv.review.current().data["units"]
        shown = set(points["unit_id"])
        assert 5000 <= len(shown) <= 6000  # a sample of the answers, every theme in it
        assert set(points["theme_id"]) == set(voiced["theme_id"])
        counts = d.find_element(By.ID, "counts").text
        assert f"{len(voiced)} units (map shows {len(shown)})" in counts
        assert len(d.find_elements(By.CSS_SELECTOR, "#map circle[data-i]")) == len(shown)
        plain = voiced["text"].str.split().str.join(" ") == voiced["text"]  # reads as it shows
        text = voiced.loc[plain & ~voiced["unit_id"].isin(shown), "text"].iloc[-1]  # not drawn
        d.find_element(By.ID, "find-q").send_keys(text + Keys.ENTER)
        wait_for(
            d,
            lambda d: any(
                li.find_element(By.CSS_SELECTOR, ".quote").text == text
                for li in d.find_elements(By.CSS_SELECTOR, "#find-results li")
            ),
        )
    finally:
        srv.shutdown()
        srv.server_close()
