"""What the drafter must never drop: words that bear on risk or safeguarding.

The drafter's job is "nothing critical dropped": a turn that speaks of harm, self-harm, abuse,
exploitation, harmful practices (FGM, forced marriage), going missing, injury or a fall,
substances, mental health, medication, money or housing in crisis, neglect, a child's fear, or a
safeguarding process (police, court, a plan, capacity) is carried into the draft even when its
section is full.

Risk is rarely said in the textbook's words, so each heading also holds the everyday ones:
money gone from an account or a card someone else keeps (financial abuse); a fist through a
door, a phone gone through, "walking on eggshells" (violence and control); a door locked at
night or someone found outside at three in the morning; a tablet stopped, or named; a child
wetting the bed again; "easier if I just wasn't here"; "I'm on my knees".

The categories follow the usual safeguarding headings (Working Together, the Care Act's types
of abuse and neglect, suicide-risk screening), not any one case's words. They are the drafter's
own: the checks keep their own lists for what they flag.
"""

from __future__ import annotations

import re

from casenotes.domain.transcript import restore_dropped_g

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
        r"(?:easier|better)(?: for everyone)? if i (?:just )?(?:wasn't|weren't|was not|was gone|"
        r"died|didn't wake up)",
        r"(?:don't|didn't|do not|not) want(?:ing)? to be (?:here|around|alive)(?: any ?more)?",
        r"not (?:be )?(?:here|around) any ?more", r"(?:what's|what is) the point",
        r"(?:don't|doesn't|does not|can't|cannot|didn't|won't) see the point",
        r"not wak(?:e|ing) up",
        r"(?:ending|end) (?:your|my|their) life", r"wouldn't do that to",
    ),
    "harm": (
        r"hit(?:s|ting)?", r"hurt\w*", r"harm(?:ed|ing|s)?", r"smack\w*", r"slap\w*",
        r"punch\w*", r"kick(?:ed|s|ing)?", r"shov\w*", r"grab(?:bed|s)?", r"chok\w*",
        r"strangl\w*", r"violen\w*", r"assault\w*", r"weapon\w*", r"knife", r"knives",
        r"threat\w*", r"shout\w*", r"scream\w*", r"abus\w*",
        r"fist through", r"smash\w*", r"(?:broke|broken|kicked|put \w+ (?:fist|foot|head) "
        r"through) (?:the|a|my|her|his) (?:door|window|wall|phone|tv|telly)",
        r"threw", r"throw(?:s|ing)? (?:things|stuff)", r"temper",
        r"(?:gets?|got|getting) (?:a bit )?handy", r"laid a finger",
        r"rough(?:ly)? (?:with|handled)", r"pinned", r"push(?:ed|es)?",
        r"(?:booted|kicked|smashed|put|forced) (?:it|the door|(?:my|her|his|the) \w+ door) in",
        # a threat as people make one: "if you do that again …", "you'll be going out the window"
        r"if (?:i|you|he|she|they|we) (?:did|do|does|try|tried) (?:it|that|owt like that) again",
        r"(?:go|going|gannin|gan|goin|thrown|throw|chuck\w*) (?:out|oot) (?:of )?the window",
        # a hold, as a carer or parent tells it: "I took her by the arm", "hand round it. Firm."
        r"(?:took|take|grabbed|held|hold|holding|pulled|yanked|dragged|caught) (?:him|her|them|me|"
        r"you) by the (?:arm|arms|wrist|wrists|hair|neck|collar|hand|shoulders?|top of)",
        r"hand (?:round|around) (?:it|her|his|their|my) ?(?:arm|wrist|neck|throat)?",
    ),
    "injury_or_health": (
        r"bruis\w*", r"injur\w*", r"burn(?:s|t|ed)?(?! out)", r"fractur\w*",
        r"broke(?:n)? (?:his|her|my|their)? ?(?:arm|leg|wrist|hip|bone|ribs?)", r"bleed\w*",
        r"marks? on", r"a&e", r"hospital\w*(?! (?:social work|team|discharge team))",
        r"ambulance", r"admitted", r"paramedic\w*",
        r"paediatric\w*", r"medical", r"fall", r"falls", r"fell", r"fallen",
        # a diagnosis, and the end of life as it is said ("we're looking at months")
        r"diagnos\w*", r"terminal\w*", r"palliative", r"end of (?:his|her|my|their)? ?life",
        r"hospice", r"dying", r"(?:looking at|got|has|have|given) (?:\w+ )?(?:weeks|months)"
        r"(?: to live| left)?(?=[.,;]|$| nae| not| now)",
        r"on the floor", r"delirium",
        # the long lie after a fall: "down there for hours", "couldn't reach the phone"
        r"(?:on the floor|down there|lying there|lay there|on the ground) (?:for )?(?:hours|ages|"
        r"all night|half the \w+|the best part)",
        r"(?:couldn't|could not|can't|cannot) (?:reach|get to) (?:the|my|his|her) "
        r"(?:phone|pendant)",
        r"(?:couldn't|could not|can't) get (?:myself |himself |herself )?(?:up|off the floor)",
        r"confus\w*", r"dementia", r"wound\w*",
        # a wound as it is told: "a cut on his hand, right across the palm", "it's quite deep"
        r"(?:a|the|that|this) (?:\w+ )?(?:cut|gash|graze|scald|bite)s? (?:on|across|to|in|down) "
        r"(?:his|her|my|their|your|the)", r"(?:it's|it is|that's|that is|looks) (?:quite |very |"
        r"really |pretty |too )?deep",
        r"(?:surgery|(?:an|the|da|her|his|my) (?:\w+ )?op(?:eration)?)(?! encompass)",
        r"on (?:the|a|da) (?:waiting )?list for",
        r"lost (?:a bit|weight|a lot)", r"weight", r"appetite", r"dehydrat\w*",
        r"malnourish\w*", r"pressure sores?", r"seizure\w*", r"unconscious",
        r"(?<!being a )(?<!be a )(?<!such a )(?<!not a )(?<!bit of a )(?<!right )pain\w*",
        r"sore", r"aches?", r"aching",
        r"(?:back|knee|knees|hip|chest|leg|legs|arm|head)(?:'s| is| are)? (?:also |very |really |"
        r"so )?(?:bad|sore|killing|hurting|aching|no great|not great|no good|not good|playing up|"
        r"giving (?:me|him|her) (?:gyp|jip|grief))",
        r"lift(?:ing)? (?:him|her|them) (?:up|from|off|out)",
        r"(?:had|having|has|have|took|takes) (?:a |another |his |her )?fits?",
        r"(?:banged|bumped|hit|cracked|smacked|knocked) (?:his|her|my|their) head",
        r"(?:lost|losing|dropped|put on) (?:\w+ ){0,3}(?:kilos?|kg|stone|pounds in weight)",
        r"(?:meals?|food|dinner|lunch|tea)(?:s)? (?:\w+ ){0,4}(?:not eaten|uneaten|untouched|"
        r"in the bin)",
    ),
    "domestic_abuse": (
        r"domestic (?:abuse|violence)", r"dv", r"non[- ]?mol\w*", r"injunction\w*",
        r"controlling", r"coerci\w*", r"marac", r"idva", r"refuge", r"restraining order",
        r"bail conditions",
        r"walking on eggshells", r"goes through (?:my|her|his) phone",
        r"(?:checks|check|checking) (?:my|her|his) phone",
        r"who (?:i've|i'd|i|she's|she) (?:been )?text(?:ed|ing)?",
        r"(?:won't|doesn't|don't) let (?:me|her|him)",
        r"not allowed (?:out|to go|to see)", r"(?:take|took|taking) (?:the kids|the children|"
        r"\w+) (?:off|away from) (?:me|her|him)", r"never see (?:her|him|them|the kids) again",
        r"i'd never see",
    ),
    "exploitation": (
        r"exploit\w*", r"groom\w*", r"cse", r"cce", r"county lines", r"sexual\w*",
        r"older (?:man|men|male|males|lad|lads|boy|boys|boyfriend)", r"gifts?",
        r"trafficked", r"radicali[sz]\w*",
        r"(?:second|another|new|extra) phone", r"(?:new|expensive|designer) (?:trainers|clothes|"
        r"jacket|phone)", r"in (?:twenties|tens|fifties)", r"(?:picking|picks|picked) (?:him|her|"
        r"them) up", r"gets? in(?:to)? (?:the|his|a) (?:car|back|van)", r"cash in hand",
        r"a mate's", r"intelligence", r"convictions?", r"(?:seen|hanging about|hangs about) with",
        r"seen (?:picking|collecting|dropping)",
        r"older (?:young )?(?:man|men|lad|lads|friend|friends|boy|boys|girl|girls|woman|women)",
        r"can't just stop", r"owes? (?:them|him|someone)",
        # someone moving in on a vulnerable person ("He's got a key. … I couldn't say no.")
        r"(?:he's|she's|they've|he has|she has|they have) got (?:a|my|the|his own|her own) key",
        r"(?:gave|give|given) (?:him|her|them) (?:a|my|the) key",
        r"(?:couldn't|can't|cannot|didn't dare|daren't) (?:say|tell (?:him|her|them)) "
        r"(?:no|nee|naw|nah)",
        r"nudes?", r"indecent", r"(?:sent|send|sending|asked for|asking for|wanted) (?:him |her |"
        r"them )?(?:the |some |a |more )?(?:images?|pictures?|pics|photos?|videos?)",
    ),
    # harmful practices (Working Together): female genital mutilation, in the words families
    # and midwives use ("cut as a girl", "the sunna", "the pharaonic one", "circumcision")
    "harmful_practices": (
        r"fgm", r"female genital", r"mutilat\w*", r"circumcis\w*", r"infibulat\w*",
        r"(?:she|he|i|we|they|you|girls?|daughters?|sisters?|women|woman|child|baby|who|one)"
        r"(?:'s|'d| is| was| were| are| has| have| had| been| being| must| should| be| not| got)+"
        r" cut(?! (?:off|down|back|out|up|short|to|by))",
        r"cut as (?:a|an) (?:little )?(?:girl|child|baby)", r"sunn[ao]h?", r"pharaonic",
        r"khatna",
        r"breast ironing",
        # forced marriage and so-called honour-based abuse, as a young person tells it: "I'm to
        # get engaged to my cousin", "she'd shame the family", "married off", "one way"
        r"forced (?:marriage|to marry|into (?:a )?marriage)", r"fmu", r"fmpo",
        r"(?:honou?r|izzat)(?:[- ]based)?", r"dishonou?r\w*", r"shame (?:the|on the|our|my|her|"
        r"his) family", r"(?:bring|brought|bringing) shame",
        r"(?:get|getting|got|be|being|to be) (?:engaged|married) (?:off |to (?:my|her|his|their|"
        r"a) (?:cousin|uncle's|older|man))", r"married off",
        r"(?:marry|marrying) (?:my|her|his) cousin",
        r"(?:sent|send|sending|taken|taking) (?:back )?(?:abroad|home|back) to (?:get )?"
        r"(?:married|marry|be married)", r"one[- ]way (?:ticket|flight|for (?:her|him|me))",
        r"(?:he|she|they|dad|mum|father|mother|uncle|aunt|brother|parents)(?:'s|'ve| has| have|"
        r" had)? (?:got|taken|took|holds?|held|kept|keeps|has|hides|hid|hidden) (?:my|her|his|"
        r"their|our) passports?", r"passports? (?:is |was |has been |have been )?(?:taken|held|"
        r"kept|hidden|locked)",
    ),
    "missing": (
        r"missing", r"ran away", r"run(?:ning)? away", r"didn't come home",
        r"stay(?:ed|ing)? out (?:all night|overnight)", r"return home interview",
        r"wander\w*", r"(?:at|till|until) (?:one|two|three|four|five|[1-5]) (?:in the morning|am)",
        r"middle of the night", r"front door at night",
        r"lock(?:s|ed|ing)? (?:the|her|him|them|me) (?:front )?(?:door|in)", r"locked in",
        r"(?:take|takes|took) the key",
        # going missing as carers count it: "the third time he's gone this month", "she went for
        # the front door. Out, in her socks"
        r"(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|umpteenth) time "
        r"(?:he|she|they|you)(?:'s|'ve| has| have)? (?:gone|run|ran|gone off|took off|"
        r"not come back)",
        r"(?:went|ran|run|bolted|made|headed) (?:for|out of|out through|off out of) (?:the )?"
        r"(?:front |back )?door",
        r"(?:back|came back|come back) the next (?:morning|day)",
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
        # a panic attack as it is told: "I couldn't breathe, my chest went all tight"
        r"(?:couldn't|could not|can't|cannot) (?:breathe|get (?:my|a) breath)",
        r"chest (?:went|goes|going|gets|got|was|is|felt|feels)? ?(?:all |really |so )?tight",
        r"worthless", r"(?:can't|cannot|not) cop(?:e|ing)", r"struggling",
        r"(?:feel|feeling|felt|get|getting|been) (?:a bit )?(?:low|down|flat|dark|empty)",
        r"low mood", r"lonely", r"isolated", r"breaking point", r"exhausted",
        r"not sleeping", r"(?:lose|lost|losing) (?:my )?(?:patience|temper)",
        r"on (?:my|her|his) knees", r"running on empty", r"end of (?:my|her|his) tether",
        r"(?:my|her|his) wits'? end", r"falling apart", r"(?:can't|cannot) take (?:any )?more",
        r"had enough", r"in (?:my|her|his) soul", r"let (?:him|her|them) down",
        r"(?:nobody|no one|no-one) (?:ever )?(?:talks|talked|speaks|spoke|signs|signed|comes|came|"
        r"visits|rings|calls) (?:to me|with me|round|me)",
        r"(?:nobody|no one|no-one) to (?:talk|speak|sign) to",
    ),
    "medication": (
        r"medication\w*", r"medicines?", r"tablets?", r"pills?", r"prescri\w*", r"dose\w*",
        r"injections?", r"insulin", r"lithium", r"clozapine", r"warfarin", r"methadone",
        r"blood[- ]thinn\w*", r"antidepressants?", r"inhaler",
        r"side[- ]effects?", r"depot", r"sertraline", r"fluoxetine", r"citalopram", r"escitalopram",
        r"mirtazapine", r"venlafaxine", r"amitriptyline", r"olanzapine", r"quetiapine",
        r"risperidone", r"aripiprazole", r"haloperidol", r"diazepam", r"zopiclone", r"pregabalin",
        r"gabapentin", r"tramadol", r"codeine", r"morphine", r"donepezil", r"levothyroxine",
        r"metformin", r"(?:stopped|stopping|stop|came off|come off|coming off|not taking|"
        r"not been taking|haven't been taking) (?:it|them|my|her|his|the night|the morning)",
    ),
    "money_or_housing": (
        r"debts?", r"arrears", r"behind on", r"sanction\w*", r"can't afford", r"owe[sd]?",
        r"evict\w*", r"homeless\w*", r"bailiffs?", r"loans?", r"food ?banks?",
        r"(?:skip|skipping|skipped) meals", r"cut off", r"emergency credit",
        r"(?:gas|electric\w*|meter)(?:'s| is| was)? (?:on|down to) (?:the )?emergency",
        r"overcrowd\w*",
        r"no (?:gas|electric\w*|heating|hot water|food|money)",
        r"gas (?:is |has been |was )?off",
        r"(?:bank|cash|debit|credit|post office) cards?", r"(?:the|my|her|his|your|their) pin",
        r"pin numbers?", r"withdraw\w*",
        r"withdrew", r"cash ?(?:machine|point)", r"bank statements?", r"(?:savings|money|pension|"
        r"benefits?)(?:'s| is| has| was| have)?(?: been)?(?: (?:all|just|completely|nearly|"
        r"almost))* (?:gone|missing|disappeared|taken)",
        # a sum of money said aloud, and what is left or put by: "forty pound, Fridays",
        # "three pounds and twelve pence", "over a thousand in there", "for my funeral"
        r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|"
        r"fifty|sixty|seventy|eighty|ninety|hundred|thousand|couple of) ?(?:pounds?|quid|grand|"
        r"pence)", r"£ ?\d[\d,.]*", r"(?:the|bank|account) balance",
        r"(?:over|nearly|about|almost) a (?:thousand|hundred|grand)",
        # a sum asked for or paid, said without its unit: "they need another two thousand"
        r"(?:another|more|extra|paid|pay|gave|give|want|wants|wanted|need|needs|needed|"
        r"asking for|asked for|owe|owes|charged?) (?:\w+ ){0,2}(?:hundred|thousand|grand)",
        r"put (?:it|that|some|money) by", r"(?:for|towards) (?:my|her|his) funeral",
        r"(?:gone|went|taken) out of (?:my|her|his|their|the) account", r"borrow\w*",
        r"pay (?:it|me|her|him) back", r"lent (?:him|her|them)", r"notice to quit",
        r"(?:final )?warning letter", r"(?:put|kick|kicked|throw|thrown) (?:us|me|him|her) out",
        r"on the streets", r"(?:lose|losing|lost) (?:my|the|her|his) (?:flat|place|tenancy|home|"
        r"house)",
    ),
    "neglect_or_home": (
        r"neglect\w*", r"hungry", r"hunger", r"freezing", r"damp", r"mould\w*", r"filthy",
        r"dirty", r"unsafe", r"hoard\w*", r"fire (?:risk|hazard|service|brigade)",
        r"smoke alarms?", r"(?:left|home) alone",
        # fire, and a home without heat: "if there was ever a fire", "the boiler's packed up"
        r"(?:if|in case) (?:there (?:was|were|is) |of )?(?:ever )?a fire", r"house fire",
        r"set fire", r"on fire", r"caught fire",
        r"(?:boiler|heating|hot water)(?:'s| is| has| was)? (?:been )?(?:broken|broke|bust|"
        r"packed (?:up|in)|gone|not working|stopped|died|off|conked out)",
        r"unsupervised", r"mattress",
        r"wet(?:s|ting)? (?:the|his|her) bed", r"wetting", r"soil(?:ing|ed|s)", r"dry at night",
        r"no food in", r"(?:heard|saw|seen|watched) (?:it all|everything|the whole thing)",
        r"must've heard", r"found me",
        r"(?:left|leave|leaving) (?:her|him|them|the (?:baby|kids|children|bairns)|my (?:own )?"
        r"\w+) (?:on (?:her|his|their) own|alone|by (?:her|him|them)sel(?:f|ves))",
    ),
    # an admission, or a secret kept ("I know I shouldn't have", "told me not to tell"): what
    # follows is often the disclosure itself
    # a concern raised ("My bigger worry is his weight. He's lost …"): what follows is it
    "concern_raised": (
        r"(?:my|our|the) (?:\w+ )?(?:worry|concern|fear) (?:is|was|here is)",
        r"what (?:worries|concerns) (?:me|us) (?:is|most)",
    ),
    "admission_or_secret": (
        r"(?:i|we) (?:know (?:i|we) )?shouldn't have", r"(?:just|only) the once",
        r"(?:i|we) know (?:i|we) should(?:'ve| have)",
        r"(?:i|we) should(?:'ve| have) (?:rung|called|told|reported|phoned|written|logged|said)",
        r"(?:i|we) (?:never|didn't) (?:tell|told) (?:anyone|anybody|nobody)",
        r"(?:don't|not to|never) tell (?:anyone|anybody|nobody|you|the social worker|"
        r"social services|(?:my|your|the) \w+ worker)",
        r"(?:told|tell|telling|tells) (?:me|him|her|us|them) not to (?:tell|say)",
        # "Don't tell Dean I said about the chain": whom the child is afraid will find out
        r"(?:don't|do not|not to|never) tell (?:(?:my|your|our) )?[\w\[\]]+ (?:that )?(?:i|we) "
        r"(?:said|told|talked|spoke|say)",
        r"(?:don't|do not|please don't) tell (?:him|her|mum|mam|dad|my (?:mum|mam|dad))"
        r"(?= about|[.,!?]|$)",
        r"(?:a|our|the) secret", r"keep (?:it|this|that) (?:quiet|between us)",
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
        r"declined", r"refused", r"referr(?:al|als|ed|ing)", r"risk assessment",
        r"(?:doesn't|does not|didn't|won't) consent",
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
    norm = restore_dropped_g(text).replace("’", "'")  # "freezin'", "not sleepin'"
    return frozenset(topic for topic, pattern in _COMPILED if pattern.search(norm))


# Travel abroad, which becomes a risk where harmful practices were spoken of: FGM is most often
# done on a trip to the family's country in the summer holidays ("to Somaliland in the summer",
# "we have not booked", "the grandmother wants to see them").
_TRAVEL = re.compile(
    r"(?<![\w'])(?:travel\w*|trip|trips|holidays?|flights?|fly(?:ing)?|booked|book(?:ing)? "
    r"(?:the |a )?(?:tickets?|flights?)|go(?:ing)? (?:back )?home for|back home|abroad|"
    r"(?:summer|the wedding)|visit(?:ing)? (?:the )?(?:family|relatives|grand\w+))(?![\w'])",
    re.IGNORECASE,
)

#: The risk topic under which travel abroad is carried.
HARMFUL_PRACTICES = "harmful_practices"


def travel(text: str) -> bool:
    """Whether ``text`` speaks of travel or a family trip abroad."""
    return _TRAVEL.search(text.replace("’", "'")) is not None

