"""The Neighbours page's "why" panel (shared contexts and example lines of a chosen neighbour), its
offer to attach a corpus to a set that keeps none, and the table of neighbours per training snapshot."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core import bundle, evidence_bundle, workspace
from core.snapshots import Capture
from tests.app.test_pages import open_page, plain
from tests.core.test_evidence import planted_set
from tests.helpers import ROOT, random_set

pytestmark = pytest.mark.slow
NEIGHBOURS = "pages/views/neighbours.py"
SNAPSHOTS = 4


@pytest.fixture(autouse=True)
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("W2V_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.chdir(ROOT)
    return tmp_path / "ws"


@pytest.fixture
def groups(tmp_path):
    """A set named 'planted' whose groups are close (each group word near its group's centre), with
    the planted corpus and snapshots that move from noise to the final vectors."""
    es, _, groups = planted_set(tmp_path)
    rng = np.random.default_rng(1)
    centres = {g[0][:2]: rng.normal(size=8) for g in groups}
    vectors = np.array(
        [centres[w[:2]] + 0.1 * rng.normal(size=8) if w.startswith("g") else rng.normal(size=8) for w in es.words],
        dtype=np.float32,
    )
    es.vectors[:] = vectors
    cap = Capture(SNAPSHOTS, np.arange(len(es)))
    noise = rng.normal(size=vectors.shape)
    for f in np.linspace(0, 1, SNAPSHOTS):
        cap.offer(float(f), lambda rows, f=f: ((1 - f) * noise + f * vectors)[rows])
    es.snapshots = cap.finish(vectors)
    bundle.save(es, workspace.root() / "planted", extras=evidence_bundle.extras(es))
    return groups


def frame(at: AppTest, column: str):
    """The table with this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_a_chosen_neighbour_shows_its_shared_contexts_and_lines(groups):
    at = open_page(NEIGHBOURS, set="planted", word="g0w0")
    assert "Why is it a neighbour?" in [s.value for s in at.subheader]
    box = next(s for s in at.selectbox if plain(s.label).startswith("Why is this word a neighbour of 'g0w0'"))
    assert box.value in groups[0]  # the nearest neighbour, a group mate
    table = frame(at, "context word")
    assert set(table["context word"][:3]) <= set(groups[0]) - {"g0w0", box.value}
    assert (table["count"] == np.minimum(table["with g0w0"], table[f"with {box.value}"])).all()
    lines = [m.value for m in at.markdown if "**" in m.value]
    assert len([x for x in lines if "**g0w0**" in x]) == 3
    assert len([x for x in lines if f"**{box.value}**" in x]) == 3

    other = next(w for w in box.options if w != box.value)
    box.set_value(other).run()
    assert not at.exception
    table = frame(at, "context word")
    assert f"with {other}" in table.columns
    assert any(f"**{plain(other)}**" in plain(m.value) for m in at.markdown)


def test_the_snapshot_table_lists_each_snapshots_neighbours(groups):
    at = open_page(NEIGHBOURS, set="planted", word="g1w0")
    table = frame(at, "nearest words")
    assert list(table["snapshot"]) == list(range(SNAPSHOTS))
    assert list(table["training done"]) == ["0%", "33%", "67%", "100%"]
    final = table["nearest words"].iloc[-1].split(", ")
    assert len(final) == 5 and set(final[:4]) == set(groups[1]) - {"g1w0"}  # the last: the group mates


def test_a_set_without_a_corpus_says_so_and_offers_to_attach_one():
    bundle.save(random_set(), workspace.root() / "imported", meta={"source": "imported from npy"})
    at = open_page(NEIGHBOURS, set="imported", word="w1")
    infos = plain(" ".join(i.value for i in at.info))
    assert "keeps no corpus" in infos
    assert at.get("file_uploader")
    assert not [d for d in at.dataframe if {"context word", "nearest words"} & set(d.value.columns)]
