from django.urls import path

from . import urls_converters  # noqa: F401  (registers <numero:…>)
from .views import jury, jury_deliberation, jury_student

app_name = "jury"
urlpatterns = [
    path("", jury.jury_list, name="list"),
    path("<int:pk>/", jury.jury_table, name="table"),
    path("<int:pk>/pre-jury/", jury.jury_checks, name="checks"),
    path("<int:pk>/etudiants/<numero:numero>/", jury_student.jury_student, name="student"),
    path("<int:pk>/deliberation/", jury_deliberation.jury_deliberation, name="deliberation"),
    path("<int:pk>/deliberer/", jury_deliberation.jury_deliberate, name="deliberate"),
    path("<int:pk>/rouvrir/", jury_deliberation.jury_reopen, name="reopen"),
    path("<int:pk>/pv.pdf", jury_deliberation.jury_pv_pdf, name="pv_pdf"),
    path("<int:pk>/pv/", jury_deliberation.jury_pv, name="pv"),
    path("<int:pk>/pv.xlsx", jury_deliberation.jury_pv_xlsx, name="pv_xlsx"),
]
