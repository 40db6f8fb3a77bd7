from django.contrib.auth import views as auth_views
from django.urls import include, path

from .views import home, reglement

urlpatterns = [
    path("", home.home, name="home"),
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("secretariat/", include("juries.urls_secretariat")),
    path("jurys/", include("juries.urls_jury")),
    path("mes-releves/", include("juries.urls_portal")),
    path("releves/", include("juries.urls_releves")),
    path("reglement/", reglement.reglement, name="reglement"),
    path("aide/", reglement.aide, name="aide"),
    path("aide/<slug:guide>/", reglement.aide, name="aide_guide"),
]
