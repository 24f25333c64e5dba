"""Generate the bundled sample: an English-like corpus with planted structure, and vectors
trained on it with the project's own trainer.

    python sample_data/generate.py            # writes sample_data/corpus.txt.gz and sample_data/sample/

The sentences come from templates, so the structure is known: royalty x gender (king, queen,
man, woman, ...), countries and their capitals, animals, foods, colours, verbs with tenses, and
plurals. On the result, "man is to king as woman is to ?" answers queen and "france is to paris
as germany is to ?" answers berlin.
"""

from __future__ import annotations

import gzip
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

# (male, female) pairs; the first four are "royal"
PAIRS = [
    ("king", "queen"),
    ("prince", "princess"),
    ("emperor", "empress"),
    ("duke", "duchess"),
    ("man", "woman"),
    ("boy", "girl"),
    ("father", "mother"),
    ("son", "daughter"),
    ("brother", "sister"),
    ("husband", "wife"),
    ("uncle", "aunt"),
    ("nephew", "niece"),
]
ROYAL = 4
# words that belong to one pair only, so that e.g. king and queen share what prince and princess don't
TOPICS = [
    ["throne", "crown", "reign"],
    ["heir", "tutor", "youth"],
    ["empire", "legions", "conquest"],
    ["duchy", "estate", "hunting"],
    ["job", "office", "beard"],
    ["school", "games", "toys"],
    ["children", "parenting", "advice"],
    ["parents", "inheritance", "birthday"],
    ["sibling", "twin", "rivalry"],
    ["marriage", "wedding", "anniversary"],
    ["cousins", "visits", "stories"],
    ["nephews", "gifts", "holidays"],
]
COUNTRIES = [
    ("france", "paris", "french"),
    ("germany", "berlin", "german"),
    ("italy", "rome", "italian"),
    ("spain", "madrid", "spanish"),
    ("japan", "tokyo", "japanese"),
    ("china", "beijing", "chinese"),
    ("russia", "moscow", "russian"),
    ("egypt", "cairo", "egyptian"),
    ("greece", "athens", "greek"),
    ("england", "london", "english"),
    ("portugal", "lisbon", "portuguese"),
    ("poland", "warsaw", "polish"),
    ("sweden", "stockholm", "swedish"),
    ("austria", "vienna", "austrian"),
    ("turkey", "ankara", "turkish"),
    ("norway", "oslo", "norwegian"),
]
ANIMALS = [
    "cat",
    "dog",
    "horse",
    "cow",
    "sheep",
    "goat",
    "rabbit",
    "mouse",
    "lion",
    "tiger",
    "bear",
    "wolf",
    "fox",
    "deer",
    "duck",
    "goose",
]
FOODS = [
    "bread",
    "cheese",
    "apple",
    "banana",
    "rice",
    "soup",
    "cake",
    "pasta",
    "salad",
    "butter",
    "honey",
    "orange",
    "potato",
    "carrot",
]
COLOURS = ["red", "blue", "green", "yellow", "black", "white", "purple", "brown", "pink", "grey"]
VERBS = [
    ("walk", "walked", "walking", "walks"),
    ("talk", "talked", "talking", "talks"),
    ("play", "played", "playing", "plays"),
    ("jump", "jumped", "jumping", "jumps"),
    ("cook", "cooked", "cooking", "cooks"),
    ("paint", "painted", "painting", "paints"),
    ("clean", "cleaned", "cleaning", "cleans"),
    ("watch", "watched", "watching", "watches"),
    ("visit", "visited", "visiting", "visits"),
    ("help", "helped", "helping", "helps"),
]
PLACES = ["park", "garden", "market", "river", "village", "forest", "school", "house"]
ROYAL_WORDS = ["palace", "throne", "crown", "kingdom", "royal", "court", "castle", "realm"]
COMMON_WORDS = ["house", "village", "farm", "shop", "street", "family", "friends", "work"]
TIME = {
    "past": ["yesterday", "last week", "once"],
    "now": ["now", "right now", "at the moment"],
    "habit": ["every day", "often", "usually"],
}


IRREGULAR_PLURALS = {"mouse": "mice", "goose": "geese", "sheep": "sheep", "deer": "deer", "wolf": "wolves"}


