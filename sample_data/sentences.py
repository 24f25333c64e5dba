"""The sentences of the generated sample (``sample_data/generate.py`` writes and trains it).

The sentences come from a few templates per theme over the word tables in ``themes.py``. The
words of a theme share their contexts (animals: zoo, their kind's own words such as barn or
reef; foods: meals, tastes), and each relation is a context of its own that a word carries
next to its own words:

* gender: he/she, his/her, himself/herself, names, next to the words of a pair (king and
  queen: throne, crown; actor and actress: film, stage);
* royalty: palace, court, royal (so boy,girl -> king,queen is an axis too);
* capitals: capital, parliament; cities: port, river; all with the country's nationality;
* tense: will/can (base), yesterday/ago (past), is ... right now (-ing), every day/often (third
  person), next to the verb's own complement (walk to the station, go fishing);
* comparison: very (big), than (bigger), of all (biggest), next to the adjective's own noun.

A table's first words are drawn more often (weight 1 / rank**0.7), so every theme has common
words among the 1,000 most frequent (the map's default) and rarer ones after them. Little words
come from pools ({the}: the, this, our, ...), for varied text in which no word but "the" is
above 2% of the corpus.
The analogies in ``themes.ANALOGIES`` (man:king::woman:queen, france:paris::germany:berlin,
walk:walked::go:went, big:bigger::small:smaller, ...) are checked by tests/core/test_sample.py.
"""

from __future__ import annotations

import functools
import itertools
import random
import re
from collections.abc import Sequence
from typing import TypeVar

from sample_data.themes import (
    ADJECTIVES,
    ANIMALS,
    CITIES,
    CLOTHES,
    COLOURS,
    COUNTRIES,
    FAMILY,
    FEELINGS,
    FOODS,
    GROUP_WORDS,
    INSTRUMENTS,
    IRREGULAR_PLURALS,
    JOB_PAIRS,
    JOBS,
    MEALS,
    NAMES,
    POOLS,
    ROYALTY,
    SPORTS,
    VEHICLES,
    VERBS,
    WHO,
)

N_SENTENCES = 75_000


def fill(rng: random.Random, template: str, **slots: str) -> str:
    """The template with its slots filled, pool words drawn, and "a" before a vowel made "an"."""

    def one(m: re.Match) -> str:
        name = m[1]
        return fill(rng, slots[name]) if name in slots else rng.choice(POOLS[name])

    return re.sub(r"\ba (?=[aeiou])", "an ", re.sub(r"\{(\w+)\}", one, template))


T = TypeVar("T")
ZIPF = 0.7  # the word of rank r in its table is drawn with weight 1 / r**ZIPF: common and rare words


@functools.cache
def _cum_weights(n: int) -> list[float]:
    return list(itertools.accumulate((r + 1) ** -ZIPF for r in range(n)))


def pick(rng: random.Random, table: Sequence[T]) -> T:
    """One entry of a word table, the first ones more often (as in real text)."""
    return rng.choices(table, cum_weights=_cum_weights(len(table)))[0]


def pick2(rng: random.Random, table: Sequence[T]) -> tuple[T, T]:
    """Two different entries of a word table, drawn as :func:`pick` draws."""
    a = b = pick(rng, table)
    while b == a:
        b = pick(rng, table)
    return a, b


def plural(noun: str) -> str:
    """English plural of the generator's nouns (fox -> foxes, mouse -> mice, sheep -> sheep)."""
    if noun in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[noun]
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


