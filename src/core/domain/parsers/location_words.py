"""Words the location parser must not take for places (B-19a)."""

from __future__ import annotations

# Never looked up on their own, and never the first or last word of a longer name.
FUNCTION_WORDS: frozenset[str] = frozenset(
    {
        "a", "an", "and", "or", "but", "of", "to", "in", "at", "on", "by", "for", "from", "with",
        "near", "around", "about", "the", "this", "that", "these", "those", "i", "im", "me", "my",
        "we", "us", "our", "you", "your", "he", "she", "it", "its", "is", "am", "are", "was", "be",
        "been", "being", "can", "could", "will", "would", "shall", "should", "may", "might", "must",
        "do", "does", "did", "have", "has", "had", "ill", "id", "ive", "so", "no", "not", "yes",
        "ok", "okay", "please", "thanks", "thank", "hi", "hey", "hello", "just", "also", "too",
        "very", "really", "currently", "now", "based", "live", "living", "lives", "lived", "stay",
        "staying", "home", "work", "working", "travel", "travelling", "traveling", "happy",
        "willing", "able", "go", "going", "come", "coming", "move", "moving", "moved", "visit",
        "visiting", "city", "town", "area", "country", "region", "place", "location", "where",
        "here", "there", "anywhere", "somewhere", "everywhere", "wherever", "flexible", "close",
        "closer", "nearby", "within", "outside", "inside", "north", "south", "east", "west",
        "central", "centre", "center", "greater", "up", "down", "over", "than", "then", "if", "as",
        "all", "any", "some", "most", "much", "more", "less", "best", "same", "one", "two", "three",
        "time", "date", "day", "week", "month", "year", "spring", "summer", "autumn", "fall",
        "winter", "holiday", "uni", "university", "college", "mile", "miles", "km", "along",
        "originally", "born", "raised",
    }
)

# Real towns that are also ordinary words: only taken when written with a capital.
CAPITALISED_ONLY: frozenset[str] = frozenset(
    {
        "nice", "reading", "bath", "mobile", "split", "sale", "deal", "hope", "bury", "march",
        "leek", "orange", "eagle", "phoenix", "victoria", "florence", "regina", "grove",
        "springfield", "normal", "independence", "liberty", "commerce",
    }
)

# Short tokens accepted even when typed in lower case ("london uk").
SHORT_OK: frozenset[str] = frozenset({"uk", "usa", "uae", "nyc", "ldn", "mcr", "edi"})

# Function words that may still end a multi-word name ("Mexico City", "Cape Town").
NAME_ENDINGS: frozenset[str] = frozenset({"city", "town"})
