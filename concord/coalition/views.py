from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from concord.coalition.forms import CoalitionForm
from concord.coalition.models import Coalition
from concord.coalition.queries import current_coalition
from concord.coalition.services import update_coalition
from concord.core import permissions
from concord.core.http import AuthenticatedRequest


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "coalition/home.html")


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "coalition/about.html")


@require_safe
def get_help(request: HttpRequest) -> HttpResponse:
    return render(request, "coalition/get_help.html")


@require_safe
def membership(request: HttpRequest) -> HttpResponse:
    return render(request, "coalition/membership.html")


def _coalition_or_404() -> Coalition:
    coalition = current_coalition()
    if coalition is None:
        raise Http404
    return coalition


@login_required
def coalition_edit(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_edit_coalition(request.user):
        raise PermissionDenied
    coalition = _coalition_or_404()
    form = CoalitionForm(request.POST or None, instance=Coalition.objects.get(pk=coalition.pk))
    if request.method == "POST" and form.is_valid():
        update_coalition(actor=request.user, coalition=coalition, values=form.cleaned_data)
        messages.success(request, _("Coalition settings saved."))
        return redirect("coalition:coalition-edit")
    return render(request, "coalition/coalition_form.html", {"form": form})
