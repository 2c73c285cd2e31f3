"""Small word-level helpers the semantic checks share: content words, negation, hedging."""

from __future__ import annotations

import re

_WORD = re.compile(r"\[[A-Z]+(?:_[A-Z]+)*_\d+\]|[A-Za-z][A-Za-z'’\-]*|\d+(?:[.,:]\d+)*")
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it
its itself just let me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them themselves
then there these they this those through to too under until up very was we were what when
where which while who whom why will with would you your yours yourself yourselves said says
say told tell asked ask explained explain described describe agreed agree mentioned
reported report stated state felt feel feels think thinks thought like got get gets going
go goes went gone really quite well yeah yes okay ok oh um erm er aye right know just
mum mam dad mother father child children he's she's it's i'm i've i'll i'd don't didn't
doesn't isn't wasn't aren't weren't can't couldn't won't wouldn't there's that's what's
one two three also still ever never always sometimes much many lot lots bit thing things
""".split())
NEGATIONS = frozenset("""
not no never nothing none nobody nowt neither nor without don't didn't doesn't isn't wasn't
aren't weren't can't cannot couldn't won't wouldn't hasn't haven't hadn't shouldn't divvent
dinnae canna cannae denied denies deny
""".split())
_AUXILIARIES = frozenset(
    "be been being have has had do does did really even yet ever a the to".split())
HEDGES = frozenset("""
might may maybe perhaps possibly possible could unsure wonder wondered worried worry
worries if whether think thought suspect suspected probably likely seems seemed unclear
""".split())


def words(text: str) -> list[str]:
    """Lower-cased word tokens (placeholders kept whole, curly apostrophes straightened)."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def stem(word: str) -> str:
    """A crude stem: enough to match "drinks"/"drinking"/"drink" and "worried"/"worries"."""
    if word.startswith("["):
        return word
    word = re.sub(r"'s$", "", word)
    for suffix in ("ingly", "edly", "ing", "ies", "ied", "ed", "es", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:6]


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning (no stop words, negations or placeholders)."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and w not in NEGATIONS
            and len(w) > 1 and not w.startswith("[")]  # placeholders: the detail check's job


_LIST_WORDS = frozenset({"or", "nor", "and"})


def negated_stems(text: str, window: int = 2) -> set[str]:
    """Stems of the lower-case words that follow a negation within ``window`` words, skipping
    auxiliaries ("does not drink" → {"drink"}); names are left out."""
    tokens = [w.replace("’", "'") for w in _WORD.findall(text)]
    lower = [t.lower() for t in tokens]
    out: set[str] = set()
    for i, token in enumerate(lower):
        if token in NEGATIONS or token.endswith("n't"):
            # "no heating or hot water": a list after the negation is negated as a whole.
            following = [(t, raw) for t, raw in zip(lower[i + 1:], tokens[i + 1:], strict=False)
                         if t not in _AUXILIARIES and t not in _LIST_WORDS][:window]
            out.update(stem(t) for t, raw in following
                       if t not in STOPWORDS and t not in NEGATIONS and raw[:1].islower())
    return out


def hedged(text: str) -> bool:
    """Whether the text speaks of possibility rather than fact."""
    return any(t in HEDGES for t in words(text))


def clauses(text: str) -> list[str]:
    """The text split at sentence and clause boundaries."""
    return [c.strip() for c in re.split(r"[.!?;]+\s*|,\s+(?:but|and|so)\s+", text) if c.strip()]
