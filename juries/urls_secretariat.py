from django.urls import path

from . import urls_converters  # noqa: F401  (registers <numero:…>)
from .views import attendance, publication, secretariat, secretariat_absences, secretariat_grades

app_name = "secretariat"
urlpatterns = [
    path("", secretariat.index, name="index"),
    path("notes/<str:annee>/<str:code>/", secretariat_grades.enseignement, name="enseignement"),
    path("notes/<str:annee>/<str:code>/feuille.xlsx", secretariat_grades.feuille_download, name="feuille"),
    path("notes/<str:annee>/<str:code>/deposer/", secretariat_grades.feuille_upload, name="feuille_upload"),
    path("notes/<str:annee>/<str:code>/evaluation/", secretariat_grades.evaluation_new, name="evaluation_new"),
    path("evaluations/<int:evaluation_id>/saisie/", secretariat_grades.saisie, name="saisie"),
    path("appel/", attendance.index, name="appel"),
    path("appel/<int:sheet_id>/", attendance.sheet, name="appel_sheet"),
    path("evaluations/<int:evaluation_id>/publication/", publication.publication, name="publication"),
    path("absences/", secretariat_absences.register, name="absences"),
    path("absences/declarer/", secretariat_absences.declare, name="absence_new"),
    path("absences/etat/", secretariat_absences.etat, name="etat_absences"),
    path("absences/<int:absence_id>/", secretariat_absences.detail, name="absence_detail"),
    path("etudiants/recherche/", secretariat_absences.student_search, name="student_search"),
    path("etudiants/<numero:numero>/absences/", secretariat_absences.student_absences, name="student_absences"),
]
