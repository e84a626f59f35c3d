"""Every figure a person can see agrees with their transactions, right after each kind of write.

Three people in three time zones write through every path of the ledger (the transaction page, the
API, a sync push, an upload, undo), and `ingest_json` and `seed_demo` load people of their own. Right
after each write, every total the writer can read for the months it touched (dashboard, budgets
page, insights page, summary and score, budget status, the monthly email, the operators' aggregate
view in the admin) equals a recomputation from the live transactions, done here in Python.

It runs twice: with tasks in-process, and against a real Celery worker (PostgreSQL, Redis and a
broker), where the outbox's background work has usually not run yet when the figures are read.
"""

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from alerts.models import Notification
from alerts.services.digest import monthly_summary_send
from conftest import api_client_for, make_user, page_client_for
from core.months import format_month, next_month
from finance.demo.seeding import DEMO_EMAIL
from finance.models import Transaction
from finance.services import account_create, budget_create
from users.models import User

FILES = Path(__file__).resolve().parent.parent.parent / "finance" / "tests" / "fixtures" / "imports"
CENT = Decimal("0.01")
IMPORT_TIMEOUT = 60


@dataclass
class Truth:
    """What one month holds, added up here from the live transactions."""

    by_category: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: Decimal("0.00")))
    income: Decimal = Decimal("0.00")

    @property
    def spent(self) -> Decimal:
        return sum(self.by_category.values(), Decimal("0.00"))


def truths(user) -> dict[date, Truth]:
    """Every month the user has transactions in, added up from the live rows."""
    zone, found = ZoneInfo(user.timezone), defaultdict(Truth)
    for txn in Transaction.objects.filter(user=user).select_related("category"):
        month = found[txn.occurred_at.astimezone(zone).date().replace(day=1)]
        if txn.kind == "expense":
            month.by_category[txn.category.slug] += txn.amount
        elif txn.kind == "income":
            month.income += txn.amount
    return found


def _key(truth: Truth) -> tuple:
    return truth.income, sorted(_nonzero(truth.by_category.items()).items())


def _money(amount) -> str:
    return str(Decimal(amount).quantize(CENT))


def _nonzero(pairs) -> dict[str, str]:
    return {key: _money(value) for key, value in pairs if Decimal(value) != 0}


def assert_every_figure_agrees(user, staff, *, before: dict[date, Truth] | None = None) -> None:
    """This month, and each month the last write changed (every month when `before` is None), as every page
    and endpoint shows it."""
    api, page = api_client_for(user), page_client_for(user)
    this_month = timezone.now().astimezone(ZoneInfo(user.timezone)).date().replace(day=1)
    now = truths(user)
    changed = {m for m in now if before is None or _key(now[m]) != _key(before.get(m, Truth()))}
    for month in sorted(changed | {this_month}):
        expected = now.get(month, Truth())
        label = f"{user.email} {format_month(month)}"
        categories = _nonzero(expected.by_category.items())

        summary = api.get(f"/api/v1/insights/summary/?month={format_month(month)}").json()
        assert (summary["total_spent"], summary["total_income"]) == (_money(expected.spent), _money(expected.income)), label  # fmt: skip
        assert _nonzero((line["category"], line["spent"]) for line in summary["by_category"]) == categories, label

        statuses = api.get(f"/api/v1/budgets/status/?month={format_month(month)}").json()
        for status in statuses:
            should = expected.spent if status["category"] is None else expected.by_category.get(status["category"], 0)
            assert status["spent"] == _money(should), (label, status["category"])

        score = api.get(f"/api/v1/insights/score/?month={format_month(month)}").json()
        cache.clear()  # what it would be computed afresh
        assert api.get(f"/api/v1/insights/score/?month={format_month(month)}").json() == score, label

        operators = staff.get("/admin/finance/monthlycategorytotal/", {"q": user.email}).context["cl"].result_list
        shown = defaultdict(Decimal)
        for row in operators:
            if row.month == month and row.kind == "expense":
                shown[row.category.slug] += row.total
        assert _nonzero(shown.items()) == categories, label

        if month == this_month:
            dashboard = page.get("/dashboard/").context
            assert _money(dashboard["spent"]) == _money(expected.spent), label
            assert [_money(row.status.spent) for row in dashboard["budget_rows"]] == [s["spent"] for s in statuses]
            budgets = page.get("/budgets/").context
            assert [_money(row.status.spent) for row in budgets["rows"]] == [s["spent"] for s in statuses]
            if before is None:  # the insights page shows the summary read above; it is slow to build
                insights = page.get("/insights/").content.decode()
                assert f"you spent <strong>{_money(expected.spent)} {user.currency}</strong>" in insights, label
        else:
            assert_monthly_email_agrees(user, month, expected)


def assert_monthly_email_agrees(user, month: date, expected: Truth) -> None:
    first_of_next = datetime.combine(next_month(month), datetime.min.time(), tzinfo=ZoneInfo(user.timezone))
    email = monthly_summary_send(user=user, now=first_of_next + timedelta(hours=1))
    assert email is not None
    assert email.data["total_spent"] == _money(expected.spent)
    assert _nonzero((line["category"], line["spent"]) for line in email.data["spending"]) == _nonzero(
        expected.by_category.items()
    )
    Notification.objects.filter(pk=email.pk).delete()  # sent again after the next write


