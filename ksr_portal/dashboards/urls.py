from django.urls import path

from . import views, views_search, views_steps

app_name = "dashboards"

urlpatterns = [
    path("kraj/", views.country_dashboard, name="country"),
    path("kraj/kroki/", views_steps.country_steps, name="steps"),
    path("region/<str:code>/", views.region_dashboard, name="region"),
    path("region/<str:code>/kroki/", views_steps.region_steps, name="region_steps"),
    path("lsr/", views.lsr_list, name="lsr_list"),
    path("szukaj/", views_search.search, name="search"),
]
