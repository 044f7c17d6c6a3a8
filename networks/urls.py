from django.urls import path

from .views import io as views_io
from .views import networks as views
from .views import organisations as views_organisations

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
]