def done(response):
    """A write that was refused would leave every figure trivially in agreement."""
    assert response.status_code in (201, 202, 302), (response.status_code, response.content[:300])
    return response


def wait_for_import(api, job_id: int) -> dict:
    deadline = time.monotonic() + IMPORT_TIMEOUT
    while (job := api.get(f"/api/v1/imports/{job_id}/").json())["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline, job
        time.sleep(0.05)
    assert job["status"] == "done", job
    return job


def days_ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


def start_of_month_utc() -> datetime:
    """Half past midnight UTC on the 1st: still last month in New York, already this month further east."""
    now = timezone.now()
    return min(now.replace(day=1, hour=0, minute=30, second=0, microsecond=0), now - timedelta(minutes=1))


def person_writes(user, number: int, write, staff) -> None:
    """One person writes through each path; every figure is checked after each write."""
    api, page = api_client_for(user), page_client_for(user)
    account = account_create(user=user, name="Checking", currency=user.currency, balance=Decimal("900.00"))
    budget_create(user=user, amount=Decimal("1500.00"))
    budget_create(user=user, category="groceries", amount=Decimal("300.00"))
    assert_every_figure_agrees(user, staff)  # and cached now, empty

    local_now = timezone.localtime(timezone.now(), ZoneInfo(user.timezone))
    form = {"kind": "expense", "amount": "23.40", "account": account.pk, "category": "groceries",
            "occurred_at": local_now.strftime("%Y-%m-%dT%H:%M"), "merchant": "Lidl"}  # fmt: skip
    before = truths(user)
    done(write(lambda: page.post("/transactions/", form)))
    assert_every_figure_agrees(user, staff, before=before)

    for body in (
        {"account": account.pk, "amount": "64.10", "category": "dining", "merchant": "Trattoria"},
        {"account": account.pk, "kind": "income", "amount": "2500.00", "category": "income", "merchant": "Payroll"},
        {"account": account.pk, "amount": "1200.00", "category": "housing", "occurred_at": start_of_month_utc()},
        {"account": account.pk, "amount": "31.15", "category": "groceries", "occurred_at": days_ago(40)},
    ):
        body = {key: value.isoformat() if isinstance(value, datetime) else value for key, value in body.items()}
        before = truths(user)
        done(write(lambda body=body: api.post("/api/v1/transactions/", body, format="json")))
        assert_every_figure_agrees(user, staff, before=before)

    push = {"source": "card", "external_id": f"auth-{number}", "amount": "12.50", "currency": user.currency,
            "occurred_at": (timezone.now() - timedelta(hours=2)).isoformat(), "merchant": "Starbucks",
            "consent_given": True}  # fmt: skip
    before = truths(user)
    done(write(lambda: api.post("/api/v1/transactions/sync/", push, format="json")))
    assert_every_figure_agrees(user, staff, before=before)

    upload = {"file": SimpleUploadedFile("statement.csv", (FILES / "us_bank_debit_credit.csv").read_bytes())}
    before = truths(user)
    answer = done(write(lambda: api.post("/api/v1/imports/", {**upload, "account": account.pk}, format="multipart")))
    wait_for_import(api, answer.json()["id"])
    assert_every_figure_agrees(user, staff, before=before)

    before = truths(user)
    done(write(lambda: page.post("/transactions/undo/")))  # the latest write, whatever it was
    assert_every_figure_agrees(user, staff, before=before)
    assert_every_figure_agrees(user, staff)


def scenario(write) -> None:
    """`write(callable)` performs one write as the test's mode requires (committing its on-commit work)."""
    staff = page_client_for(make_user("operator@example.com", is_staff=True, is_superuser=True))
    people = [
        make_user("alice@example.com", timezone="Europe/Berlin", currency="EUR"),
        make_user("bob@example.com", timezone="America/New_York"),
        make_user("carol@example.com", timezone="Pacific/Auckland", currency="NZD"),
    ]
    for number, user in enumerate(people):
        person_writes(user, number, write, staff)

    write(lambda: call_command("ingest_json", str(FILES / "spendsense.json"), stdout=StringIO()))
    for user in User.objects.filter(transactions__source="ingest").distinct():
        assert_every_figure_agrees(user, staff)

    write(lambda: call_command("seed_demo", users=0, months=2, jobs=1, stdout=StringIO(), stderr=StringIO()))
    assert_every_figure_agrees(User.objects.get(email=DEMO_EMAIL), staff)


@pytest.mark.django_db
def test_every_figure_agrees_after_each_write(django_capture_on_commit_callbacks):
    def write(perform):
        with django_capture_on_commit_callbacks(execute=True):
            return perform()

    scenario(write)


@pytest.mark.services
def test_every_figure_agrees_while_the_background_work_is_behind(celery_worker):
    scenario(lambda perform: perform())
