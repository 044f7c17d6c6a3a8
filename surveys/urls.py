"""Survey and interview management, mounted under /sieci/<pk>/ (namespace "surveys")."""

from .views import campaigns as views_campaigns
from .views import interviews as views_interviews
from .views import results as views_results

app_name = "surveys"

urlpatterns = [
    *views_campaigns.urlpatterns,
    *views_results.urlpatterns,
    *views_interviews.urlpatterns,
]
