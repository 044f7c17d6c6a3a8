"""Evaluation URLs, included under ``sieci/<int:pk>/`` with the namespace "evaluations".

``evaluation_report`` and ``evaluation_report_pdf`` take the network alone (its latest
evaluation) or the network and an evaluation.
"""

from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("ewaluacje/", views.evaluation_list, name="evaluation_list"),
    path("ewaluacje/nowa/", views.evaluation_create, name="evaluation_create"),
    path("ewaluacje/raport/", views.evaluation_report, name="evaluation_report"),
    path("ewaluacje/raport.pdf", views.evaluation_report_pdf, name="evaluation_report_pdf"),
    path("ewaluacje/<int:evaluation_pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("ewaluacje/<int:evaluation_pk>/edycja/", views.evaluation_edit, name="evaluation_edit"),
    path(
        "ewaluacje/<int:evaluation_pk>/publikacja/",
        views.evaluation_publish,
        name="evaluation_publish",
    ),
    path(
        "ewaluacje/<int:evaluation_pk>/raport/",
        views.evaluation_report,
        name="evaluation_report",
    ),
    path(
        "ewaluacje/<int:evaluation_pk>/raport.pdf",
        views.evaluation_report_pdf,
        name="evaluation_report_pdf",
    ),
]
