"""Money and dates in the studio's locale, on Babel (the ``Formats`` port)."""

from adapters.babel.formats import BabelFormats, known_locale

__all__ = ["BabelFormats", "known_locale"]
