"""Small word-level helpers the semantic checks share: content words, negation, hedging."""

from __future__ import annotations

import re
from dataclasses import dataclass

from casenotes.domain.transcript import restore_dropped_g

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
reported report reporting reports stated state felt feel feels think thinks thought like got get
gets going go goes went gone really quite well yeah yes okay ok oh um erm er aye right know just
mum mam dad mother father child children he's she's it's i'm i've i'll i'd don't didn't
doesn't isn't wasn't aren't weren't can't couldn't won't wouldn't there's that's what's
one two three also still ever never always sometimes much many lot lots bit thing things
""".split())
NEGATIONS = frozenset("""
not no never nothing none nobody nowt neither nor without don't didn't doesn't isn't wasn't
aren't weren't can't cannot couldn't won't wouldn't hasn't haven't hadn't shouldn't divvent
dinnae canna cannae denied denies deny ain't aint nae didnae doesnae isnae wasnae wouldnae
couldnae hasnae havenae willnae winnae dinna divn't cor wo' doe
hent ent ont nivver niver unable
dont didnt doesnt isnt wasnt arent werent cant couldnt wont wouldnt hasnt havent hadnt shouldnt
""".split())
# Also East Anglian "hent", "ent", "'ont" (haven't, ain't, won't), "nivver" (never), the
# apostrophe-less forms typed transcripts often have ("dont", "wasnt"), and "unable" (cannot).
_AUXILIARIES = frozenset(
    "be been being have has had do does did really even yet ever a the to".split())
HEDGES = frozenset("""
might may maybe perhaps possibly possible could unsure wonder wondered worried worry
worries if whether think thought suspect suspected probably likely seems seemed unclear
will gonna threaten threatens threatened threatening alleged allegedly reportedly
assume assumed assuming presume presumably guess guessing
""".split())


#: A sound or syllable said again before the word, as transcripts write a stammer ("c-c-can't",
#: "b-better", "I-I-I don't"): the word is the one meant.
_REPEATED_START = re.compile(r"\b([A-Za-z]{1,3})-(?=\1)", re.IGNORECASE)


def fluent(text: str) -> str:
    """The text with a stammer's repeated starts taken off its words ("c-c-can't" is
    "can't", "c-credit card" is "credit card"), so they are read as the words they are."""
    return _REPEATED_START.sub("", text)


def repeated_starts(text: str) -> int:
    """How many times the text writes a stammer's repeated start ("c-c-can't" once)."""
    return len(_REPEATED_START.findall(text))


def _token(raw: str) -> str:
    # "nothin'", "goin'": "nothing"; "c-c-can't": "can't"
    return restore_dropped_g(fluent(raw).lower().replace("’", "'"))


def words(text: str) -> list[str]:
    """Lower-cased word tokens (placeholders kept whole, curly apostrophes straightened, a
    dropped g put back: "nothin'" is "nothing")."""
    return [_token(w) for w in _WORD.findall(text)]


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Word tokens as in :func:`words`, with their character spans in ``text``."""
    return [(_token(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]


def is_content(word: str) -> bool:
    """Whether a lower-cased word carries meaning (not a stop word, negation or placeholder)."""
    return (word not in STOPWORDS and word not in NEGATIONS and len(word) > 1
            and not word.startswith("["))


#: Irregular past forms, so "rang" is matched with "ring" and "told" with "tell".
IRREGULAR = {past: base for base, pasts in {
    "ring": "rang rung", "tell": "told", "come": "came", "take": "took taken", "give": "gave given",
    "see": "saw seen", "find": "found", "leave": "left", "keep": "kept", "bring": "brought",
    "buy": "bought", "feel": "felt", "fall": "fell fallen", "hide": "hid hidden", "run": "ran",
    "sleep": "slept", "speak": "spoke spoken", "write": "wrote written", "break": "broke broken",
    "throw": "threw thrown", "drink": "drank drunk", "eat": "ate eaten", "sit": "sat",
    "stand": "stood", "lose": "lost", "meet": "met", "pay": "paid", "send": "sent",
    "spend": "spent", "wake": "woke woken", "drive": "drove driven", "choose": "chose chosen",
    "forget": "forgot forgotten", "catch": "caught", "fight": "fought", "hold": "held",
    "lend": "lent", "mean": "meant", "hear": "heard", "know": "knew known", "grow": "grew grown",
    "shake": "shook shaken", "steal": "stole stolen", "swear": "swore sworn", "wear": "wore worn",
    "hang": "hung", "stick": "stuck", "strike": "struck", "lie": "lay lain", "lead": "led",
    "feed": "fed", "bleed": "bled", "flee": "fled", "deal": "dealt", "understand": "understood",
    "begin": "began begun", "build": "built", "sell": "sold", "teach": "taught", "think": "thought",
    "make": "made", "win": "won", "bite": "bitten", "freeze": "froze frozen", "swim": "swam",
    "sing": "sang sung", "draw": "drew drawn", "fly": "flew flown", "get": "got gotten",
}.items() for past in pasts.split()}


def stem(word: str) -> str:
    """A crude stem: enough to match "drinks"/"drinking"/"drink", "worried"/"worries" and
    "rang"/"ring"."""
    if word.startswith("["):
        return word
    word = re.sub(r"'s$", "", word)
    word = IRREGULAR.get(word, word)
    for suffix in ("ingly", "edly", "ing", "ies", "ied", "ed", "es", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:6]


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning (no stop words, negations or placeholders)."""
    # Placeholders are left out: names are the detail check's job.
    return [stem(w) for w in words(text) if is_content(w)]


