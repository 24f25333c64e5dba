from typing import NoReturn

import pandas as pd
import streamlit as st

from core import W2VError, bundle, workspace
from core.formats import READ_FORMATS, WRITE_FORMATS, guess_format
from ui.common import active_name, set_active
from ui.feedback import errors_on_page, literal


def done(message: str, pick: str | None = None) -> NoReturn:
    """End an action with a rerun, so the table, both pickers and the sidebar show its result;
    the next run shows ``message`` and selects ``pick`` in the Set picker."""
    st.session_state["library_message"] = literal(message)
    if pick:
        st.session_state["library_pick"] = pick
    st.rerun()


def unlisted(listed: set[str]) -> list[str]:
    """Why each folder of the workspace that holds bundle files is not a set in the table
    (incomplete, damaged, or saved by a newer version)."""
    root = workspace.root()
    notes: list[str] = []
    for p in sorted(root.iterdir()) if root.is_dir() else []:
        if p.name in listed or not p.is_dir() or p.name.startswith("."):
            continue
        present = [n for n in (bundle.VECTORS, bundle.VOCAB, bundle.META) if (p / n).is_file()]
        if not present:
            continue  # not a bundle at all
        missing = [n for n in (bundle.VECTORS, bundle.VOCAB, bundle.META) if n not in present]
        try:
            if missing:
                raise W2VError(f"{', '.join(missing)} missing; the bundle is incomplete, re-save it")
            bundle.read_meta(p)
        except W2VError as exc:
            notes.append(f"'{p.name}' is not listed: {exc}")
    return notes


st.title("Library")
st.write(
    "All saved embedding sets. Choose the active one, import vectors you already have, download "
    "a set in another format, or rename and delete sets. The sample set is read-only."
)
if "library_message" in st.session_state:  # what the last action did; it ended in a rerun
    st.success(st.session_state.pop("library_message"))

entries = workspace.entries()
rows = [
    {
        "name": e.name,
        "words": e.meta.get("words"),
        "dims": e.meta.get("dimensions"),
        "size (MB)": round(e.size_bytes / 1e6, 2),
        "corpus / file": e.meta.get("corpus", {}).get("name") or e.meta.get("imported_file", ""),
        "model": e.meta.get("params", {}).get("model", ""),
        "created": e.meta.get("created", ""),
        "read-only": e.read_only,
    }
    for e in entries
]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
for note in unlisted({e.name for e in entries}):
    st.warning(literal(note))
names = [e.name for e in entries]
active = active_name()

# The Set picker shows the active set whenever that changes (e.g. in the sidebar), the set an
# action just made, and falls back to the active set when its set is gone. Set before the widget.
if st.session_state.get("library_seen_active") != active:
    st.session_state["library_seen_active"] = active
    st.session_state["library_set"] = active
if "library_pick" in st.session_state:
    st.session_state["library_set"] = st.session_state.pop("library_pick")
if st.session_state.get("library_set") not in names:
    st.session_state["library_set"] = active

c1, c2 = st.columns([3, 1])
pick = c1.selectbox("Set", names, key="library_set")
if c2.button("Make active", width="stretch"):
    set_active(pick)
    done(f"'{pick}' is now the active set.")
with st.expander("Parameters of this set"):
    st.json(next(e.meta for e in entries if e.name == pick))

st.subheader("Import vectors")
st.caption(
    "npy: the .npy matrix plus a vocabulary file (one word per line). Projector: vectors.tsv and "
    "metadata.tsv. .keras: the model, plus a vocabulary file unless it has a TextVectorization layer."
)
# a new key after each import empties the uploader, so the next import starts from no files
round_ = st.session_state.get("import_round", 0)
uploads = st.file_uploader("Files", accept_multiple_files=True, key=f"import_files_{round_}")
guess = next((g for g in (guess_format(f.name, f.getvalue()[:200]) for f in uploads or []) if g), None)
i1, i2, i3 = st.columns(3)
fmt = i1.selectbox("Format", READ_FORMATS, index=READ_FORMATS.index(guess) if guess in READ_FORMATS else 0)
new_name = i2.text_input("Name", value=workspace.free_name(uploads[0].name.split(".")[0]) if uploads else "")
layer = i3.text_input("Keras layer (optional)", help="Only when the model has several Embedding layers.")
if st.button("Import", disabled=not uploads, type="primary"):
    with errors_on_page(), st.spinner("Importing..."):
        workspace.import_uploads({f.name: f.getvalue() for f in uploads}, fmt, new_name, layer)
        set_active(new_name)
        st.session_state["import_round"] = round_ + 1
        done(f"Imported as '{new_name}', now the active set.", pick=new_name)

st.subheader("Download")
d1, d2 = st.columns(2)
out_fmt = d1.selectbox("Format", WRITE_FORMATS, key="export_format")
if st.session_state.get("download_of") != (pick, out_fmt):  # prepared for another set or format
    st.session_state.pop("download", None)
if d2.button("Prepare download"):
    with errors_on_page():
        st.session_state["download"] = workspace.export_bytes(pick, out_fmt)
        st.session_state["download_of"] = (pick, out_fmt)
        st.success(literal(f"'{pick}' as {out_fmt} is ready: {st.session_state['download'][0]}."))
if "download" in st.session_state:
    fname, data = st.session_state["download"]
    # on_click="ignore": saving the file needs no rerun, which would wipe the message above
    st.download_button(
        literal(f"Download {fname} ({len(data) / 1e6:.1f} MB)"), data, file_name=fname, on_click="ignore"
    )

st.subheader("Rename or delete")
r1, r2 = st.columns(2)
with r1:
    # keyed by the set: a name typed for one set is not offered for another
    target = st.text_input("New name for the selected set", key=f"rename_{pick}")
    if st.button("Rename", disabled=not target):
        with errors_on_page():
            workspace.rename(pick, target)
            if pick == active:  # the set stays active under its new name
                set_active(target)
                done(f"Renamed '{pick}' to '{target}', still the active set.", pick=target)
            done(f"Renamed '{pick}' to '{target}'.", pick=target)
with r2:
    # keyed by the set: ticking it for one set never arms Delete for another
    sure = st.checkbox(literal(f"Yes, delete '{pick}' for good"), key=f"delete_{pick}")
    if st.button("Delete", disabled=not sure):
        with errors_on_page():
            workspace.delete(pick)
            if pick == active:
                set_active(workspace.SAMPLE_NAME)
                done(f"Deleted '{pick}'. The active set is now '{workspace.SAMPLE_NAME}'.")
            done(f"Deleted '{pick}'.")
