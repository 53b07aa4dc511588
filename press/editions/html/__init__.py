"""The printed book as one HTML document (`build.py html`), made from the book edition's templates."""
