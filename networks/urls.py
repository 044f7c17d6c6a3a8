from django.urls import path

from .views import candidates as views_candidates
from .views import io as views_io
from .views import networks as views
from .views import organisations as views_organisations
from .views import support as views_support

app_name = "networks"

urlpatterns = [
    path("", views.network_list, name="list"),
    path("nowa/", views.lsr_create, name="lsr_create"),
    path("<int:pk>/", views.network_detail, name="detail"),
    path("<int:pk>/cele/", views.network_goals, name="goals"),
    path("<int:pk>/obraz.svg", views.network_picture, name="picture"),
    path("<int:pk>/czlonkowie/", views.member_list, name="member_list"),
    path("<int:pk>/czlonkowie/dodaj/", views.member_add, name="member_add"),
    path("<int:pk>/czlonkowie/<int:membership_pk>/koniec/", views.member_end, name="member_end"),
    path("<int:pk>/czlonkowie/<int:membership_pk>/rola/", views.member_role, name="member_role"),
    path("<int:pk>/udzial/", views.network_participation, name="participation"),
    path("<int:pk>/czlonkowie/eksport.<str:fmt>", views_io.member_export, name="member_export"),
    path("<int:pk>/import/", views_io.organisation_import, name="organisation_import"),
    path("<int:pk>/organizacje/nowa/", views.organisation_create, name="organisation_create"),
    path(
        "<int:pk>/organizacje/<int:org_pk>/", views.organisation_detail, name="organisation_detail"
    ),
    path(
        "<int:pk>/organizacje/<int:org_pk>/kontakty/",
        views.contact_add,
        name="contact_add",
    ),
    path(
        "<int:pk>/organizacje/<int:org_pk>/przedstawiciele/",
        views.representatives_set,
        name="representatives_set",
    ),
    path("<int:pk>/zadania-kis/<int:task_pk>/", views.hub_task_update, name="hub_task_update"),
    path("<int:pk>/partnerstwa/nowe/", views.partnership_create, name="partnership_create"),
    path(
        "<int:pk>/partnerstwa/<int:partnership_pk>/",
        views.partnership_detail,
        name="partnership_detail",
    ),
    path(
        "<int:pk>/partnerstwa/<int:partnership_pk>/partnerzy/",
        views.partnership_add_partner,
        name="partnership_add_partner",
    ),
    path(
        "<int:pk>/partnerstwa/<int:partnership_pk>/status/",
        views.partnership_status,
        name="partnership_status",
    ),
    *views_organisations.urlpatterns,
    # support to LSRs: the LSR's requests, the RSR's queue, trainings for KIS teams
    path("<int:pk>/wsparcie/", views_support.support_list, name="support_list"),
    path("<int:pk>/wsparcie/nowa/", views_support.support_create, name="support_create"),
    path(
        "<int:pk>/wsparcie/<int:request_pk>/",
        views_support.support_detail,
        name="support_detail",
    ),
    path("<int:rsr_pk>/kolejka-wsparcia/", views_support.support_queue, name="support_queue"),
    path(
        "<int:rsr_pk>/kolejka-wsparcia/<int:request_pk>/",
        views_support.support_work,
        name="support_work",
    ),
    path(
        "<int:rsr_pk>/kolejka-wsparcia/<int:request_pk>/przyjmij/",
        views_support.support_accept,
        name="support_accept",
    ),
    path(
        "<int:rsr_pk>/kolejka-wsparcia/<int:request_pk>/odrzuc/",
        views_support.support_decline,
        name="support_decline",
    ),
    path(
        "<int:rsr_pk>/kolejka-wsparcia/<int:request_pk>/zrealizowano/",
        views_support.support_complete,
        name="support_complete",
    ),
    path("<int:rsr_pk>/szkolenia-kis/", views_support.event_list, name="event_list"),
    path("<int:rsr_pk>/szkolenia-kis/nowe/", views_support.event_create, name="event_create"),
    path(
        "<int:rsr_pk>/szkolenia-kis/<int:event_pk>/",
        views_support.event_detail,
        name="event_detail",
    ),
    path(
        "<int:rsr_pk>/szkolenia-kis/<int:event_pk>/edycja/",
        views_support.event_edit,
        name="event_edit",
    ),
    # potential stakeholders of an LSR (card 2)
    path(
        "<int:pk>/potencjalni-interesariusze/",
        views_candidates.candidate_list,
        name="candidate_list",
    ),
    path(
        "<int:pk>/potencjalni-interesariusze/nowy/",
        views_candidates.candidate_create,
        name="candidate_create",
    ),
    path(
        "<int:pk>/potencjalni-interesariusze/<int:candidate_pk>/",
        views_candidates.candidate_edit,
        name="candidate_edit",
    ),
    path(
        "<int:pk>/potencjalni-interesariusze/<int:candidate_pk>/status/",
        views_candidates.candidate_status,
        name="candidate_status",
    ),
]
