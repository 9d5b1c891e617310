"""The real gazetteer (B-19a): city and country names -> ISO codes."""

from adapters.gazetteer.geonames import GeonamesGazetteer, fold

__all__ = ["GeonamesGazetteer", "fold"]
