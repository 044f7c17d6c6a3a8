"""URLs of an LSR's printed documents, mounted under /sieci/<int:pk>/ with the namespace
"printing"; ``batch_urlpatterns`` (the voivodeship batch) is mounted under /dokumenty/ through
``urls_print_batch`` with the namespace "printing_batch"."""

from django.urls import path

from . import views as views_print

app_name = "printing"

urlpatterns = [
    path("dokumenty/", views_print.documents, name="documents"),
    path("porozumienie.pdf", views_print.agreement_pdf, name="agreement_pdf"),
    path(
        "partnerstwa/<int:partnership_pk>/porozumienie.pdf",
        views_print.partnership_agreement_pdf,
        name="partnership_agreement_pdf",
    ),
    path("pisma/<slug:kind>.pdf", views_print.letters_pdf, name="letters_pdf"),
]

batch_urlpatterns = [
    path("", views_print.overview, name="overview"),
    path("zadania/<int:job_pk>/", views_print.job_status, name="job"),
    path("zadania/<int:job_pk>/plik/", views_print.job_download, name="job_download"),
    path(
        "wojewodztwo/<str:code>/porozumienia.pdf",
        views_print.agreements_batch,
        name="agreements_batch",
    ),
]
