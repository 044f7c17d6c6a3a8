"""Legal pages, mounted at the root with the namespace "legal"."""

from django.urls import path

from . import views

app_name = "legal"

urlpatterns = [
    path("deklaracja-dostepnosci/", views.accessibility, name="accessibility"),
    path("ochrona-danych/", views.privacy, name="privacy"),
]
