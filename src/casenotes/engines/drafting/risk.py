"""What the drafter must never drop: words that bear on risk or safeguarding.

The drafter's job is "nothing critical dropped": a turn that speaks of harm, self-harm, abuse,
exploitation, going missing, injury or a fall, substances, mental health, medication, money
or housing in crisis, neglect, a child's fear, or a safeguarding process (police, court, a
plan, capacity) is carried into the draft even when its section is full.

The categories follow the usual safeguarding headings (Working Together, the Care Act's types
of abuse and neglect, suicide-risk screening), not any one case's words. They are the drafter's
own: the checks keep their own lists for what they flag.
"""

from __future__ import annotations

import re

# Case-insensitive regular expressions, matched as whole words (a trailing \w* makes a stem).
RISK_TOPICS: dict[str, tuple[str, ...]] = {
    "self_harm": (
        r"suicid\w*", r"self[- ]?harm\w*", r"overdos\w*",
        r"(?:kill|harm|harming|hurt|hurting|cut|cutting) (?:myself|yourself|herself|himself|"
        r"themselves)",
        r"end (?:it all|my life|her life|his life|things)", r"not worth living",
        r"better (?:off|aff) (?:without|withoot) (?:me|him|her)", r"burden",
        r"(?:don't|do not|didn't) want to (?:be here|live|wake up|go on)", r"can't go on",
        r"no point (?:in )?(?:living|going on)",
    ),
    "harm": (
        r"hit(?:s|ting)?", r"hurt\w*", r"harm(?:ed|ing|s)?", r"smack\w*", r"slap\w*",
        r"punch\w*", r"kick(?:ed|s|ing)?", r"shov\w*", r"grab(?:bed|s)?", r"chok\w*",
        r"strangl\w*", r"violen\w*", r"assault\w*", r"weapon\w*", r"knife", r"knives",
        r"threat\w*", r"shout\w*", r"scream\w*", r"abus\w*",
    ),
    "injury_or_health": (
        r"bruis\w*", r"injur\w*", r"burn(?:s|t|ed)?(?! out)", r"fractur\w*",
        r"broke(?:n)? (?:his|her|my|their)? ?(?:arm|leg|wrist|hip|bone|ribs?)", r"bleed\w*",
        r"marks? on", r"a&e", r"hospital\w*(?! (?:social work|team|discharge team))",
        r"ambulance", r"admitted", r"paramedic\w*",
        r"paediatric\w*", r"medical", r"fall", r"falls", r"fell", r"fallen",
        r"on the floor", r"delirium", r"confus\w*", r"dementia", r"wound\w*",
        r"lost (?:a bit|weight|a lot)", r"weight", r"appetite", r"dehydrat\w*",
        r"malnourish\w*", r"pressure sores?", r"seizure\w*", r"unconscious", r"pain\w*",
        r"sore", r"aches?", r"aching",
        r"(?:back|knee|knees|hip|chest|leg|legs|arm|head)(?:'s| is| are)? (?:also |very |really |"
        r"so )?(?:bad|sore|killing|hurting|aching)",
        r"lift(?:ing)? (?:him|her|them) (?:up|from|off|out)",
    ),
    "domestic_abuse": (
        r"domestic (?:abuse|violence)", r"dv", r"non[- ]?mol\w*", r"injunction\w*",
        r"controlling", r"coerci\w*", r"marac", r"idva", r"refuge", r"restraining order",
        r"bail conditions",
    ),
    "exploitation": (
        r"exploit\w*", r"groom\w*", r"cse", r"cce", r"county lines", r"sexual\w*",
        r"older (?:man|men|male|males|lad|lads|boy|boys|boyfriend)", r"gifts?",
        r"trafficked", r"radicali[sz]\w*",
    ),
    "missing": (
        r"missing", r"ran away", r"run(?:ning)? away", r"didn't come home",
        r"stay(?:ed|ing)? out (?:all night|overnight)", r"return home interview",
    ),
    "substances": (
        r"drink(?:s|ing)?", r"drunk", r"alcohol\w*", r"drugs?", r"cannabis", r"weed",
        r"cocaine", r"heroin", r"spice", r"methadone", r"using again", r"relaps\w*",
        r"lapse\w*", r"hungover",
    ),
    "mental_health": (
        r"depress\w*", r"anxi\w*", r"panic\w*", r"psychos\w*", r"psychotic", r"hallucinat\w*",
        r"hearing voices", r"sectioned",
        r"mental health(?! (?:team|service|services|nurse|worker|trust))", r"crisis",
        r"hopeless\w*",
        r"worthless", r"(?:can't|cannot|not) cop(?:e|ing)", r"struggling",
        r"(?:feel|feeling|felt|get|getting|been) (?:a bit )?(?:low|down|flat|dark|empty)",
        r"low mood", r"lonely", r"isolated", r"breaking point", r"exhausted",
        r"not sleeping", r"(?:lose|lost|losing) (?:my )?(?:patience|temper)",
    ),
    "medication": (
        r"medication\w*", r"medicines?", r"tablets?", r"pills?", r"prescri\w*", r"dose\w*",
        r"injections?", r"insulin", r"lithium", r"clozapine", r"warfarin", r"methadone",
        r"blood[- ]thinn\w*", r"antidepressants?", r"inhaler",
    ),
    "money_or_housing": (
        r"debts?", r"arrears", r"behind on", r"sanction\w*", r"can't afford", r"owe[sd]?",
        r"evict\w*", r"homeless\w*", r"bailiffs?", r"loans?", r"food ?banks?",
        r"(?:skip|skipping|skipped) meals", r"cut off", r"emergency credit", r"overcrowd\w*",
        r"no (?:gas|electric\w*|heating|hot water|food|money)",
        r"gas (?:is |has been |was )?off",
    ),
    "neglect_or_home": (
        r"neglect\w*", r"hungry", r"hunger", r"freezing", r"damp", r"mould\w*", r"filthy",
        r"dirty", r"unsafe", r"hoard\w*", r"fire (?:risk|hazard|service|brigade)",
        r"smoke alarms?", r"(?:left|home) alone", r"unsupervised", r"mattress",
    ),
    "fear_or_distress": (
        r"scared", r"frightened", r"afraid", r"terrified",
        r"(?<!don't )(?<!not to )(?<!no )worr(?:y|ies|ied|ying)",
        r"cry", r"cries", r"cried", r"crying", r"nightmares?", r"bad dreams?",
        r"(?:don't|do not|didn't) feel safe", r"not safe", r"safe",
    ),
    "school": (
        r"attendance", r"exclu(?:ded|sion)", r"off school", r"missed school", r"truan\w*",
    ),
    "process": (
        r"police", r"arrest\w*", r"court", r"child protection", r"section (?:47|17)",
        r"strategy (?:meeting|discussion)", r"safety plan", r"safeguarding", r"threshold",
        r"care proceedings", r"capacity", r"best interests?", r"deprivation of liberty",
        r"declined", r"refused", r"(?:doesn't|does not|didn't|won't) consent",
        # consent to share information or contact others ("okay if I let your GP know?")
        r"(?:okay|ok|alright|all right|happy|mind) (?:if i|with me|for me to) (?:\w+ ){0,2}?"
        r"(?:let|tell|speak|talk|contact|ring|phone|share|inform|write)",
        r"can i (?:contact|speak to|talk to|ring|phone|tell|let|share)",
        r"shar(?:e|ing) (?:this|that|it|information|what)",
    ),
}

_COMPILED: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (topic, re.compile(r"(?<![\w'])(?:" + "|".join(patterns) + r")(?![\w'])", re.IGNORECASE))
    for topic, patterns in RISK_TOPICS.items()
)


def risk_topics(text: str) -> frozenset[str]:
    """The risk topics ``text`` speaks of (empty when it speaks of none)."""
    norm = text.replace("’", "'")
    return frozenset(topic for topic, pattern in _COMPILED if pattern.search(norm))
