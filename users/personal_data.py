"""Which rows belong to a person, found through every relation to the user (so a model added
later is covered without touching this file), for the export and for erasure."""

from dataclasses import dataclass

from django.db import models

from users.models import User

# Bookkeeping that holds nothing a person wrote or was told, or only what is exported elsewhere:
# erased with the account but not exported.
NOT_EXPORTED = frozenset(
    {
        "admin.LogEntry",  # operators' edit history
        "finance.LearnedCategorizer",  # a trained model's weights
        "finance.MonthlyCategoryTotal",  # sums of the exported transactions
        "finance.OutboxEvent",  # delivery bookkeeping
        "finance.UndoEntry",  # snapshots of the exported transactions
        "insights.DailySpending",  # sums of the exported transactions
        "users.DataExport",  # the exports themselves
        "users.LoginCode",  # a secret
        "users.RevokedTokenFamily",  # logged-out tokens
    }
)
# Kept after erasure: the proof of what was consented to and that the account was erased.
KEPT_AFTER_ERASURE = frozenset({"users.ConsentEvent", "users.ErasureEvent"})
# Never written into an export: secrets and the archive itself.
SECRET_FIELDS = frozenset({"password", "code_hash", "secret", "archive", "token"})


@dataclass(frozen=True)
class PersonalTable:
    name: str  # the file name in the export, in the person's words: "transactions", "alert rules"
    model: type[models.Model]
    field: str  # the field pointing at the user

    @property
    def label(self) -> str:
        return self.model._meta.label

    def rows(self, user: User) -> models.QuerySet:
        return self.model._base_manager.filter(**{self.field: user}).order_by("pk")

    def columns(self) -> list[models.Field]:
        return [field for field in self.model._meta.concrete_fields if field.name not in SECRET_FIELDS]

    def records(self, user: User):
        """Each row as {column: value}; a link to another row is written as that row's name, not its id."""
        links = [field for field in self.columns() if field.is_relation and field.related_model is not User]
        many = list(self.model._meta.many_to_many)
        rows = (
            self.rows(user)
            .select_related(*(field.name for field in links))
            .prefetch_related(*(field.name for field in many))
        )
        for row in rows.iterator(chunk_size=2000) if not many else rows:
            record = {}
            for field in self.columns():
                if field in links:
                    linked = getattr(row, field.name)
                    record[field.name] = None if linked is None else str(linked)
                else:
                    record[field.name] = getattr(row, field.attname)
            for field in many:
                record[field.name] = [str(linked) for linked in getattr(row, field.name).all()]
            yield record


def personal_tables() -> list[PersonalTable]:
    """Every table with a foreign key to the user, by name."""
    tables = []
    for relation in User._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and (relation.one_to_many or relation.one_to_one)):
            continue
        model = relation.related_model
        tables.append(PersonalTable(name=str(model._meta.verbose_name_plural), model=model, field=relation.field.name))
    return sorted(tables, key=lambda table: table.name)


def exported_tables() -> list[PersonalTable]:
    return [table for table in personal_tables() if table.label not in NOT_EXPORTED]


def erased_tables() -> list[PersonalTable]:
    return [table for table in personal_tables() if table.label not in KEPT_AFTER_ERASURE]
