"""Budget words (B-17): qualifiers around an amount, vague amounts, and no figure at all.

``max 600`` / ``below £300`` is a ceiling, ``700 or more`` / ``no less than 250`` a
floor; ``a few hundred`` a rough range; ``whatever it costs`` an open budget and
``dunno`` an honest "not sure": both are answers, not failures.
"""

from __future__ import annotations

import re

# Floors first: "no less than" would otherwise read as the ceiling "less than".
AT_LEAST = re.compile(
    r"\b(?:no|not) (?:less|lower|under|below) than\b|\bnot (?:under|below)\b|\bat least\b|"
    r"\bmin(?:imum)?\b|\bor (?:more|above|over|higher|upwards)\b|\b(?:and|or) up\b|"
    r"\bupwards? of\b|\bstarting (?:at|from)\b|(?<!no )(?<!not )\b(?:more|higher) than\b|"
    r"(?<!no )(?<!not )\b(?:over|above)\b|"
    r"\d\s*\+|\+\s*$"
)
AT_MOST = re.compile(
    r"\bmax(?:imum)?\b|\bup ?to\b|\bunder\b|\bbelow\b|\b(?:less|lower) than\b|"
    r"\b(?:no|not) (?:more|higher|over|above)(?: than)?\b|\bat (?:the )?most\b|\btops\b|"
    r"\bor (?:less|under|below|lower)\b|\bcap(?:ped)?(?: at)?\b|\blimit(?: of| is)?\b|"
    r"\bwithin\b|\bno more\b"
)
# Rough amounts said without digits: (low, high) in major units.
VAGUE: tuple[tuple[re.Pattern[str], tuple[int, int]], ...] = (
    (re.compile(r"\b(?:a )?couple (?:of )?hundred\b"), (200, 300)),
    (re.compile(r"\b(?:a )?few hundred\b"), (300, 500)),
    (re.compile(r"\bseveral hundred\b"), (300, 700)),
    (re.compile(r"\bhundreds\b"), (200, 900)),
    (re.compile(r"\b(?:a )?couple (?:of )?(?:grand|thousand|k)\b"), (2000, 3000)),
    (re.compile(r"\b(?:a )?few (?:grand|thousand|k)\b"), (3000, 5000)),
)
OPEN = re.compile(
    r"\b(?:whatever it (?:costs|takes|is)|whatever you (?:charge|think|quote)|no (?:limit|max|cap)|"
    r"no budget(?: limit)?|(?:money|price|cost)s? (?:is |are )?no (?:object|issue|problem)|"
    r"not (?:fussed|bothered) (?:about|on|by) (?:the )?(?:price|cost|money)|"
    r"(?:price|cost|budget|money) (?:doesnt|does not|dont) matter|open budget|"
    r"flexible|open|as much as (?:it takes|needed|necessary)|(?:the )?sky ?s? the limit|"
    r"happy to pay (?:what|whatever)|(?:i )?(?:dont|do not) mind|any(?:thing)? (?:is )?fine)\b"
)
UNSURE = re.compile(
    r"\b(?:dunno|idk|no idea|not sure|unsure|i dont know|dont know|do not know|no clue|"
    r"not a clue|havent (?:thought|decided|got a figure)|not decided|undecided|"
    r"what do you (?:think|suggest|recommend)|not thought about it|no clue|haven t a clue|"
    r"no preference|tbc|tbd|depends)\b"
)
