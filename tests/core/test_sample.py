"""The bundled sample answers the planted analogies, its maps follow the planted themes, and the
generator reproduces its corpus."""

import gzip
from collections import Counter

import numpy as np
import pytest

import core
from core.axes import axes_layout, parse_axis
from core.projection import choose_rows, kmeans_labels
from sample_data.sentences import THEMES, fixed_words, make_corpus
from sample_data.themes import ANALOGIES
from tests.helpers import ROOT, SAMPLE_BUNDLE

CORPUS = ROOT / "sample_data" / "corpus.txt.gz"


@pytest.fixture(scope="module")
def sample():
    return core.load(SAMPLE_BUNDLE)


def top3(es, a: str, b: str, c: str) -> list[str]:
    return [w for w, _ in es.analogy(a, b, c, k=3)]


@pytest.mark.parametrize("a, b, c, want", ANALOGIES, ids=[":".join(q) for q in ANALOGIES])
def test_bundled_sample_answers_the_planted_analogies(sample, a, b, c, want):
    assert want in top3(sample, a, b, c)


def test_bundled_sample_is_a_finite_trained_set_of_the_planned_size(sample):
    assert sample.meta["source"] == "trained" and sample.meta["params"]["model"] == "skipgram"
    assert sample.meta["params"]["seed"] == 1 and sample.meta["corpus"]["name"] == "corpus.txt.gz"
    assert np.isfinite(sample.vectors).all()
    assert 1500 <= len(sample) <= 3000
    assert CORPUS.stat().st_size < 3_000_000
    assert sample.words[0] == "the"


def test_sample_corpus_is_generated_by_the_script():
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        assert f.read() == make_corpus()


def test_each_theme_word_belongs_to_one_theme_and_to_no_template():
    seen = Counter(w for _, _, words in THEMES.values() for w in set(words))
    assert [w for w, n in seen.items() if n > 1] == []
    assert sorted(set(seen) & fixed_words()) == []
    assert {"the", "capital", "yesterday", "than"} <= fixed_words()  # the check sees the templates


def theme_purity(words: list[str], labels: np.ndarray) -> float:
    """Share of the theme words among ``words`` whose cluster's most common theme is their own."""
    theme = {w: t for t, (_, _, ws) in THEMES.items() for w in ws}
    by_cluster: dict[int, list[str]] = {}
    for w, label in zip(words, labels, strict=True):
        if w in theme:
            by_cluster.setdefault(int(label), []).append(theme[w])
    return sum(Counter(ts).most_common(1)[0][1] for ts in by_cluster.values()) / sum(map(len, by_cluster.values()))


def test_kmeans_on_the_top_words_follows_the_themes(sample):
    rows = sample.top_rows(1000)  # the Vector space page's default map
    words = [sample.words[i] for i in rows]
    shown = Counter(t for t, (_, _, ws) in THEMES.items() for w in ws if w in set(words))
    assert set(shown) == set(THEMES) and min(shown.values()) >= 10  # every theme is on the map
    labels = kmeans_labels(sample, rows, k=8)  # the page's default number of clusters
    assert theme_purity(words, labels) >= 0.8
    assert theme_purity(words, np.random.default_rng(0).permutation(labels)) < 0.5  # the contrast


def test_semantic_axes_separate_gender_and_royalty(sample):
    rows = choose_rows(sample, words=["king", "queen", "man", "woman", "prince", "princess", "boy", "girl"])
    got = axes_layout(sample, rows, parse_axis(sample, "man:woman"), parse_axis(sample, "boy,girl:king,queen"))
    x = dict(zip(got.words, got.coords[:, 0], strict=True))
    y = dict(zip(got.words, got.coords[:, 1], strict=True))
    assert x["queen"] > x["king"] and x["princess"] > x["prince"] and x["girl"] > x["boy"]
    assert min(y["king"], y["queen"]) > max(y["man"], y["woman"], y["boy"], y["girl"])  # royalty up


@pytest.mark.slow
def test_retraining_the_sample_with_defaults_gives_the_same_answers():
    from core.corpus import read_corpus
    from core.train import TrainParams, train

    es = train(read_corpus(CORPUS), TrainParams(seed=5))
    assert np.isfinite(es.vectors).all() and len(es) == len(core.load(SAMPLE_BUNDLE))
    missed = [q for q in ANALOGIES if q[3] not in top3(es, *q[:3])]
    assert missed == []


def test_the_sample_spells_its_plurals(sample):
    from sample_data.sentences import plural

    assert [plural(w) for w in ("fox", "mouse", "sheep", "cat", "goose")] == ["foxes", "mice", "sheep", "cats", "geese"]
    words = set(sample.words)
    assert not words & {"mouses", "foxs", "sheeps", "gooses", "deers", "wolfs", "oxes", "mooses"}
    assert {"foxes", "mice", "geese", "wolves", "oxen"} <= words
