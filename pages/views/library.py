import pandas as pd
import streamlit as st

from core import workspace
from core.formats import READ_FORMATS, WRITE_FORMATS, guess_format
from ui.common import active_name, set_active
from ui.feedback import errors_on_page, literal

st.title("Library")
st.write(
    "All saved embedding sets. Choose the active one, import vectors you already have, download "
    "a set in another format, or rename and delete sets. The sample set is read-only."
)

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
names = [e.name for e in entries]

c1, c2 = st.columns([3, 1])
pick = c1.selectbox("Set", names, index=names.index(active_name()))
if c2.button("Make active", width="stretch"):
    set_active(pick)
    st.success(literal(f"'{pick}' is now the active set."))
with st.expander("Parameters of this set"):
    st.json(next(e.meta for e in entries if e.name == pick))

st.subheader("Import vectors")
st.caption(
    "npy: the .npy matrix plus a vocabulary file (one word per line). Projector: vectors.tsv and "
    "metadata.tsv. .keras: the model, plus a vocabulary file unless it has a TextVectorization layer."
)
uploads = st.file_uploader("Files", accept_multiple_files=True, key="import_files")
guess = next((g for g in (guess_format(f.name, f.getvalue()[:200]) for f in uploads or []) if g), None)
i1, i2, i3 = st.columns(3)
fmt = i1.selectbox("Format", READ_FORMATS, index=READ_FORMATS.index(guess) if guess in READ_FORMATS else 0)
new_name = i2.text_input("Name", value=workspace.free_name(uploads[0].name.split(".")[0]) if uploads else "")
layer = i3.text_input("Keras layer (optional)", help="Only when the model has several Embedding layers.")
if st.button("Import", disabled=not uploads, type="primary"):
    with errors_on_page(), st.spinner("Importing..."):
        workspace.import_uploads({f.name: f.getvalue() for f in uploads}, fmt, new_name, layer)
        set_active(new_name)
        st.success(literal(f"Imported as '{new_name}', now the active set."))

st.subheader("Download")
d1, d2 = st.columns(2)
out_fmt = d1.selectbox("Format", WRITE_FORMATS, key="export_format")
if d2.button("Prepare download"):
    with errors_on_page():
        st.session_state["download"] = workspace.export_bytes(pick, out_fmt)
if "download" in st.session_state:
    fname, data = st.session_state["download"]
    st.download_button(f"Download {fname} ({len(data) / 1e6:.1f} MB)", data, file_name=fname)

st.subheader("Rename or delete")
r1, r2 = st.columns(2)
with r1:
    target = st.text_input("New name for the selected set")
    if st.button("Rename", disabled=not target):
        with errors_on_page():
            workspace.rename(pick, target)
            if active_name() == pick:
                set_active(target)
            st.success(literal(f"Renamed '{pick}' to '{target}'."))
            st.rerun()
with r2:
    sure = st.checkbox(f"Yes, delete '{pick}' for good")
    if st.button("Delete", disabled=not sure):
        with errors_on_page():
            workspace.delete(pick)
            if st.session_state.get("active_set") == pick:
                set_active(workspace.SAMPLE_NAME)
            st.success(literal(f"Deleted '{pick}'."))
            st.rerun()
