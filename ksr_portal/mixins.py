from django.contrib.auth.mixins import LoginRequiredMixin

from .scoping import require_capability


class ScopedViewMixin(LoginRequiredMixin):
    """For class-based list/detail views: the queryset is always the user's scope."""

    capability: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.capability:
            require_capability(request.user, self.capability)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user)
