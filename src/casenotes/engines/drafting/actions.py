"""What was agreed: the commitments, proposals, requests and plans of a conversation.

A note's actions are recognised by their grammar, not by the words of any one case:

* a commitment or an offer: a subject with a modal of intention ("I'll", "we will", "she's
  going to", "the nurse will") or of offer ("I can", "we could"), then a verb of doing ("ring",
  "put in", "wear"; not "see", "imagine" or a bare "be"); "let's", "I'd like to", "the plan is";
* a request or a proposal put to someone: "can you…", "would you let…", "can I contact…",
  "would it be okay if…", "how would you feel about…", "shall we…";
* a direction to someone by name, as a chair gives it ("[PERSON_4], continue weekly at the
  Hub"), or a plain instruction that opens with a verb of doing ("Block out Wednesday
  mornings"): a practitioner's, the caller decides;
* a plan with its time ("is booked for the ninth", "next visit in four weeks", "will be within
  ten working days");
* the items of a recap: every sentence after "So, actions." or "To recap:" in the same turn.

The answer to a request or proposal (an agreement, a condition, a refusal) is drafted with it:
"If they don't touch my papers." says what was agreed only beside "Would you let an engineer
in?".
"""

from __future__ import annotations

import functools
import re

# Verbs that follow a modal without saying what anyone will do: perception, thought, feeling.
_NOT_DOING = frozenset(
    """be been being see hear imagine understand know say guess feel think remember believe
    notice appreciate bet afford cope manage live die fall lose happen mean sound seem love like
    hate want wish hope promise assure need forget regret worry panic struggle cry sum recap
    summarise summarize not never tell only still
    always probably maybe i you he she we they it a an the my your his her our their this that
    there what when where which who how why if so and but or to of in on at for with as""".split()
)
# After "can"/"could" these are ability or perception ("I can tell", "I could see").
_NOT_OFFERED = frozenset("tell see hear imagine".split())
_ADVERBS = (
    r"(?:(?:also|just|then|still|definitely|both|all|now|first|personally|certainly|gladly|"
    r"happily|quickly|try and|try to|aim to|make sure to|be able to|start to|have to|need to|"
    r"get to)\s+)*"
)
_INTEND = r"(?:'ll|\s+will|\s+shall|'s going to|'re going to|'m going to|\s+is going to|" \
          r"\s+are going to|\s+am going to)"
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?"
_ORDINAL = (
    r"(?:\d{1,2}(?:st|nd|rd|th)?|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
    r"tenth|eleventh|twelfth|\w+teenth|twentieth|twenty[- ]\w+|thirtieth|thirty[- ]first)"
)
_HOUR = r"(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half|quarter)"
# A time by which or at which something is done ("this afternoon", "by Friday", "at ten").
_SOON = (
    r"(?:today|tonight|tomorrow|this (?:morning|afternoon|evening|week|month)|"
    rf"next (?:week|month|time|{_DAY})|(?:by|on|before|until|from) (?:the )?(?:{_DAY}|"
    rf"{_ORDINAL}|end of|weekend)|"
    rf"after (?:{_HOUR}|school|lunch|the weekend)|"
    r"within (?:the )?\w+ (?:working )?(?:days?|weeks?|months?)|"
    r"in (?:a|one|two|three|four|five|six|eight|ten|twelve|\d+|a few|the next) "
    rf"(?:\w+ )?(?:days?|weeks?|months?|fortnight)|at {_HOUR})"
)
# ... or how often ("fortnightly", "every Tuesday").
_WHEN = rf"(?:{_SOON}|weekly|fortnightly|monthly|every (?:day|week|month|morning|{_DAY}))"
_PARTICIPLE = r"(?:\w+ed|held|seen|done|sent|made|taken|given|written|kept|put|set|told|met)"
# "We'll put in…", "the nurse will ring…", "I can arrange…", "you could ask…", "let's…".
_COMMIT = re.compile(
    r"(?<![\w'])(?P<subject>(?!(?:it|that|this|there|what|which|who|nobody|nothing|something|"
    r"anything|everything)(?![\w\]]))[\w\]\[-]+)" + _INTEND + r"\s+" + _ADVERBS
    + r"(?P<verb>[a-z']+)(?P<rest>(?:\s+[\w']+){0,3})"
    r"|(?<![\w'])(?:(?:i|we)\s+(?:can|could)|you could)\s+" + _ADVERBS + r"(?P<offer>[a-z']+)"
    r"|(?<![\w'])(?:i|we)(?:'d| would)(?: also| really| just)? (?:like|love|want) "
    r"(?:to|us to|you to)\s+" + _ADVERBS
    + r"(?P<wish>[a-z']+)"
    r"|(?<![\w'])(?:(?:i|we) (?:want|need) (?:you|us) to|we need to|(?P<must>(?:i|we) (?:have to|"
    r"must|have got to|'ve got to)))\s+" + _ADVERBS
    + r"(?P<need>[a-z']+)"
)
# "Let's" is how a conversation moves on ("Let's look at the risks"); with a time it is a plan.
_LETS = re.compile(r"(?<![\w'])(?:let's|let us)\s+" + _ADVERBS + r"(?P<verb>[a-z']+)")
# The recording itself is procedure, not an action ("I'm going to pause the recording").
_PROCEDURE = re.compile(
    r"(?<![\w'])(?:(?:the|this) recording|recorder|microphone|"
    r"record(?:ing)? (?:this|our|the) (?:conversation|call|meeting|visit))(?![\w'])"
)
_PLAN = re.compile(
    r"(?<![\w'])(?:the plan is|the next steps? (?:is|are|will be)|what happens next is|"
    r"what (?:i'd|i would|we'd|we would) like to do|"
    r"(?:is|are|'s|has been|have been|was) (?:now )?(?:booked|arranged|planned|scheduled|"
    r"set up|set for|due|organised|organized|confirmed)|"
    r"next (?:visit|meeting|review|supervision|session|appointment|core group|conference)"
    r"(?:\s+(?:is|will be))?\s+" + _WHEN + r")(?![\w'])"
)
# Anyone's "can", "will" or "going to" with a time: "They can see him at three this afternoon".
_MODAL_WHEN = re.compile(
    r"(?<![\w'])(?:can|could|will|'ll|shall|going to)\s+(?P<verb>[a-z']+)\s+"
    r"(?:[\w']+\s+){0,5}?" + _SOON + r"(?![\w'])"
)
#: Verbs of perception and feeling, which a time does not make a plan ("can hear it at night").
_FELT = frozenset(
    "hear feel imagine tell remember cope manage afford understand know think say".split()
)
# What is asked of the listener, said as a statement: "What I'd ask is that, if you decide
# to travel, you tell me before you book."
_ASKING_THAT = (
    r"(?:what )?(?:i'd|i would|we'd|we would|i'm going to|i am going to) ask (?:is (?:that )?|"
    r"that )(?:[\w']+,? ){0,8}?you (?:please )?(?P<asked>[a-z']+)"
)
_ASK_THAT = re.compile(r"(?<![\w'])" + _ASKING_THAT)
# A request or proposal that wants an answer.
_REQUEST = re.compile(
    r"(?<![\w'])(?<!(?:who|hat|ere|hen|how|why|ich) )"  # not "who would you call?"
    r"(?:(?:can|could|will|would) you (?:please |also |just )*(?P<verb>[a-z']+)"
    r"(?P<object>\s+[\w']+)?"
    r"|would you (?:be )?(?:okay|ok|happy|alright|all right|willing|interested|able|up for|"
    r"mind|like|let)"
    r"|(?:would|is) it (?:be )?(?:okay|ok|alright|all right|fine) (?:if|for|with) "
    r"(?:i|we|me|us) (?:also |just )*(?P<consent>[a-z']+)"
    r"|(?:are|would) you (?:be )?(?:okay|ok|happy|alright|all right) (?:for|with|if|to)"
    r"|how (?:would|do) you feel about|do you want (?:me|us) to|shall (?:i|we)"
    r"|" + _ASKING_THAT
    + r"|(?:can|could|may) (?:i|we) (?:also |just )*(?P<asking>[a-z']+))(?![\w'])"
)
# "Can I talk to Mammy again?", "could I have a word with your dad now?": who the visit
# talks to next, not a task.
_TURN_TAKING = re.compile(
    r"(?<![\w'])(?:can|could|may) (?:i|we) (?:just )?(?:talk|speak|have a (?:word|chat)) "
    r"(?:to|with) (?:[\w'\[\]]+ ){0,2}?(?:again|now|for a (?:minute|moment|bit|second))(?![\w'])"
)
# "Can you give us an update?", "could you start with the background?": asking to be told.
_TELLING = re.compile(r"(?<![\w'])(?:update|summary|overview|background|tell (?:me|us))(?![\w'])")
# "Is that okay?", "Would you be interested?", "Would you let an engineer in?": asking for
# agreement to what was just proposed.
_CONSENT = re.compile(
    r"(?<![\w'])(?:(?:is|does|would|will) (?:that|this|it) (?:be |sound |seem )?"
    r"(?:okay|ok|alright|all right|right|fine|good|agreed|fair)"
    r"|would you (?:be )?(?:okay|ok|happy|alright|all right|willing|interested|up for|mind|"
    r"like that|let)|how (?:would|do) you feel about (?:that|this|it))(?![\w'])"
)
# The opening of a reply that agrees or refuses.
_AGREES = re.compile(
    r"^\W*(?:yes|yeah|yep|aye|okay|ok|alright|all right|fine|sure|please|of course|course|"
    r"definitely|agreed|will do|fair enough|right you are|sounds good|go on|no|nah|naw|nope|"
    r"not yet|maybe|(?:i|he|she|they|you|we) (?:can|will|could|would)|i'll|that's fine|"
    r"that'd help|that would help)(?![\w'])"
)
# "Something we can talk about", "the things I could do": a clause about a noun.
_RELATIVE = re.compile(
    r"(?<![\w'])(?:thing|things|something|anything|everything|what|which|ways?|options?|lot)\s*$"
)
# A clause an "I can" sits in that makes it what would be possible, not an offer ("a night
# where I can sleep", "so I can get to work", "if I can").
_SUBORDINATE = re.compile(
    r"(?<![\w'])(?:where|so|so that|if|when|whenever|until|till|because|cause|as long as|"
    r"somewhere|place)(?![\w'])(?!.*[,;:] *(?:and |but |then )?$)"
)
# Words after which a future is someone's report, not a plan ("He said he will put us out").
_REPORTED = re.compile(
    r"(?<![\w'])(?<!\bi )(?<!\bwe )(?:said|says|told (?:me|us|her|him|them)|threatened)(?![\w'])"
)
# "I'll take that as a compliment": an idiom, not a task.
_IDIOM = re.compile(r"(?<![\w'])(?:take (?:that|it) as|let you know that)(?![\w'])")
# "Can I ask…", "can I check your date of birth": the practitioner's own questions.
_NOT_REQUESTED = frozenset(
    "ask check take have get go come start say see listen confirm record grab".split()
)
#: After "can you get", where to: a question of what someone is able to do, not a request.
_WHERE_TO = frozenset("to up in out down there upstairs downstairs about around round".split())
_INFORMATION = frozenset(
    {"tell", "show", "talk", "walk", "say", "describe", "remember", "explain", "start", "go",
     "update"}
)
# Verbs that open a direction or an instruction ("[PERSON_3], continue…", "Book the room").
_DIRECT = frozenset(
    """continue keep carry attend book ring phone call contact email send write share invite
    complete chase arrange make bring speak talk ask monitor record review refer apply fill sign
    text let take put start stop use move clear get follow update flag inform report visit meet
    do agree work sort try remember prepare give provide pass block check""".split()
)
_LEAD = (r"^(?i:(?:and|also|so|then|okay|ok|right|now|finally|please|in the meantime|meanwhile|"
         r"for now|until then)\W+)*")