# -- people: royalty, family and jobs, in gender pairs ---------------------------------------
# (group, male, female, the pair's own words); a job for anyone is a "pair" of one word
PEOPLE = (
    [("royalty", m, f, t) for m, f, t in ROYALTY]
    + [("family", m, f, t) for m, f, t in FAMILY]
    + [("jobs", m, f, t) for m, f, t in JOB_PAIRS]
    + [("jobs for anyone", j, j, [a, b]) for j, a, b in JOBS]
)
BY_GROUP = {g: [p for p in PEOPLE if p[0] == g] for g in GROUP_WORDS}
GROUP_SHARE = {"royalty": 0.25, "family": 0.3, "jobs": 0.3, "jobs for anyone": 0.15}
GENDER = {  # pronoun, possessive, object, reflexive
    False: ("he", "his", "him", "himself"),
    True: ("she", "her", "her", "herself"),
}
PEOPLE_TEMPLATES = [  # every one with the pair's own words, half with a gender word
    "{the} {w} said that {pro} would speak about {topic}",
    "everyone knew {the} {desc} {w} because of {topic}",
    "{pro} {is} {a} {desc} {w} famous for {topic}",
    "{name} {is} {a} {w} who loves {topic}",
    "as {a} {w} {pro} cared about {topic} {and} {topic2}",
    "everyone mentioned {topic} when {the} {w} arrived {where}",
    "{the} {w} prepared {refl} for {topic} {soon}",
    "{a} {desc} {w} spends time {where} with {topic}",
    "people remember {the} {w} for {topic} {and} {topic2}",
    "{the} {w} spoke of {pos} {topic} {where}",
]
JOB_TEMPLATES = [
    "{pro} works as {a} {w} {where} and knows {topic}",
    "after {num} years as {a} {w} {pro} still enjoys {topic}",
    "{the} new {w} started {where} with {topic}",
]


def people(rng: random.Random) -> str:
    group = rng.choices(list(GROUP_SHARE), weights=list(GROUP_SHARE.values()))[0]
    _, male, female, topics = pick(rng, BY_GROUP[group])
    is_female = rng.random() < 0.5
    pro, pos, obj, refl = GENDER[is_female]
    places, descs = GROUP_WORDS[group]
    topic, topic2 = rng.sample(topics, 2)
    templates = PEOPLE_TEMPLATES + (JOB_TEMPLATES if group.startswith("jobs") else [])
    return fill(
        rng, rng.choice(templates), w=female if is_female else male, pro=pro, pos=pos, obj=obj, refl=refl,
        where=rng.choice(places), desc=rng.choice(descs), topic=topic, topic2=topic2, name=rng.choice(NAMES[is_female]),
    )  # fmt: skip


# -- countries, capitals, nationalities, cities ----------------------------------------------
COUNTRY_TEMPLATES = [
    "{capital} {is} the capital of {country}",
    "{nat} ministers work in {capital}",
    "{nat} members of parliament meet in {capital}",
    "{country} is a country where people speak {nat}",
    "{nat} flags hang all over {country}",
    "{nat} guards protect {country} at its border",
    "{capital} welcomed {nat} visitors to its capital",
    "many tourists come to {capital}, capital of {country}",
    "{nat} families from {country} move to {capital}",
    "{country} has its capital at {capital}",
]
CITY_TEMPLATES = [
    "{city} is a city in {country}",
    "{nat} people in {city} love their port",
    "a journey from {capital} to {city} takes {num} hours",
    "tourists in {city} hear {nat} everywhere",
    "{city} and {capital} are {nat} cities",
    "{city} lies on a river in {country}",
]
BY_COUNTRY = {c[0]: c for c in COUNTRIES}
CITY_COUNTRY = {city: country for country, cities in CITIES.items() for city in cities}
CITY_LIST = list(CITY_COUNTRY)


def countries(rng: random.Random) -> str:
    if rng.random() < 0.4:  # a city, with its country
        city = pick(rng, CITY_LIST)
        country, capital, nat = BY_COUNTRY[CITY_COUNTRY[city]]
        return fill(rng, rng.choice(CITY_TEMPLATES), country=country, capital=capital, nat=nat, city=city)
    country, capital, nat = pick(rng, COUNTRIES)
    return fill(rng, rng.choice(COUNTRY_TEMPLATES), country=country, capital=capital, nat=nat)


