"""The HTML graph in real headless Chromium."""

import shutil
from pathlib import Path

import pytest

from kg import analysis, viz
from kg.build import build
from kg.store import open_store

pytestmark = [pytest.mark.model, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.skip("Chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chrome = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield chrome
        chrome.close()


def open_page(browser, path: Path, fragment: str = ""):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests, errors, dialogs = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri() + fragment)
    page.wait_for_selector("body[data-stable=yes]", timeout=60000)
    return page, requests, errors, dialogs


def write_page(store_path, out: Path) -> tuple[int, int]:
    with open_store(store_path, read_only=True) as store:
        graph = analysis.load_graph(store)
    out.write_text(viz.render(graph), encoding="utf-8")
    return graph.number_of_nodes(), graph.number_of_edges()


def test_viz_page_draws_every_node_offline(browser, sample_store, tmp_path):
    out = tmp_path / "graph.html"
    nodes, edges = write_page(sample_store, out)
    page, requests, errors, _ = open_page(browser, out)
    assert page.get_attribute("body", "data-nodes") == str(nodes)
    assert page.get_attribute("body", "data-edges") == str(edges)
    assert requests == [out.as_uri()], requests  # nothing but the file itself
    assert errors == []
    found = page.evaluate("window.kgFind('ISIS')")  # an alias finds the node
    assert found.endswith("group/islamic-state")
    assert "Islamic State" in page.inner_text("#info")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "graph.png"))


HOSTILE = """Hostile <script>window.pwned = 1; alert('x')</script> report

ISIS threatened Mark Zuckerberg <img src=x onerror="window.pwned=2;alert('y')"> in a video.
Twitter suspended accounts linked to ISIS "</script><script>window.pwned=3</script>" and <a href="javascript:window.pwned=4">click</a>.
"""


def test_viz_hostile_article_runs_no_script(browser, tmp_path):
    text = tmp_path / "in" / "hostile.txt"
    text.parent.mkdir()
    text.write_text(HOSTILE)
    with open_store(tmp_path / "s", create=True) as store:
        build(store, [str(text.parent)])
    out = tmp_path / "hostile.html"
    write_page(tmp_path / "s", out)
    page, requests, errors, dialogs = open_page(browser, out, "#Twitter")
    assert page.get_attribute("body", "data-found")  # the evidence panel shows the hostile sentence
    assert "onerror" in page.inner_text("#info") or "suspended" in page.inner_text("#info")
    page.evaluate("window.kgFind('ISIS')")
    assert page.evaluate("window.pwned === undefined")
    assert dialogs == [] and errors == []
    assert all(url.startswith("file://") for url in requests)
    assert page.locator("#info img").count() == 0 and page.locator("#info script").count() == 0
