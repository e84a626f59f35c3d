"""Account pages: sign-up, log in (password or emailed code), log out, settings, consent, your data."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from users import exports, selectors, services
from users.forms import CodeRequestForm, CodeVerifyForm, ConsentForm, EraseForm, LoginForm, ProfileForm, SignupForm
from users.models import ConsentSource, DataExport, LoginMethod
from users.throttling import auth_throttle_wait, client_ip

CODE_EMAIL_KEY = "login_code_email"


def _throttled(request, template: str, form, wait: int):
    form.add_error(None, f"Too many attempts. Please wait {wait} seconds and try again.")
    response = render(request, template, {"form": form}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        wait = auth_throttle_wait(request)
        if wait:
            return _throttled(request, "users/signup.html", form, wait)
        if form.is_valid():
            try:
                user = services.user_register(**form.cleaned_data, ip=client_ip(request), source=ConsentSource.WEB)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                services.login_event_record(
                    email=user.email, user=user, method=LoginMethod.SESSION, success=True, ip=client_ip(request)
                )
                messages.success(request, "Welcome to Spendwise! Your account is ready.")
                return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "users/signup.html", {"form": form})


def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST":
        wait = auth_throttle_wait(request)
        if wait:
            return _throttled(request, "users/login.html", form, wait)
        if form.is_valid():
            user = services.password_login(
                request=request, **form.cleaned_data, method=LoginMethod.PASSWORD, ip=client_ip(request)
            )
            if user is not None:
                login(request, user)
                messages.success(request, f"Welcome back, {user.get_short_name()}.")
                return redirect(_next_url(request))
            form.add_error(None, "That email and password do not match an account.")
    return render(request, "users/login.html", {"form": form, "next": _next_url(request)})


def code_request(request):
    form = CodeRequestForm(request.POST or None)
    if request.method == "POST":
        wait = auth_throttle_wait(request)
        if wait:
            return _throttled(request, "users/code_request.html", form, wait)
        if form.is_valid():
            services.otp_request(email=form.cleaned_data["email"], ip=client_ip(request))
            request.session[CODE_EMAIL_KEY] = form.cleaned_data["email"]
            messages.info(request, "If an account exists for that address, we have emailed it a 6-digit code.")
            return redirect("users:login-code-verify")
    return render(request, "users/code_request.html", {"form": form})


def code_verify(request):
    email = request.session.get(CODE_EMAIL_KEY)
    if not email:
        return redirect("users:login-code")
    form = CodeVerifyForm(request.POST or None, initial={"email": email})
    if request.method == "POST":
        wait = auth_throttle_wait(request, by_email=True)
        if wait:
            return _throttled(request, "users/code_verify.html", form, wait)
        if form.is_valid():
            try:
                user = services.otp_verify(**form.cleaned_data, ip=client_ip(request))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session.pop(CODE_EMAIL_KEY, None)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, f"Welcome back, {user.get_short_name()}.")
                return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "users/code_verify.html", {"form": form, "email": email})


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "You are logged out.")
    return redirect("home")


@login_required
def settings_view(request):
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={"display_name": user.display_name, "timezone": user.timezone, "currency": user.currency},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your settings are saved.")
            return redirect("users:settings")
    return render(request, "users/settings.html", {"form": form, "logins": selectors.recent_logins(user=user)})


@login_required
def consent_view(request):
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            event = services.consent_set(
                user=request.user, **form.cleaned_data, source=ConsentSource.WEB, ip=client_ip(request)
            )
            if event is not None:
                verb = "turned on" if event.granted else "turned off"
                messages.success(request, f"{event.get_scope_display()} is {verb}.")
            return redirect("users:consent")
        messages.error(request, "That consent choice was not understood; nothing changed.")
    history = Paginator(selectors.consent_history(user=request.user), 25).get_page(request.GET.get("page"))
    context = {"states": selectors.consent_states(user=request.user), "history": history}
    return render(request, "users/consent.html", context, status=400 if request.method == "POST" else 200)


@login_required
def data_view(request):
    """Your data: ask for an export of everything, download it, or delete the account."""
    erase_form = EraseForm()
    if request.method == "POST" and request.POST.get("action") == "export":
        exports.export_request(user=request.user)
        messages.info(request, "We are preparing your export. It appears below when it is ready.")
        return redirect("users:data")
    if request.method == "POST" and request.POST.get("action") == "erase":
        erase_form = EraseForm(request.POST)
        if erase_form.is_valid():
            try:
                services.account_erase_confirmed(user=request.user, password=erase_form.cleaned_data["password"])
            except ValidationError as error:
                erase_form.add_error("password", error.message_dict["password"])
            else:
                logout(request)
                messages.success(request, "Your account and all its data are deleted. Goodbye.")
                return redirect("home")
    recent = list(selectors.exports_of(user=request.user)[:5])
    for export in recent:
        export.downloadable = selectors.export_downloadable(export=export)
    context = {"exports": recent, "erase_form": erase_form, "export_hours": settings.DATA_EXPORT_HOURS}
    return render(request, "users/data.html", context, status=400 if erase_form.errors else 200)


@login_required
def export_download_view(request, export_id: int):
    return export_download(request, export_id)


def export_download(request, export_id: int) -> HttpResponse:
    """The archive of one of the person's exports (page and API); 410 once it expired."""
    export = get_object_or_404(DataExport.objects.filter(user=request.user), pk=export_id)
    if not selectors.export_downloadable(export=export):
        return JsonResponse({"detail": "This export has expired or is not ready yet; ask for a new one."}, status=410)
    response = HttpResponse(bytes(export.archive), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="spendwise-export-{export.created_at:%Y-%m-%d}.zip"'
    return response
