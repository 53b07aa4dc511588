"""The booklet: the book's PDF imposed for saddle stitching (booklet.pdf, `build.py booklet`)."""
