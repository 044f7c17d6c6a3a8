from django.urls import path

from . import views

app_name = "stakeholders"

urlpatterns = [
    path("gminy/", views.gmina_list, name="gmina_list"),
    path("gminy/<str:code>/", views.gmina_detail, name="gmina_detail"),
    path("wojewodztwa/<str:code>/", views.voivodeship_detail, name="voivodeship_detail"),
]