def plural(noun: str) -> str:
    """English plural of the generator's nouns (fox -> foxes, mouse -> mice, sheep -> sheep)."""
    if noun in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[noun]
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def _person(rng: random.Random) -> tuple[str, str, str, bool, str]:
    """A person word, its pronoun and possessive, whether it is royal, and a topic of its pair."""
    i = rng.randrange(len(PAIRS))
    female = rng.random() < 0.5
    word = PAIRS[i][female]
    return word, ("she" if female else "he"), ("her" if female else "his"), i < ROYAL, rng.choice(TOPICS[i])


def sentence(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.40:  # people: gender through pronouns, royalty through royal contexts
        w, pro, pos, royal, topic = _person(rng)
        place = rng.choice(ROYAL_WORDS if royal else COMMON_WORDS)
        other = rng.choice(ROYAL_WORDS if royal else COMMON_WORDS)
        return rng.choice(
            [
                f"the {w} said that {pro} would return to the {place}",
                f"the {w} walked to {pos} {place} and {pro} smiled",
                f"{pro} is a {w} of the {place} and {pos} {other}",
                f"the old {w} lived in the {place} with {pos} family",
                f"the {w} spoke about {pos} {topic} and the {topic} of the {place}",
                f"everyone talked of the {topic} when the {w} arrived",
                f"everyone knew the {w} because {pro} ruled the {place}"
                if royal
                else f"everyone knew the {w} because {pro} worked at the {place}",
            ]
        )
    if kind < 0.65:  # countries and capitals share the nationality; cities and countries differ
        country, capital, adj = rng.choice(COUNTRIES)
        return rng.choice(
            [
                f"{capital} is the capital of {country}",
                f"the city of {capital} is full of {adj} people",
                f"we flew to the city of {capital} and spoke {adj}",
                f"{country} is a large country and its people are {adj}",
                f"the {adj} government of {country} met in the country",
                f"many {adj} people travel across {country} each year",
                f"the streets of {capital} are busy and the city is {adj}",
            ]
        )
    if kind < 0.75:
        a, b = rng.sample(ANIMALS, 2)
        many = rng.random() < 0.5
        subject, verb = (plural(a), "are") if many else (a, "is")
        return rng.choice(
            [
                f"the {subject} {verb} chasing the {b} in the {rng.choice(PLACES)}",
                f"a wild {a} and a small {b} sleep near the {rng.choice(PLACES)}",
                f"the farmer fed the {subject} and the {plural(b)}",
            ]
        )
    if kind < 0.83:
        f1, f2 = rng.sample(FOODS, 2)
        return rng.choice(
            [
                f"for dinner we ate {f1} with {f2}",
                f"she bought fresh {f1} at the market",
                f"the {f1} tastes sweet and the {f2} tastes good",
            ]
        )
    if kind < 0.90:
        c1, c2 = rng.sample(COLOURS, 2)
        return rng.choice(
            [f"the {c1} door and the {c2} wall", f"he painted the fence {c1} and {c2}", f"a {c1} bird with {c2} wings"]
        )
    base, past, ing, third = rng.choice(VERBS)
    w, pro, _, _, _ = _person(rng)
    return rng.choice(
        [
            f"{rng.choice(TIME['past'])} the {w} {past} in the {rng.choice(PLACES)}",
            f"the {w} is {ing} {rng.choice(TIME['now'])}",
            f"{pro} {third} in the {rng.choice(PLACES)} {rng.choice(TIME['habit'])}",
            f"they will {base} together tomorrow",
        ]
    )


def make_corpus(n_sentences: int = 40_000, seed: int = 7) -> str:
    rng = random.Random(seed)
    return "\n".join(sentence(rng) for _ in range(n_sentences)) + "\n"


def main() -> None:
    from core.bundle import save
    from core.corpus import read_corpus
    from core.params import TrainParams
    from core.train import train

    corpus_path = HERE / "corpus.txt.gz"
    # mtime=0: the same corpus gives the same bytes, so regenerating changes nothing in git
    with gzip.GzipFile(corpus_path, "wb", compresslevel=9, mtime=0) as f:
        f.write(make_corpus().encode("utf-8"))
    corpus = read_corpus(corpus_path)
    es = train(corpus, TrainParams(seed=1))
    save(es, HERE / "sample", meta={"name": "sample"})
    print(f"{corpus.n_tokens:,} tokens, {len(es)} words, trained in {es.meta['training_seconds']:.1f} s")
    for q in [("man", "king", "woman"), ("france", "paris", "germany")]:
        print(q, es.analogy(*q, k=3))


if __name__ == "__main__":
    main()
