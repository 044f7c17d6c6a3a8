"""URLs of procedure cards and the LSR's working tools, mounted under /sieci/<pk>/.

Each feature module keeps its own `urlpatterns`; this module only joins them."""

from django.urls import path

from .views import cards as views
from .views import library as views_library
from .views import meetings as views_meetings
from .views import needs as views_needs
from .views import needs_escalation as views_needs_escalation
from .views import pdf as views_pdf

app_name = "procedures"

urlpatterns = [
    path("karty/", views.card_list, name="card_list"),
    path("karty/typ-b/", views.cards_assign_type_b, name="cards_assign_type_b"),
    path("karty/<int:card_pk>/", views.card_detail, name="card_detail"),
    path("karty/<int:card_pk>/pola/", views.card_fields, name="card_fields"),
    path("karty/<int:card_pk>/zakoncz/", views.card_complete, name="card_complete"),
    path("karty/<int:card_pk>/otworz/", views.card_reopen, name="card_reopen"),
    path(
        "karty/<int:card_pk>/czynnosci/<int:activity_pk>/status/",
        views.activity_transition,
        name="activity_transition",
    ),
    path(
        "karty/<int:card_pk>/czynnosci/<int:activity_pk>/plan/",
        views.activity_update,
        name="activity_update",
    ),
    path(
        "karty/<int:card_pk>/czynnosci/<int:activity_pk>/zalaczniki/",
        views.evidence_upload,
        name="evidence_upload",
    ),
    path("zalaczniki/<int:evidence_pk>/", views.evidence_download, name="evidence_download"),
    *views_pdf.urlpatterns,
    *views_needs.urlpatterns,
    *views_needs_escalation.urlpatterns,
    *views_meetings.urlpatterns,
    *views_library.urlpatterns,
]
