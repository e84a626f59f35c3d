"""The ledger. Only finance.services writes these rows (docs/architecture-and-data-flow.md)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property

from users.validators import validate_currency

MONEY = {"max_digits": 14, "decimal_places": 2}
# Largest amount one transaction may carry; beyond this is a typo or an attack.
MAX_AMOUNT = Decimal("999999999.99")


class AccountKind(models.TextChoices):
    CHECKING = "checking", "Checking"
    SAVINGS = "savings", "Savings"
    CREDIT = "credit", "Credit card"
    LOAN = "loan", "Loan"
    CASH = "cash", "Cash"
    INVESTMENT = "investment", "Investment"


LIABILITY_KINDS = (AccountKind.CREDIT, AccountKind.LOAN)


class Account(models.Model):
    """Where money sits. For credit and loan accounts `balance` is the amount owed.

    Every user has exactly one default account (`is_default`) from sign-up: the one a transaction is
    recorded on when none is named. An archived account keeps its history but takes no new transactions.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="accounts")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=12, choices=AccountKind.choices, default=AccountKind.CHECKING)
    currency = models.CharField(max_length=3, default="USD", validators=[validate_currency])
    balance = models.DecimalField(**MONEY, default=Decimal("0.00"))
    credit_limit = models.DecimalField(**MONEY, null=True, blank=True, validators=[MinValueValidator(0)])
    external_id = models.CharField(
        max_length=100, blank=True, help_text="The bank's account id (OFX ACCTID, ingest id)."
    )
    is_default = models.BooleanField(default=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["user", "kind"])]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(is_default=True), name="account_one_default"),
            models.CheckConstraint(
                condition=Q(is_default=False) | Q(archived_at__isnull=True), name="account_default_not_archived"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_liability(self) -> bool:
        return self.kind in LIABILITY_KINDS

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class CreditLiability(models.Model):
    """Statement facts of a credit card or loan (from bulk ingest), read by insights' credit signals."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="liability")
    apr_percent = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    minimum_payment = models.DecimalField(**MONEY, null=True, blank=True)
    last_payment_amount = models.DecimalField(**MONEY, null=True, blank=True)
    last_statement_balance = models.DecimalField(**MONEY, null=True, blank=True)
    is_overdue = models.BooleanField(default=False)
    next_payment_due = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "credit liabilities"


class Category(models.Model):
    """A spending category. System categories have no user and exist from the first migration."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="categories"
    )
    slug = models.SlugField(max_length=50)
    name = models.CharField(max_length=80)
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(user__isnull=True), name="category_system_slug_unique"
            ),
            models.UniqueConstraint(fields=["user", "slug"], name="category_user_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_system(self) -> bool:
        return self.user_id is None


class Tag(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=40)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="tag_user_name_unique")]

    def __str__(self) -> str:
        return self.name


class TransactionKind(models.TextChoices):
    EXPENSE = "expense"
    INCOME = "income"
    TRANSFER = "transfer"


class CategorySource(models.TextChoices):
    MANUAL = "manual", "Chosen by you"
    RULE = "rule", "Chosen by one of your rules"
    MODEL = "model", "Learned from your choices"
    DEFAULT = "default", "Spendwise's first guess"


class TransactionSource(models.TextChoices):
    MANUAL = "manual", "Added by hand"
    IMPORT = "import", "Imported from a file"
    SYNC = "sync", "Sent by your bank or card"
    INGEST = "ingest", "Loaded from a data set"


