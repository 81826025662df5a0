"""kg build: read documents, extract facts, write them to the store.

Documents already stored with the same content are skipped; a changed
document replaces its old version. Writes are batched transactions of whole
documents, so an interrupted build loses at most the batch in flight and a
second run completes it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .documents import iter_documents
from .facts import Document
from .identity import Identities, unify
from .pipeline import extract_all
from .store import Store


FLUSH_EVERY = 256  # documents


@dataclass
class BuildReport:
    """What a build did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    entities: int = 0
    relations: int = 0
    threats: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    interrupted: bool = False
    seconds: float = 0.0

    @property
    def stored(self) -> int:
        return self.added + self.replaced


def build(store: Store, inputs: Iterable[str], model: str | None = None, workers: int = 1,
          commit_every: int = 16, progress: Callable[[BuildReport, Document], None] | None = None,
          scheduler: str | None = None, batch: int = 16) -> BuildReport:
    """Add the documents under ``inputs`` to ``store``; ``workers`` processes or
    the Dask cluster at ``scheduler`` extract them, ``batch`` documents a task."""
    report = BuildReport()
    started = time.perf_counter()
    stale: dict[str, list[str]] = {}

    def new_documents():
        seen = set()
        for document in iter_documents(inputs, lambda where, why: report.skipped.append((where, why)),
                                       lambda where, why: report.notes.append((where, why))):
            if document.id in seen:
                report.skipped.append((document.id, "appears twice in the input; the first copy was used"))
                continue
            seen.add(document.id)
            versions = store.versions(document.id)
            if document.content_hash[:16] in versions.values():
                report.unchanged += 1
                old = [g for g, h in versions.items() if h != document.content_hash[:16]]
                if old:  # a replacement interrupted between its two steps
                    store.remove_graphs(old)
                if progress:
                    progress(report, document)
                continue
            stale[document.id] = list(versions)
            yield document

    pending = []
    known = Identities.from_store(store)

    def commit() -> None:
        if not pending:
            return
        batch_size = len(pending)
        store.add(pending)
        for facts in pending:
            old = stale.pop(facts.document.id, [])
            store.remove_graphs(old)
            report.replaced += bool(old)
            report.added += not old
            report.entities += len(facts.entities)
            report.relations += len(facts.relations)
            report.threats += len(facts.threats)
        pending.clear()
        if report.stored // FLUSH_EVERY > (report.stored - batch_size) // FLUSH_EVERY:
            store.flush()  # Oxigraph keeps written data in memory until flushed: RSS would grow with the store

    try:
        for facts in extract_all(new_documents(), model, workers, batch, scheduler):
            facts = unify(facts, known)
            pending.append(facts)
            if progress:
                progress(report, facts.document)
            if len(pending) >= commit_every:
                commit()
        commit()
    except KeyboardInterrupt:
        report.interrupted = True
        commit()
    if report.stored and not report.interrupted:
        store.optimize()
    store.flush()
    report.seconds = time.perf_counter() - started
    return report

