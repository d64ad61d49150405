"""swreader: a terminal reader for Chinese-language news about social work."""

__version__ = "0.1.0"
