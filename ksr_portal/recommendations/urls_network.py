"""Experience items of an LSR or an RSR, included under ``sieci/<int:pk>/`` ("experience")."""

from django.urls import path

from . import views

app_name = "experience"

urlpatterns = [
    path("doswiadczenia/", views.experience_list, name="experience_list"),
    path("doswiadczenia/nowe/", views.experience_create, name="experience_create"),
    path("doswiadczenia/<int:item_pk>/", views.experience_detail, name="experience_detail"),
    path(
        "doswiadczenia/<int:item_pk>/przeglad/",
        views.experience_review,
        name="experience_review",
    ),
    path(
        "doswiadczenia/<int:item_pk>/przekazanie/",
        views.experience_forward,
        name="experience_forward",
    ),
    path("doswiadczenia/<int:item_pk>/scalenie/", views.experience_merge, name="experience_merge"),
    path("doswiadczenia/<int:item_pk>/zwrot/", views.experience_return, name="experience_return"),
]
