from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/otworz/", views.notification_open, name="open"),
    path("<int:pk>/przeczytane/", views.notification_read, name="read"),
    path("przeczytane/", views.notifications_read_all, name="read_all"),
    path("ustawienia/", views.preferences, name="preferences"),
    path("wypisz/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
