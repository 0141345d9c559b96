"""Kabar: many outlets' reports of one story, reconciled into one cited picture."""

from kabar.model import KABAR_VERSION as __version__

__all__ = ["__version__"]
