"""Hand-off: a project's shots to editorial and to artists' tools, each frame with its provenance.

``export`` (handoff.py) reads the cut from the ledger (selection.py), signs every frame with C2PA
content credentials (provenance.py, credentials.py) and writes the asked formats (formats.py:
the OTIO timelines, frames and manifests, storyboard.py's PDF, layers.py's PSDs) into one folder;
``zip_bundle`` packs it for Slack. ``/slate export`` (bot/exports.py) and the CLI
(``python -m tools.export``) are two doors onto that one function.

The package itself imports nothing, so the bot reads ``tools.export.options`` at start-up
without loading OpenTimelineIO, c2pa or reportlab.
"""
