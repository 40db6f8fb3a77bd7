"""Relevés, mounted at /releves/: the secretariat's pages (one relevé, a jury's batch) and the
public verification page of an official relevé's code."""

from django.urls import path

from .views import lettres, releves

app_name = "releves"
urlpatterns = [
    path("", releves.index, name="index"),
    path("jury/<int:jury_id>/", releves.jury, name="jury"),
    path("jury/<int:jury_id>/generer/", releves.batch_start, name="batch_start"),
    path("lots/<str:job_id>/", releves.batch, name="batch"),
    path("lots/<str:job_id>/etat/", releves.batch_status, name="batch_status"),
    path("lots/<str:job_id>/zip/", releves.batch_file, {"kind": "zip"}, name="batch_zip"),
    path("lots/<str:job_id>/pdf/", releves.batch_file, {"kind": "pdf"}, name="batch_pdf"),
    path("inscription/<int:enrolment_id>/releve.pdf", releves.student_pdf, name="student_pdf"),
    path("jury/<int:jury_id>/lettres/generer/", lettres.batch_start, name="lettres_start"),
    path("inscription/<int:enrolment_id>/lettre.pdf", lettres.student_pdf, name="student_lettre"),
    path("verifier/", releves.verify_form, name="verify_form"),
    path("verifier/<str:code>/", releves.verify, name="verify"),
]
