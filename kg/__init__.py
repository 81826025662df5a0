"""kg: an offline knowledge-graph builder for news about extremist and hacker
groups, online platforms and threats.

Importing ``kg`` is cheap: spaCy, rdflib and pyvis load only when a stage
that needs them runs.
"""

__version__ = "0.1.0"
