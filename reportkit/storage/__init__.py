"""The store layer: the SQLite history store with its migrations and provenance
(:mod:`~reportkit.storage.store`), the queries of consolidate and the outputs
(:mod:`~reportkit.storage.queries`, :mod:`~reportkit.storage.export_tables`), decided versions
(:mod:`~reportkit.storage.decisions`), and how a library call gets at them
(:mod:`~reportkit.storage.access`: the project lock and ``opened()``). Only these modules
write SQL."""
