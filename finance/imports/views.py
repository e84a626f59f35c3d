"""The Import page: upload, choose CSV columns when unsure, watch the progress, read the result."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from finance.imports.csv_parser import ROLE_LABELS, ROLES, CsvLayout
from finance.imports.pipeline import (
    FileTooLargeError,
    UnsupportedFormatError,
    csv_layout_for,
    csv_mapping_forget,
    import_job_columns_set,
    import_job_create,
    import_job_queue,
    upload_size_check,
)
from finance.imports.records import ImportFileError
from finance.imports.revert import ImportNotRevertible, ImportRowsEdited, import_job_revert
from finance.models import Account, CsvMapping, ImportFormat, ImportJob, ImportStatus
from users.forms import AccessibleForm

DATE_ORDERS = [("dmy", "Day first (31.01.2025, 31/01/2025)"), ("mdy", "Month first (01/31/2025)"), ("ymd", "Year first (2025-01-31)")]  # fmt: skip


class UploadForm(AccessibleForm):
    file = forms.FileField(label="Bank file (CSV, OFX/QFX, QIF, CAMT.053, MT940 or JSON)")
    format = forms.ChoiceField(
        label="Format", required=False, choices=[("", "Recognise it for me"), *ImportFormat.choices]
    )
    account = forms.ModelChoiceField(
        label="Account", queryset=Account.objects.none(), required=False,
        empty_label="The file's own accounts (OFX, QIF, CAMT.053, MT940, JSON), or my first account",
    )  # fmt: skip
    skip_invalid = forms.BooleanField(label="Import the good rows even if some rows are bad", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.filter(user=user)


class ColumnsForm(AccessibleForm):
    date_order = forms.ChoiceField(label="Dates are written", choices=DATE_ORDERS)
    decimal_comma = forms.BooleanField(label="Amounts use a decimal comma (1.234,56)", required=False)

    def __init__(self, *args, layout: CsvLayout, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— not in this file —")] + [
            (str(i), name or f"Column {i + 1}") for i, name in enumerate(layout.headers)
        ]
        for role in ROLES:
            self.fields[role] = forms.ChoiceField(label=ROLE_LABELS[role], choices=choices, required=False)
            self.initial.setdefault(role, str(layout.columns[role]) if role in layout.columns else "")
        self.initial.setdefault("date_order", layout.date_order)
        self.initial.setdefault("decimal_comma", layout.decimal_comma)

    def columns(self) -> dict[str, int]:
        return {role: int(self.cleaned_data[role]) for role in ROLES if self.cleaned_data.get(role)}


@login_required
def imports(request):
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            upload_size_check(upload.size)
            job = import_job_create(
                user=request.user, content=upload.read(), filename=upload.name or "", format=form.cleaned_data["format"],
                account=form.cleaned_data["account"], skip_invalid=form.cleaned_data["skip_invalid"], queue=False,
            )  # fmt: skip
        except (FileTooLargeError, UnsupportedFormatError) as exc:
            form.add_error("file", str(exc))
        else:
            return _after_upload(request, job)
    jobs = ImportJob.objects.filter(user=request.user).defer("content")[:20]
    mappings = CsvMapping.objects.filter(user=request.user)
    return render(request, "finance/imports.html", {"form": form, "jobs": jobs, "mappings": mappings})


def _after_upload(request, job: ImportJob):
    if job.format == "csv":
        try:
            unsure = csv_layout_for(job).unsure
        except ImportFileError:
            unsure = []  # the job reports it
        if unsure:
            return redirect("import-columns", job_id=job.pk)
    import_job_queue(user=request.user, job=job)
    return redirect("import-detail", job_id=job.pk)


@login_required
def import_columns(request, job_id: int):
    job = get_object_or_404(ImportJob, pk=job_id, user=request.user, status=ImportStatus.QUEUED, format="csv")
    layout = csv_layout_for(job)
    form = ColumnsForm(request.POST or None, layout=layout)
    if request.method == "POST" and form.is_valid():
        chosen = layout.with_choices(
            columns=form.columns(), date_order=form.cleaned_data["date_order"],
            decimal_comma=form.cleaned_data["decimal_comma"],
        )  # fmt: skip
        for problem in chosen.missing():
            form.add_error(None, problem)
        if not form.errors:
            import_job_columns_set(
                user=request.user, job=job, columns=chosen.columns, date_order=chosen.date_order,
                decimal_comma=chosen.decimal_comma,
            )  # fmt: skip
            return redirect("import-detail", job_id=job.pk)
    return render(request, "finance/imports_columns.html", {"job": job, "form": form, "layout": layout})


@login_required
def import_detail(request, job_id: int, *, edited: int = 0):
    job = get_object_or_404(ImportJob.objects.defer("content"), pk=job_id, user=request.user)
    return render(request, "finance/imports_detail.html", {"job": job, "edited": edited})


@login_required
@require_POST
def import_revert(request, job_id: int):
    get_object_or_404(ImportJob.objects.only("pk"), pk=job_id, user=request.user)
    try:
        removed = import_job_revert(user=request.user, job_id=job_id, force=request.POST.get("force") == "on")
    except ImportRowsEdited as exc:
        response = import_detail(request, job_id, edited=exc.count)
        response.status_code = 409
        return response
    except ImportNotRevertible as exc:
        messages.warning(request, str(exc))
    else:
        messages.success(
            request, f"Removed the {removed} transactions this import created. Use Undo to bring them back."
        )
    return redirect("import-detail", job_id=job_id)


@login_required
@require_POST
def import_mapping_forget(request, mapping_id: int):
    if csv_mapping_forget(user=request.user, mapping_id=mapping_id):
        messages.success(request, "Forgot those columns; the next such file will ask again.")
    return redirect("imports")