class ActiveTransactionManager(models.Manager):
    """Transactions that are not deleted. Deleted rows stay (deleted_at set) so undo can restore them."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


TAGS_PREFETCHED = "prefetched_tags"


class Transaction(models.Model):
    # No index of its own: every index below starts with the user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="transactions", db_index=False
    )
    # RESTRICT, not PROTECT: an account or category in use cannot be deleted on its own, but deleting
    # the user (which cascades to all three) still works.
    account = models.ForeignKey(Account, on_delete=models.RESTRICT, related_name="transactions")
    to_account = models.ForeignKey(
        Account, on_delete=models.RESTRICT, null=True, blank=True, related_name="incoming_transfers", db_index=False
    )
    kind = models.CharField(max_length=10, choices=TransactionKind.choices, default=TransactionKind.EXPENSE)
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3, validators=[validate_currency])
    occurred_at = models.DateTimeField(default=timezone.now)
    # A bank file often gives only the day: the row is stored at local midnight and shown by its date.
    date_only = models.BooleanField(
        default=False, db_default=False, help_text="Only the day is known (the bank file gave no time)."
    )
    merchant = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=500, blank=True)
    location = models.CharField(max_length=200, blank=True)
    category = models.ForeignKey(Category, on_delete=models.RESTRICT, related_name="transactions")
    category_source = models.CharField(max_length=10, choices=CategorySource.choices, default=CategorySource.MANUAL)
    category_confidence = models.FloatField(default=1.0)
    tags = models.ManyToManyField(Tag, blank=True, related_name="transactions")
    source = models.CharField(max_length=10, choices=TransactionSource.choices, default=TransactionSource.MANUAL)
    # On PostgreSQL, `source` and `external_id` compare byte by byte (collation "C", migration 0006):
    # the unique key below is checked for every imported row, and a linguistic collation made that
    # check the largest single cost of a bulk import.
    external_id = models.CharField(max_length=200, null=True, blank=True)
    # The import that created it, so the import can be reverted. No index and no database constraint:
    # every imported row writes it, and only a revert (rare, per user) reads it.
    import_job = models.ForeignKey(
        "ImportJob", on_delete=models.SET_NULL, null=True, blank=True, db_index=False, db_constraint=False,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now, help_text="When it was logged.")
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = ActiveTransactionManager()
    all_objects = models.Manager()  # noqa: DJ012 (the two managers belong together)

    class Meta:
        base_manager_name = "all_objects"
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-occurred_at", "-id"], name="txn_user_occurred"),
            models.Index(fields=["user", "category", "occurred_at"], name="txn_user_category_occurred"),
            models.Index(fields=["user", "created_at"], name="txn_user_created"),
            # Few rows are transfers: the index that deleting an account needs skips all the others.
            models.Index(fields=["to_account"], condition=Q(to_account__isnull=False), name="txn_to_account"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="txn_amount_positive"),
            models.UniqueConstraint(
                fields=["user", "source", "external_id"],
                condition=Q(external_id__isnull=False),
                name="txn_user_source_external_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(to_account__isnull=True) | ~Q(to_account=F("account")), name="txn_transfer_not_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency} {self.merchant or self.description}"

    @cached_property
    def tag_names(self) -> list[str]:
        """Its tags' names, sorted. A page of transactions reads them in one query with `tags_prefetch()`;
        the services that set the tags set this too, so the answer to a write reads nothing back."""
        tags = getattr(self, TAGS_PREFETCHED, None)
        return sorted(tag.name for tag in (self.tags.all() if tags is None else tags))


def tags_prefetch() -> models.Prefetch:
    """Prefetch for a list of transactions' `tag_names`: into a plain list, which is cheaper than Django's
    prefetch into each row's manager (a queryset per row)."""
    return models.Prefetch("tags", to_attr=TAGS_PREFETCHED)


class MonthlyCategoryTotal(models.Model):
    """Per user, month (first day, in the user's time zone), category and kind: the exact sum.

    Kept exact by finance.services in the same database transaction as every ledger write;
    budget status and dashboards read this, never a scan of transactions.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=TransactionKind.choices)
    total = models.DecimalField(**MONEY, default=Decimal("0.00"))
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "month", "category", "kind"], name="monthly_total_unique"),
        ]
        indexes = [models.Index(fields=["user", "month"], name="monthly_total_user_month")]


class Budget(models.Model):
    """A monthly spending limit for one category, or for all spending when category is null.

    `month` null means every month; a row for a specific month overrides it for that month.
    With `rollover`, what was left unspent last month is added to this month's amount.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="budgets")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True, related_name="budgets")
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    month = models.DateField(null=True, blank=True)
    rollover = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category__name", "month"]
        # One budget per (user, category, month), where "no category" and "no month" count as values too.
        # Four partial unique indexes rather than one with nulls_distinct=False, which SQLite cannot enforce.
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category", "month"],
                condition=Q(category__isnull=False, month__isnull=False),
                name="budget_unique_per_month",
            ),
            models.UniqueConstraint(
                fields=["user", "category"],
                condition=Q(category__isnull=False, month__isnull=True),
                name="budget_unique_every_month",
            ),
            models.UniqueConstraint(
                fields=["user", "month"],
                condition=Q(category__isnull=True, month__isnull=False),
                name="budget_overall_unique_per_month",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(category__isnull=True, month__isnull=True),
                name="budget_overall_unique_every_month",
            ),
        ]


class RuleField(models.TextChoices):
    MERCHANT = "merchant"
    DESCRIPTION = "description"


class RuleOperator(models.TextChoices):
    CONTAINS = "contains", "Contains"
    EQUALS = "equals", "Equals"
    STARTS_WITH = "starts_with", "Starts with"
    REGEX = "regex", "Matches the pattern"


