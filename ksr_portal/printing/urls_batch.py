"""The voivodeship batch of agreements, mounted under /dokumenty/ (namespace "printing_batch")."""

from .urls import batch_urlpatterns

app_name = "printing_batch"

urlpatterns = batch_urlpatterns
