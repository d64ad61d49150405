"""Text on its own: bytes to text, cleaning, script conversion, folding, wrapping, figures.

Imports nothing else of the core.
"""