# A condition the instruction is for: "If anyone is badly hurt, please take them to the doctor".
_IF = r"(?i:(?:if|when|whenever|in case|should) [^,.?!]{1,80},\s+(?:(?:please|just|then)\s+)*)?"
# A name (a placeholder, a title and surname, or a capitalised word), a comma, a verb.
_NAMED = re.compile(
    _LEAD + r"(?:\[[A-Z_]+_\d+\]|(?:Mr|Mrs|Ms|Miss|Dr)\.? [A-Z][\w'-]+|[A-Z][a-z][\w'-]*)"
    r"(?: [A-Z][\w'-]+)?,\s+(?:(?:please|also|just)\s+)*(?P<verb>[a-z]+)"
    r"(?P<rest>(?:\s+[\w']+){0,2})"
)
_INSTRUCTION = re.compile(_LEAD + _IF + r"(?P<verb>(?i:[a-z]+))(?P<rest>(?:\s+[\w']+){1,2})")
# What follows an instruction that is courtesy or a question, not a task ("Take your time").
_COURTESY = re.compile(
    r"^\s*(?:me|us|yourself|of|care|it easy|your time|a seat|a look|a minute|a moment|"
    r"a break)(?![\w'])"
)
_RECAP = re.compile(
    r"(?<![\w'])(?:recap|sum up|summ?ari[sz]e|summing up|actions|action points|next steps|"
    r"what we(?:'ve| have) agreed)(?![\w'])"
)
#: A recap's opening is short ("So, actions.", "Okay, so let's sum up."), or its marker comes
#: within this many characters of a sentence's start, before a colon ("So, to recap: I'll…").
_RECAP_WORDS = 8
_RECAP_OPENING = 30
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')]*(?=\s|$)")


