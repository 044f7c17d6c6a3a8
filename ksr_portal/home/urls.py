"""Each role's home page, "my tasks" and the administration overview (namespace ``ksr_portal``)."""

from django.urls import path

from . import views

app_name = "ksr_portal"

urlpatterns = [
    path("moje-lsr/", views.my_networks, name="my_networks"),
    path("moj-region/", views.my_region, name="my_region"),
    path("kraj/", views.country, name="country"),
    path("moje-zadania/", views.my_tasks, name="my_tasks"),
    path("administracja/", views.administration, name="administration"),
    path("administracja/historia/", views.audit_log, name="audit_log"),
]
