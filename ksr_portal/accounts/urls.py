from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("konto/zaproszenia/", views.invitation_list, name="invitation_list"),
    path("konto/zaproszenia/nowe/", views.invitation_create, name="invitation_create"),
    path("konto/zaproszenia/z-pliku/", views.invitation_bulk, name="invitation_bulk"),
    path(
        "konto/zaproszenia/z-pliku/wyslij/",
        views.invitation_bulk_confirm,
        name="invitation_bulk_confirm",
    ),
    path("konto/zaproszenia/<int:pk>/ponow/", views.invitation_resend, name="invitation_resend"),
    path("konto/zaproszenia/<int:pk>/cofnij/", views.invitation_revoke, name="invitation_revoke"),
    path(
        "konto/zaproszenia/<int:pk>/odbierz-dostep/",
        views.access_withdraw,
        name="access_withdraw",
    ),
    path(
        "konto/zaproszenie/<str:uidb64>/<str:token>/",
        views.invitation_accept,
        name="invitation_accept",
    ),
    path("konto/profil/", views.profile, name="profile"),
    path("konto/profil/e-mail/", views.email_change, name="email_change"),
    path("konto/e-mail/<str:token>/", views.email_confirm, name="email_confirm"),
    path("konto/kalendarz/", views.calendar_page, name="calendar"),
    path("konto/kalendarz/nowy-adres/", views.calendar_reset, name="calendar_reset"),
    path("konto/kalendarz/wylacz/", views.calendar_revoke, name="calendar_revoke"),
    path("kalendarz/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path(
        "sieci/<int:pk>/posiedzenia/<int:meeting_pk>/posiedzenie.ics",
        views.meeting_ics,
        name="meeting_ics",
    ),
]
