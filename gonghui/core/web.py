"""The page kit every app's views and forms share: Bootstrap-styled forms that take a service's errors, a
write's outcome as a flashed message, the date input, reading an id from the query, and the region picker's
context."""

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from gonghui.core.errors import ConflictError

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BootstrapForm(forms.Form):
    """Gives every widget its Bootstrap class, and takes a service's ValidationError onto the fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_service_error(self, error: ValidationError) -> None:
        """Put each message on its field when the form has that field, else above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            target = name if name in self.fields else None
            for item in errors:
                if target is None and name != NON_FIELD_ERRORS:
                    self.add_error(None, ValidationError(item.messages))
                else:
                    self.add_error(target, item)


class flashed:  # noqa: N801 (used as a statement: ``with flashed(request, "已保存。"):``)
    """Runs a POST's service call and flashes its outcome: ``success`` when it is done, or the service's refusal
    in Chinese (a ValidationError's messages, or a ConflictError's: the record changed since it was read), which
    it swallows; any other error goes on. ``done`` says whether the write went through.

        with flashed(request, "已裁决。") as outcome:
            services.appeal_rule(actor=request.user, appeal=appeal, **form.cleaned_data)
        if outcome.done: ...
    """

    def __init__(self, request, success: str = ""):
        self.request, self.success, self.done = request, success, False

    def __enter__(self) -> "flashed":
        return self

    def __exit__(self, kind, error, traceback) -> bool:
        if kind is None:
            self.done = True
            if self.success:
                messages.success(self.request, self.success)
            return False
        if issubclass(kind, ValidationError | ConflictError):
            messages.error(self.request, error_text(error))
            return True
        return False


def error_text(error: ValidationError | ConflictError) -> str:
    """A service's refusal as one line in Chinese."""
    return "；".join(error.messages) if isinstance(error, ValidationError) else error.message


def form_errors(form) -> str:
    """A bound form's errors as one line, for a flashed message (the form itself is not shown again)."""
    return "；".join(e for errors in form.errors.values() for e in errors)


def int_param(value) -> int:
    """An id from the query or form; anything else reads as "does not exist"."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("参数无效") from None


def region_context(region, *, url_name: str = "orgs:regions", label: str = "所在地区", optional: bool = True) -> dict:
    """What orgs/_region_picker.html needs: the cascade of selects down to ``region`` (an orgs Region or
    None), the page that serves the next level, the selects' label, and whether the user may stop above the
    township level."""
    from gonghui.orgs.selectors import region_levels  # core is imported by orgs; the picker reads its regions

    return {"region_levels": region_levels(region), "region_code": region.code if region else "",
            "region_url": reverse(url_name), "region_label": label, "region_optional": optional}  # fmt: skip


def progress_response(request, template: str, job) -> HttpResponse:
    """A long job's progress bar, polled by HTMX; once the job is no longer running it asks the page to reload."""
    response = render(request, template, {"job": job})
    if not job.is_running:
        response["HX-Refresh"] = "true"
    return response
