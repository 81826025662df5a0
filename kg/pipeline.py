"""Documents to facts, in this process, in worker processes, or on a Dask
cluster.

The same function, ``facts_for``, runs everywhere: here, in a
multiprocessing pool, or on a Dask worker. Results come back in input order
whatever runs them, so the graph does not depend on where it was extracted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from collections import deque
from itertools import islice

from . import config
from .errors import ClusterError
from .facts import Document, DocumentFacts

_NLP = {}


def pipeline(model: str | None = None):
    """The loaded spaCy pipeline for ``model``, once per process."""
    name = model or config.default_model()
    if name not in _NLP:
        from . import nlp

        _NLP[name] = nlp.load(name)
    return _NLP[name]


def facts_for(documents: list[Document], model: str | None = None, batch_size: int = config.BATCH_SIZE,
              chunk_chars: int = config.CHUNK_CHARS) -> list[DocumentFacts]:
    """Parse and extract a list of documents."""
    from . import nlp
    from .extract import document_facts, merge

    found: list[DocumentFacts] = []
    for document, docs in nlp.parse(pipeline(model), documents, batch_size, chunk_chars):
        facts = document_facts(document, docs)
        if found and found[-1].document is document:  # the next group of a long document
            facts = merge(found.pop(), facts)
        found.append(facts)
    return found


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def extract_all(documents: Iterable[Document], model: str | None = None, workers: int = 1,
                batch: int = 16, scheduler: str | None = None) -> Iterator[DocumentFacts]:
    """Facts for every document, in input order; ``workers`` > 1 uses that many
    processes, ``scheduler`` (a Dask scheduler address) the cluster behind it."""
    if scheduler:
        yield from _on_cluster(documents, model, batch, scheduler)
        return
    if workers <= 1:
        for group in _batches(documents, batch):
            yield from facts_for(group, model)
        return
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with context.Pool(workers) as pool:
        yield from _windowed(_batches(documents, batch), lambda group: pool.apply_async(facts_for, (group, model)),
                             2 * workers, lambda job: job.get())


def _on_cluster(documents: Iterable[Document], model: str | None, batch: int, scheduler: str) -> Iterator[DocumentFacts]:
    """Each batch of documents is one Dask task, twice as many in flight as the cluster has threads."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise ClusterError("--scheduler needs dask.distributed; install it with: pip install 'kg[dask]'") from exc
    try:
        _probe(scheduler)
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); start it with "
                           f"'dask scheduler' or check --scheduler") from exc
    with client:
        yield from _windowed(_batches(documents, batch), lambda group: client.submit(facts_for, group, model, pure=False),
                             2 * max(1, sum(client.nthreads().values())), lambda job: job.result())


def _windowed(groups: Iterator[list], submit, window: int, result) -> Iterator[DocumentFacts]:
    """Results of jobs in submission order, with at most ``window`` jobs in
    flight: the input is read only as fast as the workers use it, so memory
    does not grow with the number of documents (Pool.imap would read it all)."""
    running: deque = deque()
    for group in groups:
        running.append(submit(group))
        if len(running) >= window:
            yield from result(running.popleft())
    while running:
        yield from result(running.popleft())


def _probe(scheduler: str) -> None:
    """Fail in seconds on a closed TCP port: Dask itself retries until its timeout."""
    if scheduler.startswith("tcp://"):
        import socket
        from urllib.parse import urlsplit

        address = urlsplit(scheduler)
        socket.create_connection((address.hostname, address.port or 8786), timeout=5).close()
