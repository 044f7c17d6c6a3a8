"""Survey and interview management, mounted under /sieci/<pk>/ (namespace "surveys")."""

from . import views_campaigns, views_interviews, views_results

app_name = "surveys"

urlpatterns = [
    *views_campaigns.urlpatterns,
    *views_results.urlpatterns,
    *views_interviews.urlpatterns,
]
