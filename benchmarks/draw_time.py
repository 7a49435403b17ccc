"""How long a run's `map.html` and its review page take to draw in headless Chromium.

The figure is the time from the start of navigation until the page's map has its dots (and the
review page says it is up to date), two animation frames later: the dots are on screen. Needs
``chromium``, ``chromedriver`` and selenium (the test extra). Prints one JSON line.

    .venv/bin/python benchmarks/draw_time.py reports/demo
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import threading
from pathlib import Path

DRAWN = """
const done = arguments[0];
const status = () => document.querySelector("#status");
const ready = () => document.querySelectorAll("svg circle").length > 0 &&
  (!status() || status().textContent === "up to date");
const drawn = () => done(performance.now());
const frames = () => requestAnimationFrame(() => requestAnimationFrame(drawn));
const check = () => (ready() ? frames() : setTimeout(check, 10));
check();
"""
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--window-size=1400,1000",
)


def available() -> bool:
    """Chromium, its driver and selenium are all here."""
    import importlib.util

    tools = shutil.which("chromium") and shutil.which("chromedriver")
    return bool(tools) and importlib.util.find_spec("selenium") is not None


def draw_times(run_dir: Path) -> dict[str, float]:
    """Seconds to draw map.html and the review page of `run_dir`, and map.html's size in MB."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from voc.review.server import make_server

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or ""
    for flag in FLAGS:
        options.add_argument(flag)
    server = make_server(run_dir)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        driver.set_script_timeout(120)
        try:
            for name, url in (
                ("map_html", (run_dir / "map.html").as_uri()),
                ("review", server.url),
            ):
                driver.get(url)
                times[name] = round(driver.execute_async_script(DRAWN) / 1000, 2)
        finally:
            driver.quit()
            server.shutdown()
    times["map_html_mb"] = round((run_dir / "map.html").stat().st_size / 1e6, 2)
    return times


if __name__ == "__main__":
    print(json.dumps(draw_times(Path(sys.argv[1]).resolve())))
