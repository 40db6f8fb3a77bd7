from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "QLIO Jury — IUT de Rodez"
admin.site.site_title = "QLIO Jury"
admin.site.index_title = "Administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("juries.urls")),
]