class CategorizationRule(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="categorization_rules")
    field = models.CharField(max_length=12, choices=RuleField.choices)
    operator = models.CharField(max_length=12, choices=RuleOperator.choices)
    value = models.CharField(max_length=200)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    priority = models.IntegerField(default=100, help_text="Lower runs first.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["priority", "id"]


class LearnedCategorizer(models.Model):
    """One user's learned categorisation (finance.categorization): what they filed each merchant under
    (`state`, updated with every manual categorisation or correction) and the model fitted on their
    labelled transactions (`model`, an .npz archive of plain arrays, refitted after commit).

    `version` grows with every change a categoriser reads, so a process can keep the parsed one cached;
    `lessons` counts the changes taught and `fitted_lessons` the count the model was fitted at.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.JSONField(default=dict)
    model = models.BinaryField(null=True, blank=True)
    examples = models.IntegerField(default=0)
    version = models.IntegerField(default=0)
    lessons = models.IntegerField(default=0)
    fitted_lessons = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)


class SharedCategorizer(models.Model):
    """The categoriser every user falls back to, fitted from the confirmed categories of merchants that
    several users who consent to data processing share (finance.services.categorizer). The newest
    version is the one in use; only system categories' slugs and merchants' normalised names are kept."""

    version = models.IntegerField(unique=True)
    memory = models.JSONField(default=dict)
    model = models.BinaryField(null=True, blank=True)
    merchants = models.IntegerField(default=0)
    contributors = models.IntegerField(default=0)
    built_at = models.DateTimeField(auto_now_add=True)


class UndoAction(models.TextChoices):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    REVERT = "revert"  # an import reverted: undoing it brings the import's transactions back


class UndoEntry(models.Model):
    """One step of a user's undo stack. Undoing marks it undone; nothing is destroyed.
    A step is about one transaction, or (REVERT) about every transaction one import created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=10, choices=UndoAction.choices)
    transaction = models.ForeignKey(Transaction, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    import_job = models.ForeignKey("ImportJob", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "undo entries"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["user", "-id"], condition=Q(undone_at__isnull=True), name="undo_open_per_user"),
        ]


class OutboxEvent(models.Model):
    """What happened in the ledger, written in the same database transaction as the change.

    The relay (finance.outbox) hands each event to the handlers other apps registered;
    a handler runs at most once per event (OutboxHandled), so a re-relay is harmless.
    """

    topic = models.CharField(max_length=50)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+")
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.IntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["created_at"], condition=Q(processed_at__isnull=True), name="outbox_unprocessed"),
        ]


class OutboxHandled(models.Model):
    """A handler has handled an event: claimed first in the handler's transaction, committed with its writes.

    The key that makes handlers idempotent (finance.outbox)."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="handled")
    handler = models.CharField(max_length=200)
    handled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "handled outbox event"
        constraints = [models.UniqueConstraint(fields=["event", "handler"], name="outbox_handled_once")]


class ImportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    OFX = "ofx", "OFX / QFX"
    QIF = "qif", "QIF"
    CAMT053 = "camt053", "CAMT.053"
    MT940 = "mt940", "MT940"
    JSON = "json", "JSON"


class ImportStatus(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ImportJob(models.Model):
    """One uploaded bank file (or an operator's data set) and what importing it did.

    Duplicates are found by the transactions' own unique key (user, source, external_id):
    the importer derives external_id from the OFX FITID or the CSV row's content fingerprint.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs")
    account = models.ForeignKey(Account, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    format = models.CharField(max_length=8, choices=ImportFormat.choices)
    filename = models.CharField(max_length=255, blank=True)
    content = models.BinaryField(null=True, blank=True, help_text="The uploaded file (bounded by IMPORT_MAX_BYTES).")
    file_path = models.CharField(max_length=500, blank=True, help_text="A server-side file, for operators' data sets.")
    column_mapping = models.JSONField(default=dict, blank=True, help_text="CSV columns chosen on the Import page.")
    skip_invalid = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total = models.IntegerField(default=0)
    processed = models.IntegerField(default=0)
    created = models.IntegerField(default=0)
    duplicates = models.IntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text='[{"row": n, "message": "..."}]')
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    reverted_at = models.DateTimeField(null=True, blank=True, help_text="When what it created was removed.")
    attempts = models.PositiveIntegerField(default=0, help_text="Times a worker started it.")
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life of the worker running it; older than the lease: lost."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="import_job_user_created"),
            models.Index(fields=["heartbeat_at"], condition=Q(status="running"), name="import_job_running"),
        ]

    def __str__(self) -> str:
        return f"{self.format} import {self.filename} ({self.status})"


class CsvMapping(models.Model):
    """CSV columns a person confirmed for one header layout (a bank's export), reused next time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="csv_mappings")
    signature = models.CharField(max_length=64, help_text="Hash of the header row's normalised names.")
    headers = models.JSONField(default=list, help_text="The header row, to show which export this is.")
    columns = models.JSONField(default=dict, help_text="role -> column index")
    date_order = models.CharField(max_length=3, default="ymd")
    decimal_comma = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["user", "signature"], name="csv_mapping_user_signature")]

    def __str__(self) -> str:
        return ", ".join(self.headers)[:80]
