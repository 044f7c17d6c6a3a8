"""The public answering pages, no login (namespace "answer")."""

from . import views_public

app_name = "answer"

urlpatterns = [*views_public.urlpatterns]