def _norm(text: str) -> str:
    return text.lower().replace("’", "'")


def _doing(verb: str, rest: str = "") -> bool:
    if verb == "be":  # "will be there", "will be reviewed", "will be within ten days",
        # "I'll be telling the police" (not "you'll be feeling better")
        doing = re.match(r"\s+(\w+?)ing(?:\s+(\S+))?", rest)
        if doing and (not {doing.group(1), doing.group(1) + "e"} & (_NOT_DOING | _FELT) or (
                doing.group(1) == "tell" and _doing("tell", rest[doing.end(1) + 3:]))):
            return True
        return bool(re.match(rf"\s+(?:there|back|in touch|in contact|{_PARTICIPLE}\b|{_WHEN})",
                             rest))
    if verb == "have" and re.match(r"\s+been\b", rest):
        return False  # "He'll have been getting my messages": a guess about the past
    if verb == "think":  # "You'll think about the Thursday group": a thing to do
        return bool(re.match(r"\s+(?:about|over)\b", rest))
    if verb == "tell":  # "We must tell the school", "I'll tell her myself"; not "I'll tell you
        # what" (a turn of speech)
        return bool(re.match(r"\s+(?!you\b|what\b)[\w\[]", rest))
    if verb == "see":  # "I'd like to see you again on Friday": a visit
        return bool(re.match(r"\s+(?:you|him|her|them|\[\w+\])\s+(?:again|next)\b", rest))
    return verb not in _NOT_DOING and not verb.endswith("n't")


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        out.append(text[start:match.end()].strip())
        start = match.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def _question(sentence: str) -> bool:
    return sentence.rstrip("\"”’') ").endswith("?")


