"""Process-level helpers shared by the stores: paths, SQLite files, blobs, memory.

Imports nothing else of the core.
"""