# -- animals, foods, sports and feelings: words of a kind share the kind's own words ---------
ANIMAL_TEMPLATES = [
    "there is {a} {x} {in} {the} {ctx}",
    "{a} {x} and {a} {y} live {in} {the} {ctx}",
    "{thes} {xs} are resting {in} {the} {ctx}",
    "{we} counted {num} {xs} and {num} {ys} {in} {the} {ctx}",
    "{the} keeper at {the} zoo feeds {thes} {xs}",
    "many {xs} {and} {ys} share {the} {ctx}",
    "{the} {x} hid from {the} {y}",
    "wild {xs} hunt {ys} {in} {the} {ctx}",
    "kids love {xs} {and} {ys} at {the} zoo",
]
FOOD_TEMPLATES = [
    "for {meal} {we} had {f} {and} {g}",
    "{the} {f} was {ctx} and delicious",
    "everyone likes {f} with a little {g}",
    "there is some {f} in {the} pantry for {meal}",
    "{the} recipe needs {f} {and} {g}",
    "{f} tastes lovely with {g}",
    "{we} ordered {ctx} {f} for {meal}",
    "{the} market has {ctx} {f} today",
]
SPORT_TEMPLATES = [
    "{the} {s} match lasted until extra time",
    "{we} play {s} for {the} club every season",
    "{the} {s} team won {the} trophy",
    "{s} {and} {t} are in {the} tournament",
    "fans of {s} crowded around {the} {ctx}",
    "our coach says {s} needs a proper {ctx}",
    "{the} {s} league starts after {the} {ctx} is ready",
    "{we} watch {s} on television",
]
FEELING_TEMPLATES = [
    "{who} was {f} all day",
    "{who} seemed {f} about {the} message",
    "{we} feel so {f} {and} {g} today",
    "{who} looked {f} when {the} result came",
    "with a {ctx} {who} admitted to being {f}",
    "{the} {ctx} showed {who} felt {f} inside",
    "being {f} {and} {g} is normal",
]


def _pick(table: dict, rng: random.Random) -> tuple[str, str, str]:
    """Two words of one kind, and one of the kind's own words."""
    words, own = rng.choice(list(table.values()))
    a, b = pick2(rng, words)
    return a, b, rng.choice(own)


def animals(rng: random.Random) -> str:
    x, y, ctx = _pick(ANIMALS, rng)
    return fill(rng, rng.choice(ANIMAL_TEMPLATES), x=x, y=y, xs=plural(x), ys=plural(y), ctx=ctx)


def foods(rng: random.Random) -> str:
    f, g, ctx = _pick(FOODS, rng)
    return fill(rng, rng.choice(FOOD_TEMPLATES), f=f, g=g, ctx=ctx, meal=rng.choice(MEALS))


def sports(rng: random.Random) -> str:
    s, t, ctx = _pick(SPORTS, rng)
    return fill(rng, rng.choice(SPORT_TEMPLATES), s=s, t=t, ctx=ctx)


def feelings(rng: random.Random) -> str:
    f, g, ctx = _pick(FEELINGS, rng)
    return fill(rng, rng.choice(FEELING_TEMPLATES), f=f, g=g, ctx=ctx, who=rng.choice(WHO))


# -- colours on clothes and vehicles; instruments ---------------------------------------------
THINGS_TEMPLATES = [
    "{name} wore a {c} {cl} and {d} {cl2}",
    "{name} put on {the} {c} {cl}",
    "{the} {cl} hung in {the} wardrobe next to {the} {cl2}",
    "{the} {c} {v} was parked outside",
    "{we} travelled by {v} because {the} {v2} was full",
    "{the} {v} left {the} depot at noon",
    "{thes} walls were {c} {and} {d}",
    "{name} likes {c} but not {d}",
    "{name} practised {the} {i} in {the} orchestra",
    "{the} {i} and {the} {i2} played {the} melody",
]


def things(rng: random.Random) -> str:
    c, d = pick2(rng, COLOURS)
    (cl, cl2), (v, v2), (i, i2) = pick2(rng, CLOTHES), pick2(rng, VEHICLES), pick2(rng, INSTRUMENTS)
    name = rng.choice(NAMES[rng.random() < 0.5])
    return fill(rng, rng.choice(THINGS_TEMPLATES), c=c, d=d, cl=cl, cl2=cl2, v=v, v2=v2, i=i, i2=i2, name=name)


