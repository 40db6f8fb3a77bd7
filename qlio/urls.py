from django.contrib import admin
from django.urls import include, path

from juries import auth_cas
from juries.views import accounts

admin.site.site_header = "QLIO Jury — IUT de Rodez"
admin.site.site_title = "QLIO Jury"
admin.site.index_title = "Administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Password reset by e-mail (Django's views, French templates in templates/registration/).
    path("mot-de-passe-oublie/", accounts.password_reset, name="password_reset"),
    path("mot-de-passe-oublie/envoye/", accounts.password_reset_done, name="password_reset_done"),
    path("mot-de-passe-oublie/<uidb64>/<token>/", accounts.password_reset_confirm, name="password_reset_confirm"),
    path("mot-de-passe-oublie/termine/", accounts.password_reset_complete, name="password_reset_complete"),
    # The university's CAS (ENT): 404 unless QLIO_CAS_SERVER_URL is set (juries/auth_cas.py).
    path("cas/connexion/", auth_cas.login, name="cas_login"),
    path("", include("juries.urls")),
]
