"""The KSR's recommendations, items overview and findings search, under ``rekomendacje/``."""

from django.urls import path

from . import views

app_name = "recommendations"

urlpatterns = [
    path("", views.recommendation_list, name="recommendation_list"),
    path("nowa/", views.recommendation_create, name="recommendation_create"),
    path("raport.pdf", views.report_pdf, name="report_pdf"),
    path("doswiadczenia/", views.item_overview, name="item_overview"),
    path("ustalenia/", views.findings_search, name="findings_search"),
    path("<int:recommendation_pk>/", views.recommendation_detail, name="recommendation_detail"),
    path("<int:recommendation_pk>/edycja/", views.recommendation_edit, name="recommendation_edit"),
    path(
        "<int:recommendation_pk>/przyjecie/",
        views.recommendation_adopt,
        name="recommendation_adopt",
    ),
    path(
        "<int:recommendation_pk>/rekomendacja.pdf",
        views.recommendation_pdf,
        name="recommendation_pdf",
    ),
]