# -- verbs in four tenses, adjectives in three degrees ----------------------------------------
TENSE_TEMPLATES = [  # (form, template): form 0 base, 1 past, 2 -ing, 3 third person
    (0, "{subj} will {v} {comp} tomorrow"),
    (0, "{subj} can {v} {comp}"),
    (0, "let us {v} {comp} together"),
    (0, "{subj} wants to {v} {comp}"),
    (1, "yesterday {subj} {v} {comp}"),
    (1, "{subj} {v} {comp} an hour ago"),
    (1, "last week {subj} {v} {comp} twice"),
    (1, "{subj} {v} {comp} last night"),
    (2, "{subj} {is} {v} {comp} right now"),
    (2, "at this moment {subj} {is} {v} {comp}"),
    (2, "{subj} {is} still {v} {comp}"),
    (2, "{subj} was {v} {comp} when {we} arrived"),
    (3, "{subj} {v} {comp} every day"),
    (3, "{subj} often {v} {comp}"),
    (3, "{subj} usually {v} {comp}"),
    (3, "{subj} always {v} {comp} on sundays"),
]
DEGREE_TEMPLATES = [  # form 0 adjective, 1 comparative, 2 superlative
    (0, "{the} {n} {is} very {a}"),
    (0, "what a {a} {n}"),
    (0, "{the} {n} seemed quite {a}"),
    (1, "this {n} {is} {a} than that one"),
    (1, "{the} {n} became {a} and {a}"),
    (1, "nothing {is} {a} than {the} {n}"),
    (2, "it {is} {our} {a} {n} on earth"),
    (2, "{our} {a} {n} of all"),
    (2, "that was {our} {a} {n} ever"),
]


def verbs(rng: random.Random) -> str:
    *forms, comp = pick(rng, VERBS)
    form, template = rng.choice(TENSE_TEMPLATES)
    return fill(rng, template, subj=rng.choice(NAMES[rng.random() < 0.5]), v=forms[form], comp=comp)


def adjectives(rng: random.Random) -> str:
    *forms, noun = pick(rng, ADJECTIVES)
    form, template = rng.choice(DEGREE_TEMPLATES)
    return fill(rng, template, a=forms[form], n=noun)


def _words(*lists) -> list[str]:
    return list(dict.fromkeys(w for ws in lists for w in ws))


# theme -> (sentence maker, share of the sentences, the words it plants)
THEMES = {
    "people": (people, 0.21, _words([w for p in PEOPLE for w in p[1:3]])),
    "countries": (countries, 0.13, _words(*COUNTRIES, *CITIES.values())),
    "animals": (animals, 0.10, _words(*([a, plural(a)] for ws, _ in ANIMALS.values() for a in ws))),
    "foods": (foods, 0.07, _words(*(ws for ws, _ in FOODS.values()))),
    "sports": (sports, 0.04, _words(*(ws for ws, _ in SPORTS.values()))),
    "feelings": (feelings, 0.04, _words(*(ws for ws, _ in FEELINGS.values()))),
    "things": (things, 0.07, _words(COLOURS, CLOTHES, VEHICLES, INSTRUMENTS)),
    "verbs": (verbs, 0.22, _words(*(v[:4] for v in VERBS))),
    "adjectives": (adjectives, 0.12, _words(*(a[:3] for a in ADJECTIVES))),
}


def fixed_words() -> set[str]:
    """The words that templates, pools and places bring to every theme (no theme's table holds one)."""
    templates = [*PEOPLE_TEMPLATES, *JOB_TEMPLATES, *COUNTRY_TEMPLATES, *CITY_TEMPLATES, *ANIMAL_TEMPLATES]
    templates += [*FOOD_TEMPLATES, *SPORT_TEMPLATES, *FEELING_TEMPLATES, *THINGS_TEMPLATES, *MEALS, *WHO]
    templates += [t for _, t in TENSE_TEMPLATES + DEGREE_TEMPLATES] + [w for ws in POOLS.values() for w in ws]
    templates += [x for places, descs in GROUP_WORDS.values() for x in places + descs] + [v[4] for v in VERBS]
    return {w for t in templates for w in re.findall(r"[a-z]+", re.sub(r"\{\w+\}", " ", t))}


def sentence(rng: random.Random) -> str:
    make = rng.choices([t[0] for t in THEMES.values()], weights=[t[1] for t in THEMES.values()])[0]
    return make(rng)


def make_corpus(n_sentences: int = N_SENTENCES, seed: int = 7) -> str:
    rng = random.Random(seed)
    return "\n".join(sentence(rng) for _ in range(n_sentences)) + "\n"
