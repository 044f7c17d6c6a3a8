"""The public answering pages, no login (namespace "answer")."""

from .views import public as views_public

app_name = "answer"

urlpatterns = [*views_public.urlpatterns]
