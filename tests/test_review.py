"""The review page (voc.review): edits made in a real browser are saved, shown after the
refresh and survive a re-run; every action through the JSON API; customer text never runs."""

from __future__ import annotations

import csv
import json
import random
import shutil
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from voc.config import Config
from voc.pipeline import run
from voc.review import ReviewServer, make_server
from voc.store import load_table, read_json, write_json

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
    """Split, hide and move in one batch, beside a stale edit whose theme is gone."""
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
    data = post_all(
        server,
        [
            {"op": "split_theme", "theme": split["theme_id"], "parts": 2},
            {"op": "hide_theme", "theme": hide["theme_id"]},
            {"op": "move_unit", "unit_id": moved, "theme": into["theme_id"]},
        ],
    )
    assert len(data["themes"]) == n + 1
    table = load_table(run_dir / "units.parquet").set_index("unit_id")
    hidden = [t["theme_id"] for t in data["themes"] if t["hidden"]]
    assert hidden == [table.loc[hide["quotes"][0]["unit_id"], "theme_id"]]
    assert table.loc[moved, "theme_id"] == table.loc[into["quotes"][0]["unit_id"], "theme_id"]
    outcomes = read_json(run_dir / "manifest.json")["edits"]
    assert [o["applied"] for o in outcomes] == [False, True, True, True]
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
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(check)  # type: ignore[arg-type]


CLICK = "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))"


def cards(driver: object) -> list:
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, "#themes .theme")  # type: ignore[attr-defined]


def up_to_date(driver: object) -> bool:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, "status").text == "up to date"  # type: ignore[attr-defined]


def labels(driver: object) -> list[str]:
    from selenium.webdriver.common.by import By

    return [c.find_element(By.CSS_SELECTOR, ".label").text for c in cards(driver)]


NEW_NAME = 'Chasing payments <img src=x onerror="window.__pwned=3">'


def test_edits_in_the_browser_survive_a_rerun(
    browser: object, server: ReviewServer, corpus: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    d = browser
    d.get(server.url)  # type: ignore[attr-defined]
    wait_for(d, lambda d: up_to_date(d) and cards(d))
    n = len(cards(d))
    assert n >= 4

    # clicking a theme highlights it on the map
    first = cards(d)[0]
    first.find_element(By.CSS_SELECTOR, ".theme-head").click()
    assert "active" in first.get_attribute("class")
    assert d.find_elements(By.CSS_SELECTOR, "#map circle.dim")  # type: ignore[attr-defined]

    # rename the first theme by typing
    first.find_element(By.CSS_SELECTOR, "button.rename").click()
    box = first.find_element(By.CSS_SELECTOR, ".editor-input")
    box.clear()
    box.send_keys(NEW_NAME, Keys.ENTER)
    wait_for(d, lambda d: up_to_date(d) and NEW_NAME in labels(d))

    # merge the two last themes with the checkboxes and the merge button
    for card in cards(d)[-2:]:
        card.find_element(By.CSS_SELECTOR, "input.pick").click()
    d.find_element(By.ID, "merge-themes").click()  # type: ignore[attr-defined]
    wait_for(d, lambda d: up_to_date(d) and len(cards(d)) == n - 1)

    d.refresh()  # type: ignore[attr-defined]
    wait_for(d, lambda d: up_to_date(d) and cards(d))
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
    d.get(server.url)  # type: ignore[attr-defined]
    wait_for(d, lambda d: up_to_date(d) and cards(d))
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
