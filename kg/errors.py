"""The exceptions kg raises for problems a user can fix."""


class KGError(Exception):
    """Base class: a problem with input, configuration or the store, with a message for the user."""

    exit_code = 1


class InputError(KGError):
    """A document or input path cannot be read."""


class ModelError(KGError):
    """The spaCy model cannot be loaded."""


class StoreError(KGError):
    """The graph store cannot be opened, read or written."""


class StoreLockedError(StoreError):
    """Another process holds the store."""


class QueryError(KGError):
    """A SPARQL query is malformed, unknown, missing a parameter or too slow."""


class FormatError(KGError):
    """An output or input format is not supported."""


class ClusterError(KGError):
    """The Dask scheduler cannot be reached or is unusable."""
