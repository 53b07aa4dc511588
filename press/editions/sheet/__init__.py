"""Study sheets: chosen passages with the teacher's text on one or two pages (`build.py sheet`),
their templates in templates/sheet/."""