@functools.lru_cache(maxsize=4096)
def commitment(text: str) -> bool:
    """Whether ``text`` says what someone will do, offers or plans (a statement, not a
    question): "I'll ring her this afternoon", "We can put in a pendant alarm", "Next visit in
    four weeks", "[PERSON_2], continue visits at least fortnightly"."""
    for sentence in _sentences(text):
        norm = _norm(sentence)
        if _question(sentence) or _PROCEDURE.search(norm) or _IDIOM.search(norm):
            continue
        reported = _REPORTED.search(norm)  # "He said if we complain, he will put us out."
        if reported:
            norm = norm[:reported.start()]
        for match in _COMMIT.finditer(norm):
            if _RELATIVE.search(norm[:match.start()]):
                continue  # "a few things we can do": what could be done, not what will be
            if match.group("offer") is not None and _SUBORDINATE.search(norm[:match.start()]):
                continue  # "one night where I can sleep in my own bed": a wish, not an offer
            verb = next(v for v in (match.group("verb"), match.group("offer"),
                                    match.group("wish"), match.group("need")) if v is not None)
            offered = match.group("offer") is not None
            if match.group("must") is not None and verb in _NOT_REQUESTED:
                continue  # "I have to ask everyone": the practitioner's own questions
            if _doing(verb, match.group("rest") or norm[match.end():][:40]) and not (
                    offered and verb in _NOT_OFFERED):
                return True
        soon = re.search(_SOON, norm) is not None
        timed = any(m.group("verb") not in _FELT for m in _MODAL_WHEN.finditer(norm))
        lets = soon and any(_doing(m.group("verb")) for m in _LETS.finditer(norm))
        if timed or lets or _PLAN.search(norm):
            return True
    return False


