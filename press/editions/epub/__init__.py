"""The e-reader edition: book.epub (`build.py epub`), its templates in templates/epub/."""
