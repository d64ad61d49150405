"""The Textual-free core, by role: ``text``, ``pages``, ``search``, ``store`` and ``system``.

Nothing in this package may import ``textual``; the layer contracts between the roles are
enforced by ``tests/test_layers.py``.
"""