_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
#: Where a statement ends inside a sentence: a semicolon, colon or dash, or a conjunction that
#: starts a new one ("she does not drink, and he smokes").
_CLAUSE_BREAK = re.compile(
    r"[;:()\u2013\u2014]|,?\s(?:but|and|so|because|although|though|while|whereas|when|until|"
    r"unless)\s",
    re.IGNORECASE)
#: "No, …" / "Naw, …": an answer, not a negation of what follows it.
_ANSWER = re.compile(r"^\s*(?:no|naw|nah|nope)\s*,\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Statement:
    """One clause: its content stems (names left out), each with whether it is negated, and
    the stems a negation governs closely (the next two words after it: "does not drink")."""

    polarity: dict[str, bool]
    governed: frozenset[str] = frozenset()
    #: Adjacent content words (a word and the one it describes: "level crossing", "crisis
    #: line"), as (first, second) stems.
    pairs: frozenset[tuple[str, str]] = frozenset()

    @property
    def stems(self) -> frozenset[str]:
        return frozenset(self.polarity)


def _is_negation(word: str) -> bool:
    return word in NEGATIONS or word.endswith("n't")


#: "Not sure", "don't know if": doubt, not a denial.
_DOUBT = frozenset({"sure", "know", "knew", "remember", "think", "certain", "kna", "ken"})
_CLOSE = 2


#: "No contact except about the boy": a limit, not a denial of what it limits.
_EXCEPT = re.compile(r"\b(?:except|apart from|other than|besides)\b", re.IGNORECASE)
#: "Not reported until the morning", "I don't want him home until we know more": a negation
#: before "until" or "till" tells when, which a plain statement cannot be compared with.
_UNTIL = re.compile(r"\s(?:until|till)\s", re.IGNORECASE)
_TILL = re.compile(r"\b(?:until|till)\b", re.IGNORECASE)
#: "Not for six weeks", "not for another fortnight": when, not a denial (as "not until").
_NOT_FOR = re.compile(r"\bnot (?:for|before|till|until) (?:another |about |over |at least )?"
                      r"(?:a |an |\w+ )?(?:(?:and a half|or \w+) )?(?:minutes?|hours?|days?|weeks?|"
                      r"months?|years?|fortnights?|nights?)\b", re.IGNORECASE)


def _statement(clause: str) -> Statement | None:
    """A negation reaches to the next comma ("I'm not gonna lie, I've been skipping meals"),
    or past it when nothing that carries meaning came first ("nowt like, nasty"). ``None`` for
    a clause of doubt ("I'm not sure he drinks")."""
    polarity: dict[str, bool] = {}
    governed: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    negated, since = False, _CLOSE + 1
    chunks = _RATHER.sub(", not", _IMPLICIT.sub("unable to reach", _ANSWER.sub("", clause))
                         ).split(",")
    for n, chunk in enumerate(chunks):
        limits = _EXCEPT.search(chunk) is not None
        # "The family should not be contacted": what a passive denies is its subject, said
        # before the negation (as "don't contact the family" says after it).
        passive = not negated and _PASSIVE_NOT.search(chunk) is not None
        if n and negated and _LIST.fullmatch(",".join(chunks[n:])):
            since = 0  # "no lifting, driving or bending": the negation covers the whole list
        last: str | None = None
        for raw in _WORD.findall(chunk):
            word = _token(raw)
            if _is_negation(word):
                if not limits:
                    negated, since = True, 0
                last = None
                continue
            if word in _AUXILIARIES or word in ("or", "nor"):
                last = None
                continue  # "does not drink", "no heating or hot water"
            since += 1
            if since <= _CLOSE and word in _DOUBT:
                return None
            if is_content(word) and raw[:1].islower():
                key = stem(word)
                polarity[key] = polarity.get(key, negated or passive) and (negated or passive)
                if negated and since <= _CLOSE:
                    governed.add(key)
                if last is not None:
                    pairs.add((last, key))
                last = key
            else:
                last = None
        listed = n + 1 < len(chunks) and _LIST.fullmatch(",".join(chunks[n + 1:]))
        negated = negated and (bool(listed) or not any(
            is_content(w) for w in _after_first_negation(chunk)))
    return Statement(polarity, frozenset(governed), frozenset(pairs))


#: A negated passive ("should not be contacted", "wasn't told", "has never been seen").
_PASSIVE_NOT = re.compile(r"(?:\b(?:not|never)|n't)\s+(?:(?:be|been|being|get|got)\s+)?"
                          r"(?:be|been|being|get|got)\s+[a-z]+(?:ed|en|wn|ld|ght)\b", re.IGNORECASE)
#: "We should have rung", "she could've said": what did not happen, or is not known to have.
_COUNTERFACTUAL = re.compile(r"\b(?:should|could|would|might|must|ought to)(?:\s+not|n't)?\s+"
                             r"(?:have|of)\s+[a-z]+|\b(?:should|could|would|might|must)(?:n't)?'ve\b",
                             re.IGNORECASE)


def _after_first_negation(chunk: str) -> list[str]:
    """The words after the chunk's first negation: a negation reaches past the comma only when
    none of them carries meaning ("nowt like, nasty"); a closing "neither" or "no more" after
    what it negates ("Don't text me neither, he reads me texts") ends there."""
    lower = words(chunk)
    cues = [i for i, w in enumerate(lower) if _is_negation(w)]
    return lower[cues[0] + 1:] if cues else lower


#: The rest of a list after a comma: short items, the last after "or" or "nor" ("no lifting,
#: driving or bending"), over which a negation before the first item reaches.
_LIST = re.compile(r"(?:\s*[\w'’-]+(?:\s+[\w'’-]+)?\s*,)*\s*[\w'’-]+(?:\s+[\w'’-]+)?\s*,?"
                   r"\s+(?:or|nor)\s+[\w'’-]+(?:\s+[\w'’-]+)?\s*[.!]?\s*", re.IGNORECASE)
#: "Look after her rather than put her somewhere": what comes after is said not to be done.
_RATHER = re.compile(r"\s*\b(?:rather than|instead of)\b", re.IGNORECASE)
#: "Out of her reach" says that she cannot reach it.
_IMPLICIT = re.compile(r"\bout of (?:(?:the|his|her|their|its|[A-Za-z]+(?:'s|’s)) )?reach\b",
                       re.IGNORECASE)


_FUTURE = frozenset({"will", "would", "gonna", "shall"})


def _promises(clause: str) -> bool:
    """Whether a clause says what will or would happen ("he said he'd pay it back when the
    work picked up", "they'll come round"), not what did. A denial stays a denial ("he'd
    never hurt me"), and the speaker's own "I'll" frames rather than promises ("I'll write
    down that he has never hit you")."""
    found = words(clause)
    if any(_is_negation(w) for w in found):
        return False
    for n, word in enumerate(found):
        if word in _FUTURE or (word.endswith("'ll") and word not in ("i'll", "we'll")):
            return True
        if word.endswith("'d") and n + 1 < len(found):
            after = found[n + 1]  # "he'd pay" (would), not "she'd put her gown on" (had)
            if not after.endswith(("ed", "en")) and after not in IRREGULAR and after in _BASE:
                return True
    return False


#: Verbs that follow "'d" as "would" ("he'd pay it back", "she'd go").
_BASE = frozenset("""
pay be go come do get give take make bring send ring call help sort stop tell see leave
move let look try
""".split())


def statements(text: str, *, facts_only: bool = False) -> list[Statement]:
    """The text's clauses as statements; questions and doubts assert nothing and are left
    out, and neither are negations that say when ("not until") or limit ("no contact
    except …"). ``facts_only`` leaves out what will or would happen, too (for the evidence:
    "he'd pay it back" does not say that he paid)."""
    out = []
    for sentence in _SENTENCE.findall(text):
        if sentence.strip().endswith("?"):
            continue
        starts = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(sentence)]
        ends = [m.start() for m in _CLAUSE_BREAK.finditer(sentence)] + [len(sentence)]
        breaks = [m.group() for m in _CLAUSE_BREAK.finditer(sentence)] + [""]
        for start, end, after in zip(starts, ends, breaks, strict=True):
            clause = sentence[start:end]
            negated = any(_is_negation(w) for w in words(clause))
            if negated and (_UNTIL.fullmatch(after) or _TILL.search(clause)
                            or _NOT_FOR.search(clause)):
                continue
            if facts_only and _promises(clause):
                continue
            if facts_only and _COUNTERFACTUAL.search(clause):
                # "We should have rung, she was in a state": the part that says what should
                # have happened is left out, what is said as fact kept.
                clause = ",".join(part for part in clause.split(",")
                                  if not _COUNTERFACTUAL.search(part))
            if _DIRECTIVE.search(clause):
                continue  # "told him not to go back there": an instruction, not a fact
            found = _statement(clause)
            if found is not None and found.polarity:
                out.append(found)
    return out


