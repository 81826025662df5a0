"""Every command through the real CLI, with real inputs."""

import json
import re

import pytest

from kg.cli import main

from conftest import ISIS, ROOT, SAMPLES

pytestmark = pytest.mark.model


def invoke(runner, *args):
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_cli_help_has_examples(runner):
    result = invoke(runner, "--help")
    assert result.exit_code == 0 and "Example:" in result.output
    for name in main.commands:
        sub = invoke(runner, name, "--help")
        assert sub.exit_code == 0 and "Example:" in sub.output, name
        examples = sub.output.split("Example:")[1].split("Options:")[0].split("\n")
        # One command a line, as written: not rewrapped into a paragraph.
        written = {line.strip() for line in main.commands[name].help.splitlines()}
        assert all(line.strip() in written for line in examples), name


def test_cli_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name in main.commands:
        assert re.search(rf"\bkg {name}\b", readme), f"kg {name} is not documented in README.md"


def test_cli_build_summary_and_idempotence(runner, tmp_path):
    store = tmp_path / "s"
    first = invoke(runner, "build", ISIS, "--store", store)
    assert first.exit_code == 0
    assert re.search(r"1 new, 0 replaced, 0 unchanged document\(s\); \d+ entities, \d+ relations", first.output)
    again = invoke(runner, "build", ISIS, "--store", store)
    assert "0 new, 0 replaced, 1 unchanged" in again.output


def test_cli_build_reports_skips_and_fails_when_nothing_readable(runner, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    result = runner.invoke(main, ["build", str(tmp_path / "in"), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "skipped:" in result.output and "is empty" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "s").exists()  # no empty store left behind


def test_cli_failed_first_build_leaves_no_store(runner, tmp_path, store_copy):
    result = runner.invoke(main, ["build", str(SAMPLES), "--store", str(tmp_path / "s"), "--model", "no_such_model"])
    assert result.exit_code == 1 and "not installed" in result.output
    assert not (tmp_path / "s").exists()
    (tmp_path / "new.txt").write_text("Hackers attacked the bank.")
    result = runner.invoke(main, ["build", str(tmp_path / "new.txt"), "--store", str(store_copy), "--model", "no_such_model"])
    assert result.exit_code == 1 and (store_copy / "kg-store.json").exists()  # an existing store is kept


def test_cli_missing_input_is_one_line_error(runner, tmp_path):
    result = runner.invoke(main, ["build", str(tmp_path / "nope.txt"), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error:") and len(result.output.strip().splitlines()) == 1


def test_cli_query_formats(runner, sample_store):
    table = invoke(runner, "query", "threats", "--store", sample_store)
    assert table.exit_code == 0 and "Mark Zuckerberg" in table.output
    rows = json.loads(invoke(runner, "query", "bans", "--store", sample_store, "--format", "json").output)
    assert {"platform", "banned", "sentence"} <= set(rows[0])
    csv_out = invoke(runner, "query", "roles", "--store", sample_store, "--format", "csv").output
    assert csv_out.splitlines()[0] == "person,role,organization"
    tsv_out = invoke(runner, "query", "entity", "--param", "name=Twitter", "--store", sample_store, "--format", "tsv")
    assert "\t" in tsv_out.output


def test_cli_query_pages(runner, sample_store):
    def page(*options):
        result = invoke(runner, "query", "threats", "--store", sample_store, "--format", "json", *options)
        return json.loads(result.stdout), result.stderr

    everything, note = page("--limit", "0")
    assert len(everything) > 3 and not note
    first, note = page("--limit", "2")
    assert first == everything[:2] and "--offset 2" in note
    second, _ = page("--limit", "2", "--offset", "2")
    assert second == everything[2:4]
    last, note = page("--offset", str(len(everything) - 1))
    assert last == everything[-1:] and not note


def test_cli_query_errors_exit_1(runner, sample_store):
    bad = runner.invoke(main, ["query", "SELECT ?x WHERE {", "--store", str(sample_store)])
    assert bad.exit_code == 1 and "line 1, column" in bad.output
    unknown = runner.invoke(main, ["query", "nosuchquery", "--store", str(sample_store)])
    assert unknown.exit_code == 1 and "threats" in unknown.output


def test_cli_usage_error_exits_2(runner):
    assert runner.invoke(main, ["query"]).exit_code == 2


def test_cli_export_to_file(runner, sample_store, tmp_path):
    out = tmp_path / "graph.ttl"
    result = invoke(runner, "export", "--store", sample_store, "-o", out)
    assert result.exit_code == 0 and out.read_text().startswith("@prefix")
    nt = invoke(runner, "export", "--store", sample_store, "--format", "nt")
    assert nt.output.count(" .\n") > 100


def test_cli_viz_writes_self_contained_page(runner, sample_store, tmp_path):
    out = tmp_path / "g.html"
    result = invoke(runner, "viz", "--store", sample_store, "-o", out, "--types", "Group,Person,Platform")
    assert result.exit_code == 0
    page = out.read_text()
    assert "vis.Network" in page and "cdn" not in page.lower() and "<script src" not in page


def test_cli_viz_focus_unknown_entity(runner, sample_store, tmp_path):
    result = runner.invoke(main, ["viz", "--store", str(sample_store), "--focus", "Nobody Atall", "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 1 and "no entity named" in result.output


def test_cli_stats_and_path(runner, sample_store):
    stats = json.loads(invoke(runner, "stats", "--store", sample_store, "--json").output)
    assert stats["documents"] == len(list(SAMPLES.glob("*.txt")))
    assert stats["by_type"]["Group"] > 0 and stats["central"]
    path = invoke(runner, "path", "Jack Dorsey", "Telegram", "--store", sample_store)
    assert path.exit_code == 0 and "—" in path.output


def test_cli_documents_and_remove(runner, store_copy):
    listed = invoke(runner, "documents", "--store", store_copy).output
    assert "isis_threatens_tech_ceos.txt" in listed
    removed = invoke(runner, "remove", "isis_threatens_tech_ceos.txt", "--store", store_copy)
    assert removed.exit_code == 0
    assert "isis_threatens_tech_ceos.txt" not in invoke(runner, "documents", "--store", store_copy).output


def test_cli_queries_lists_ready_queries(runner):
    out = invoke(runner, "queries").output
    assert "threats" in out and "--param name=" in out


def test_cli_viz_draws_a_construct_query(runner, sample_store, tmp_path):
    rq = tmp_path / "threats.rq"
    rq.write_text("CONSTRUCT { ?s kg:threatens ?o } WHERE { ?s kg:threatens ?o }")
    result = invoke(runner, "viz", "--store", sample_store, "--query", rq, "-o", tmp_path / "t.html")
    assert result.exit_code == 0
    nodes, edges = map(int, re.search(r"(\d+) nodes, (\d+) edges", result.output).groups())
    assert edges >= 4 and nodes <= edges + 1
    select = tmp_path / "bad.rq"
    select.write_text("SELECT ?x WHERE { ?x a kg:Group }")
    bad = runner.invoke(main, ["viz", "--store", str(sample_store), "--query", str(select), "-o", str(tmp_path / "b.html")])
    assert bad.exit_code == 1 and "?s ?p ?o" in bad.output
