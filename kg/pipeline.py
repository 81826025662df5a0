"""Documents to facts, in this process or in worker processes.

The same function, ``facts_for``, runs everywhere: here, in a
multiprocessing pool, or on a Dask worker.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from . import config
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


def _worker_facts(args):
    documents, model = args
    return facts_for(documents, model)


def extract_all(documents: Iterable[Document], model: str | None = None, workers: int = 1,
                batch: int = 16) -> Iterator[DocumentFacts]:
    """Facts for every document, in input order; ``workers`` > 1 uses that many processes."""
    if workers <= 1:
        for group in _batches(documents, batch):
            yield from facts_for(group, model)
        return
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with context.Pool(workers) as pool:
        jobs = ((group, model) for group in _batches(documents, batch))
        for result in pool.imap(_worker_facts, jobs):
            yield from result
