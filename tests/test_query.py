"""Ready queries, parameters, and query errors."""

import pytest

from kg import query as q
from kg.errors import QueryError
from kg.store import open_store

pytestmark = pytest.mark.model


def run(path, text, **params):
    with open_store(path, read_only=True) as store:
        return q.run(store, q.resolve(text), params)


def test_query_ready_queries_exist_with_descriptions():
    ready = q.ready_queries()
    for name in ("threats", "platforms", "bans", "roles", "entity", "evidence"):
        assert name in ready and ready[name].description


@pytest.mark.parametrize("name", ["threats", "platforms", "bans", "roles"])
def test_query_ready_queries_answer_on_samples(sample_store, name):
    assert run(sample_store, name).rows, name


def test_query_parameter_is_a_literal_not_text(sample_store):
    rows = run(sample_store, "entity", name="ISIS").rows
    assert any(r[3].value == "Telegram" for r in rows)
    assert run(sample_store, "entity", name='ISIS" } } DROP ALL #').rows == []


def test_query_name_parameters_match_any_case(sample_store, tmp_path):
    rows = [run(sample_store, "entity", name=name).rows for name in ("ISIS", "isis", "IsIs")]
    assert rows[0] and rows[0] == rows[1] == rows[2]
    plain = tmp_path / "plain.rq"
    plain.write_text("# @param x a value\nSELECT ?x WHERE {}\n")
    assert not q.resolve(str(plain)).names
    assert run(sample_store, str(plain), x="MiXed").rows[0][0].value == "MiXed"  # @param keeps the case


def test_query_evidence_between_two_entities(sample_store):
    result = run(sample_store, "evidence", a="Twitter", b="ISIS")
    names = [v.value for v in result.variables]
    found = [dict(zip(names, row)) for row in result.rows]
    bans = [row for row in found if row["predicate"].value == "bans"]
    assert bans and int(bans[0]["end"].value) > int(bans[0]["start"].value) and bans[0]["sentence"].value


def test_query_missing_parameter(sample_store):
    with pytest.raises(QueryError, match="--param name="):
        run(sample_store, "entity")


def test_query_unknown_name_lists_ready_queries():
    with pytest.raises(QueryError, match="threats"):
        q.resolve("threatz")


def test_query_malformed_points_at_line_and_column(sample_store):
    with pytest.raises(QueryError, match="line 2, column"):
        run(sample_store, "SELECT ?s WHERE {\n ?s ?p }")


def test_query_update_is_refused(sample_store):
    with pytest.raises(QueryError, match="Update"):
        run(sample_store, "DELETE WHERE { ?s ?p ?o }")
