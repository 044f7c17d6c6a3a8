"""The LSR library ("Gminna Biblioteczka LSR", card 7): search, upload, download, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ksr_portal.core.forms import add_service_errors
from networks.selectors import may, network_get_for_user

from ..forms.library import LibrarySearchForm, LibraryUploadForm
from ..selectors import library as selectors
from ..services import library as services


@login_required
@require_GET
def library(request, pk):
    network = network_get_for_user(user=request.user, pk=pk)
    search = LibrarySearchForm(request.GET or None)
    query, category = "", ""
    if search.is_valid():
        query = search.cleaned_data["q"]
        category = search.cleaned_data["category"]
    documents = list(
        selectors.documents_for_lsr(
            user=request.user, network=network, query=query, category=category
        )
    )
    return render(
        request,
        "procedures/library/library.html",
        {
            "network": network,
            "search": search,
            "filtered": bool(query or category),
            "documents": documents,
            "can_upload": may(request.user, "share_documents", network),
            "can_delete": may(request.user, "manage_library", network),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def library_upload(request, pk):
    network = network_get_for_user(user=request.user, pk=pk, capability="share_documents")
    form = LibraryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_upload(
                user=request.user,
                network=network,
                title=form.cleaned_data["title"],
                category=form.cleaned_data["category"],
                description=form.cleaned_data["description"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("“%(title)s” has been added to the library.") % {"title": document.title},
            )
            return redirect("procedures:library", pk=network.pk)
    return render(
        request, "procedures/library/library_upload.html", {"network": network, "form": form}
    )


@login_required
@require_GET
def library_download(request, pk, doc_pk):
    network = network_get_for_user(user=request.user, pk=pk)
    document = selectors.document_get_for_user(user=request.user, network=network, pk=doc_pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=document.original_name)


@login_required
@require_POST
def library_delete(request, pk, doc_pk):
    network = network_get_for_user(user=request.user, pk=pk)
    document = selectors.document_get_for_user(user=request.user, network=network, pk=doc_pk)
    services.document_delete(user=request.user, document=document)
    messages.success(
        request, _("“%(title)s” has been removed from the library.") % {"title": document.title}
    )
    return redirect("procedures:library", pk=network.pk)


urlpatterns = [
    path("biblioteczka/", library, name="library"),
    path("biblioteczka/nowy/", library_upload, name="library_upload"),
    path("biblioteczka/<int:doc_pk>/pobierz/", library_download, name="library_download"),
    path("biblioteczka/<int:doc_pk>/usun/", library_delete, name="library_delete"),
]
