"""Custom template models: built from labelled samples (the Studio's fields.json,
<doc>.labels.json, <doc>.ocr.json), kept on the shared mount, applied at analyze time to the
layout of a new document."""