#: "Not to go back", "never to contact him": what someone was told or agreed to do, which says
#: nothing about whether the thing it names exists or happened.
_DIRECTIVE = re.compile(r"\b(?:not|never)\s+to\s+(?!(?:my|his|her|our|their|the|me|him|them|us|"
                        r"be\s+(?:sure|certain))\b)[a-z]", re.IGNORECASE)


def _same_word(a: str, b: str) -> bool:
    """Stems of one word, allowing for dialect and inflection ("sleepin", "sleeping")."""
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def opposite(text: str, evidence: str, denied: frozenset[str] = frozenset()) -> str | None:
    """A word that ``text`` negates where the evidence only affirms it, or affirms where the
    evidence only negates it ("she drinks" against "I don't drink"), in a statement of
    ``text`` and the evidence statement closest to it (sharing most words: at least two,
    unless ``text`` is a single statement). The negation must govern the word closely on the
    side that has it. ``denied`` are stems of questions answered no ("Has that happened?" /
    "No."): ``text`` negating one of them says what the answer said. ``None`` when nothing is
    turned around."""
    theirs = statements(evidence, facts_only=True)
    mine_all = statements(text)
    need = 1 if len(mine_all) == 1 else 2
    for mine in mine_all:
        shared = [len(mine.stems & t.stems) for t in theirs]
        most = max(shared, default=0)
        if most < need:
            continue
        closest = [t for t, n in zip(theirs, shared, strict=True) if n == most]
        for key in sorted(mine.stems & closest[0].stems):
            alike = [(t, k) for t in theirs for k in t.polarity if _same_word(k, key)]
            said = {t.polarity[k] for t, k in alike}
            if mine.polarity[key] in said or (mine.polarity[key] and key in denied):
                continue
            # "not going to the level crossing" against "I'm not going to the crossing" (and
            # "the level crossing" named elsewhere): the word it describes is denied as said.
            if mine.polarity[key] and any(
                    first == key and any(t.polarity[k] for t in theirs for k in t.polarity
                                         if _same_word(k, second))
                    for first, second in mine.pairs):
                continue
            # The side with the negation must have it right before the word.
            close = (key in mine.governed if mine.polarity[key]
                     else any(k in t.governed for t, k in alike))
            if close:
                return key
    return None


def hedged(text: str) -> bool:
    """Whether the text speaks of possibility, or of what will or may happen, rather than of
    fact ("they'll send the bailiffs")."""
    return any(t in HEDGES or (t.endswith("'ll") and t not in ("i'll", "we'll"))
               for t in words(text))


def clauses(text: str) -> list[str]:
    """The text split at sentence and clause boundaries."""
    return [c.strip() for c in re.split(r"[.!?;]+\s*|,\s+(?:but|and|so)\s+", text) if c.strip()]
