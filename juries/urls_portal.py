"""The student portal, mounted at /mes-releves/: a student's own semesters and relevés only.

No URL carries a student's identity: every page reads the signed-in student's own records.
"""

from django.urls import path, re_path

from .views import lettres, portal, portal_notes

app_name = "portal"
urlpatterns = [
    path("", portal.index, name="index"),
    re_path(r"^(?P<annee>\d{4}-\d{4})/S(?P<semester>[1-6])/releve\.pdf$", portal.download, name="download"),
    re_path(r"^(?P<annee>\d{4}-\d{4})/S(?P<semester>[1-6])/lettre\.pdf$", lettres.portal_pdf, name="lettre"),
    path("notes/", portal_notes.notes, name="notes"),
    re_path(r"^notes/(?P<annee>\d{4}-\d{4})/S(?P<semester>[1-6])/$", portal_notes.notes, name="notes_semester"),
]
