"""kg build on a real dask.distributed cluster (two worker processes)."""

import pytest
from conftest import SAMPLES, export_quads

from kg.cli import main

pytestmark = pytest.mark.model
distributed = pytest.importorskip("distributed")


def _models_loaded() -> int:
    from kg import pipeline

    return len(pipeline._NLP)


def test_cluster_build_equals_single_process_graph(runner, sample_store, tmp_path):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        result = runner.invoke(main, ["build", str(SAMPLES), "--store", str(tmp_path / "store"), "-q",
                                      "--scheduler", cluster.scheduler_address, "--batch", "2"])
        assert result.exit_code == 0, result.output
        assert "8 new" in result.output
        with distributed.Client(cluster) as client:
            assert list(client.run(_models_loaded).values()) == [1, 1]  # both workers extracted
    assert export_quads(runner, tmp_path / "store") == export_quads(runner, sample_store)


def test_cluster_unreachable_scheduler_is_one_clean_error(runner, tmp_path):
    from conftest import free_port

    result = runner.invoke(main, ["build", str(SAMPLES), "--store", str(tmp_path / "store"), "-q",
                                  "--scheduler", f"tcp://127.0.0.1:{free_port()}"])
    assert result.exit_code == 1
    assert "cannot reach the Dask scheduler" in result.output and "Traceback" not in result.output


def test_cluster_worker_processes_give_the_single_process_graph(runner, sample_store, tmp_path):
    result = runner.invoke(main, ["build", str(SAMPLES), "--store", str(tmp_path / "store"), "-q",
                                  "--workers", "2", "--batch", "2"])
    assert result.exit_code == 0, result.output
    assert export_quads(runner, tmp_path / "store") == export_quads(runner, sample_store)


def test_cluster_workers_read_the_input_as_they_go():
    from kg.documents import text_document
    from kg.pipeline import extract_all

    read = []

    def documents():
        for n in range(40):
            read.append(n)
            yield text_document(f"d{n}.txt", f"Article {n}\n\nISIS threatened Twitter on day {n}.")

    results = extract_all(documents(), workers=2, batch=2)
    next(results)
    assert len(read) <= (2 * 2 + 1) * 2  # a window of four batches in flight, not the whole input
    assert len(list(results)) == 39
