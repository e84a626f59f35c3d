from django.shortcuts import redirect, render


def home(request):
    """A newcomer sees the landing page; a signed-in user goes to their dashboard."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")
