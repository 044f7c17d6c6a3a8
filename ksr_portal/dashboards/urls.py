from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("kraj/", views.country_dashboard, name="country"),
    path("region/<str:code>/", views.region_dashboard, name="region"),
    path("lsr/", views.lsr_list, name="lsr_list"),
]
