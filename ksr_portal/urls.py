from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from .core.auth_forms import PortalAdminAuthenticationForm, PortalAuthenticationForm
from .home import views

admin.site.site_header = _("KSR Portal – administration")
admin.site.site_title = _("KSR Portal")
admin.site.index_title = _("Data administration")
admin.site.login_form = PortalAdminAuthenticationForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "konto/logowanie/",
        auth_views.LoginView.as_view(
            authentication_form=PortalAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("konto/wylogowanie/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/haslo/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "konto/haslo/zmienione/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("konto/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "konto/reset/wyslany/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "konto/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "konto/reset/gotowe/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("powiadomienia/", include("ksr_portal.core.notifications.urls")),
    path("", include("ksr_portal.accounts.urls")),
    path("", include("ksr_portal.home.urls")),
    path("teren/", include("stakeholders.urls")),
    path("pulpit/", include("ksr_portal.dashboards.urls")),
    path("sieci/", include("networks.urls")),
    path("sieci/<int:pk>/", include("procedures.urls")),
    path("sieci/<int:pk>/", include("surveys.urls")),
    path("sieci/<int:pk>/", include(("ksr_portal.printing.urls", "printing"))),
    path("dokumenty/", include(("ksr_portal.printing.urls_batch", "printing_batch"))),
    path("sieci/<int:pk>/", include("ksr_portal.evaluations.urls")),
    path("sieci/<int:pk>/", include("ksr_portal.recommendations.urls_network")),
    path("rekomendacje/", include("ksr_portal.recommendations.urls")),
    path("ankieta/", include("surveys.urls_public")),
    path("", include("ksr_portal.legal.urls")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
