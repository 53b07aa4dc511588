"""`build.py import`: the book's text as this project's own Markdown chapters (writer.py)."""