@functools.lru_cache(maxsize=4096)
def procedure(text: str) -> bool:
    """Whether ``text`` speaks of the recording itself ("I'd like to record our conversation so
    I can write it up"): how the visit is kept, not why it happens."""
    return _PROCEDURE.search(_norm(text)) is not None


def direction(text: str) -> bool:
    """Whether ``text`` directs someone by name, or instructs, with a verb of doing
    ("[PERSON_4], continue weekly at the Hub", "Also, block out Wednesday mornings"). The
    caller decides whose directions count (a practitioner's, in a note's actions)."""
    for sentence in _sentences(text):
        if _question(sentence) or _PROCEDURE.search(_norm(sentence)):
            continue
        if _ASK_THAT.search(_norm(sentence)):
            return True
        for pattern in (_NAMED, _INSTRUCTION):
            match = pattern.match(sentence)
            if match is None:
                continue
            verb, rest = match.group("verb").lower(), _norm(match.group("rest") or "")
            if verb not in _DIRECT or _COURTESY.match(rest) and not (
                    verb == "let" and re.match(r"\s*(?:me|us) know", rest)):
                continue
            return True
    return False


@functools.lru_cache(maxsize=4096)
def request(text: str) -> bool:
    """Whether ``text`` asks someone to do something or to agree to it ("Can you ring the
    school?", "Would you let an engineer in?", "Can I contact your GP?"), as opposed to a
    question that asks for information ("Can you tell me what happened?")."""
    norm = _norm(text)
    if _TURN_TAKING.search(norm):
        return False
    telling = _TELLING.search(norm) is not None
    for match in _REQUEST.finditer(norm):
        if match.group("asked") is not None:
            return True  # "What I'd ask is that you tell me before you book": asked of them
        if telling:
            return False
        verb, asking = match.group("verb"), match.group("asking")
        if verb is not None:
            rest = (match.group("object") or "").strip()
            if verb in _INFORMATION and rest in ("me", "us", "about", "through", ""):
                continue
            if verb == "get" and rest in _WHERE_TO:
                continue  # "can you get to it?", "can you get upstairs?": what they are able to do
            if verb in _NOT_DOING and verb not in ("be", "let", "like", "mind"):
                continue
        asked = asking if asking is not None else match.group("consent")
        if asked is not None and (asked in _NOT_REQUESTED or asked in _NOT_DOING):
            continue
        return True
    return False


def consent(question: str) -> bool:
    """Whether a short question asks agreement to what was just proposed ("Would you be
    interested?", "Would you let an engineer in?", "Is that okay?"), not a new proposal of
    its own ("Shall we go back down?")."""
    return bool(_CONSENT.search(_norm(question)))


def prompt(text: str, *, directs: bool = False) -> bool:
    """Whether ``text`` wants an answer that is itself an agreement: a request, a proposal or
    a commitment made to the listener, or (``directs``: from a practitioner) a direction."""
    return request(text) or commitment(text) or (directs and direction(text))


def agrees(text: str) -> bool:
    """Whether a reply opens with words of agreement or refusal ("Yeah, he can.", "Will do.",
    "No."), rather than thanks or a new topic."""
    return bool(_AGREES.match(_norm(text)))


@functools.lru_cache(maxsize=4096)
def recap_start(text: str) -> int | None:
    """Where the items of a recap begin in a turn, or ``None`` when the turn is no recap.

    After a short opening ("So, actions. You: …", "Okay, so let's sum up."), the items are the
    sentences that follow it; a longer sentence that opens with its own marker ("So, to recap:
    I'll ask the fire service…") is the first item itself.
    """
    start = 0
    for match in _SENTENCE_END.finditer(text):
        sentence = text[start:match.end()]
        marker = _RECAP.search(_norm(sentence))
        if marker and len(sentence.split()) <= _RECAP_WORDS:
            return match.end()
        if marker and marker.start() < _RECAP_OPENING and ":" in sentence[marker.end():][:3]:
            return start + len(sentence) - len(sentence.lstrip())
        start = match.end()
    return None
