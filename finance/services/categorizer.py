"""Loading, teaching and refitting the categoriser (finance.categorization is the pure core).

Each user's LearnedCategorizer row holds what they taught: the exact merchant memory (JSON,
updated in the request that teaches it) and the fitted model (an .npz archive, refitted after
commit by a task). The shared model, fitted from consenting users' common merchants, is one
SharedCategorizer row. Every process keeps what it loaded, keyed by the rows' versions, so all
processes answer alike and a change is seen by the next transaction.
"""

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from finance.categorization import (
    Categorizer,
    Decision,
    InvalidPatternError,
    Labelled,
    Learned,
    LinearModel,
    MerchantMemory,
    Rule,
    memory_build,
    merchant_key,
    model_fit,
    rule_build,
)
from finance.models import (
    CategorizationRule,
    Category,
    CategorySource,
    LearnedCategorizer,
    SharedCategorizer,
    Transaction,
)
from finance.selectors import categories_for_user

logger = logging.getLogger(__name__)

# Recently active users' categorisers, keyed by user id. Per process; the version says when one is stale.
_CACHE: OrderedDict[int, "UserCategorizer"] = OrderedDict()
_CACHE_LOCK = threading.Lock()
CACHE_SIZE = 256
# The newest labelled transactions a user's model is fitted on.
MAX_EXAMPLES = 5000
# How often a process asks whether the shared model was rebuilt (it changes once a day).
SHARED_CHECK_SECONDS = 60.0


@dataclass(frozen=True)
class UserCategorizer:
    """One user's Categorizer, with the categories it may answer with, so a decision needs no further read.

    `version` is the user's LearnedCategorizer.version when it was loaded (0 while they have no row: the
    first change makes one). Every change to what it reads (the memory, the model, the user's rules, a new
    category of theirs) bumps that version, so a cached one is reused only while it is current."""

    version: int
    shared_version: int
    categorizer: Categorizer
    categories: dict[int, Category]

    def categorize(self, *, merchant: str, description: str, kind: str = "expense", amount=None) -> Decision:
        return self.categorizer.categorize(merchant=merchant, description=description, kind=kind, amount=amount)

    def category(self, decision: Decision) -> Category:
        return self.categories[decision.category_id]


@dataclass
class _Shared:
    version: int = -1
    learned: Learned | None = None
    checked_at: float = 0.0


_SHARED = _Shared()


def shared_learned() -> tuple[int, Learned | None]:
    """The shared model this process has, reloaded when the row's version moved (checked once a minute)."""
    now = time.monotonic()
    with _CACHE_LOCK:
        if now - _SHARED.checked_at < SHARED_CHECK_SECONDS:
            return _SHARED.version, _SHARED.learned
    row = SharedCategorizer.objects.order_by("-version").values("version").first()
    version = row["version"] if row else 0
    if version != _SHARED.version:
        learned = None
        if version:
            row = SharedCategorizer.objects.filter(version=version).values("memory", "model").get()
            model = LinearModel.from_bytes(bytes(row["model"])) if row["model"] else None
            learned = Learned(memory=MerchantMemory(row["memory"]), model=model, names_only=True)
        with _CACHE_LOCK:
            _SHARED.version, _SHARED.learned = version, learned
    with _CACHE_LOCK:
        _SHARED.checked_at = now
        return _SHARED.version, _SHARED.learned


def shared_recheck() -> None:
    """Ask the database for the shared model's version at the next categorisation."""
    with _CACHE_LOCK:
        _SHARED.checked_at = 0.0


def _stored_rule(rule: CategorizationRule) -> Rule:
    """A saved rule, ready to match; a pattern saved before RE2 that it cannot run matches nothing."""
    fields = {"field": rule.field, "operator": rule.operator, "category_id": rule.category_id}
    try:
        return rule_build(**fields, value=rule.value, priority=rule.priority, rule_id=rule.pk)
    except InvalidPatternError:
        return Rule(**fields, value=rule.value.casefold(), priority=rule.priority, rule_id=rule.pk, pattern=None)


def categorizer_for(*, user) -> UserCategorizer:
    """Load one user's rules, memory, model and categories (one read when this process has them already)."""
    version = LearnedCategorizer.objects.filter(user=user).values_list("version", flat=True).first() or 0
    shared_version, shared = shared_learned()
    with _CACHE_LOCK:
        cached = _CACHE.get(user.pk)
        if cached is not None and cached.version == version:
            _CACHE.move_to_end(user.pk)
            if cached.shared_version == shared_version:
                return cached
    if cached is not None and cached.version == version:  # only the shared model moved: nothing to read
        loaded = _categorizer_build(
            version=version,
            rules=cached.categorizer.rules,
            learned=cached.categorizer.learned,
            shared=(shared_version, shared),
            categories=cached.categories,
        )
        _remember(user.pk, loaded)
        return loaded
    rules = [_stored_rule(rule) for rule in CategorizationRule.objects.filter(user=user)]
    learned = None
    if version:
        version, state, model = (
            LearnedCategorizer.objects.filter(user=user).values_list("version", "state", "model").get()
        )
        learned = _learned_load(state, model)
    categories = {category.pk: category for category in categories_for_user(user=user)}
    loaded = _categorizer_build(
        version=version, rules=rules, learned=learned, shared=(shared_version, shared), categories=categories
    )
    # Only what committed: a change rolled back must not leave its version cached.
    transaction.on_commit(lambda: _remember(user.pk, loaded))
    return loaded


def _learned_load(state: dict, model: bytes | None) -> Learned | None:
    memory = MerchantMemory(state.get("merchants"))
    fitted = LinearModel.from_bytes(bytes(model)) if model else None
    return Learned(memory=memory, model=fitted) if memory.merchants or fitted else None


def _categorizer_build(*, version, rules, learned, shared, categories: dict[int, Category]) -> UserCategorizer:
    system_ids = {category.slug: pk for pk, category in categories.items() if category.user_id is None}
    categorizer = Categorizer(
        rules=rules,
        system_ids=system_ids,
        learned=learned,
        shared=shared[1],
        known_ids=frozenset(categories) if learned else None,
    )
    return UserCategorizer(version=version, shared_version=shared[0], categorizer=categorizer, categories=categories)


def _remember(user_id: int, loaded: UserCategorizer) -> None:
    with _CACHE_LOCK:
        cached = _CACHE.get(user_id)
        if cached is not None and cached.version > loaded.version:
            return  # a newer one got here first
        _CACHE[user_id] = loaded
        _CACHE.move_to_end(user_id)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)


def categorizer_cache_clear() -> None:
    """Forget every categoriser and the shared model this process keeps (tests start from nothing)."""
    with _CACHE_LOCK:
        _CACHE.clear()
        _SHARED.version, _SHARED.learned, _SHARED.checked_at = -1, None, 0.0


def categorizer_changed(*, user) -> None:
    """Something the categoriser reads changed (a rule, a category): processes reload it. Inside the writer's atomic."""
    if not LearnedCategorizer.objects.filter(user=user).update(version=F("version") + 1):
        LearnedCategorizer.objects.get_or_create(user=user, defaults={"version": 1})


def model_teach(*, user, lessons: list[tuple[str, str, str, int, int]]) -> None:
    """Apply (merchant, description, kind, category id, +1 learn / -1 forget) lessons to the user's merchant
    memory at once, and refit their model after commit. Inside the caller's atomic."""
    if not lessons:
        return
    row = LearnedCategorizer.objects.select_for_update().filter(user=user).first()
    if row is None:  # their first lesson
        row, _ = LearnedCategorizer.objects.get_or_create(user=user)
        row = LearnedCategorizer.objects.select_for_update().get(pk=row.pk)
    memory = MerchantMemory(row.state.get("merchants"))
    for merchant, description, kind, category_id, weight in lessons:
        key = merchant_key(merchant=merchant, description=description, kind=kind)
        memory.learn(key=key, label=str(category_id), weight=weight)
        row.examples += weight
    row.state = {"merchants": memory.state()}
    row.lessons += 1
    row.version += 1
    row.save(update_fields=["state", "examples", "lessons", "version", "updated_at"])
    transaction.on_commit(lambda: _memory_remember(user.pk, row.version, memory))
    transaction.on_commit(lambda: _refit_queue(user.pk))


def _memory_remember(user_id: int, version: int, memory: MerchantMemory) -> None:
    """The cached categoriser of the version before, with the memory just taught: no reload for the next one."""
    with _CACHE_LOCK:
        cached = _CACHE.get(user_id)
    if cached is not None and cached.version == version - 1:
        old = cached.categorizer.learned
        learned = Learned(memory=memory, model=old.model if old else None)
        shared = (cached.shared_version, cached.categorizer.shared)
        rules, categories = cached.categorizer.rules, cached.categories
        _remember(
            user_id,
            _categorizer_build(version=version, rules=rules, learned=learned, shared=shared, categories=categories),
        )


def _refit_key(user_id: int) -> str:
    return f"categorizer:refit-queued:{user_id}"


def _refit_queue(user_id: int) -> None:
    """Queue a refit CATEGORIZER_REFIT_DELAY seconds from now, unless one is queued and not yet started: a burst of
    labels (someone categorising a statement, an app posting one expense after another) is fitted once."""
    from finance.tasks import categorizer_refit

    delay = settings.CATEGORIZER_REFIT_DELAY
    if not cache.add(_refit_key(user_id), 1, timeout=delay + 300):  # outlives the delay: a lost task is the sweep's
        return
    try:
        categorizer_refit.apply_async((user_id,), countdown=delay)
    except Exception:  # broker down: the periodic sweep refits it later
        cache.delete(_refit_key(user_id))
        logger.warning("refit of user %s's categoriser not queued; the sweep will", user_id, exc_info=True)


def labelled_lines(*, user_id: int) -> list[Labelled]:
    """The user's own categorisations (category_source manual, not deleted), newest first."""
    rows = (
        Transaction.objects.filter(user_id=user_id, category_source=CategorySource.MANUAL)
        .order_by("-occurred_at", "-id")
        .values_list("merchant", "description", "kind", "amount", "category_id")[:MAX_EXAMPLES]
    )
    return [
        Labelled(merchant, description, kind, amount, str(category))
        for merchant, description, kind, amount, category in rows
    ]


def categorizer_refit(*, user_id: int) -> bool:
    """Fit the user's model from their labelled transactions; False when it was current already.

    The fit runs without a lock (it takes seconds), so a correction made meanwhile is not kept
    waiting: it counts through the memory at once and leaves the model stale for the refit it
    queues. The memory is rebuilt from the same lines only when nothing was taught since they were read."""
    cache.delete(_refit_key(user_id))  # started: a label from now on queues the next refit
    current = LearnedCategorizer.objects.filter(user_id=user_id).values_list("lessons", "fitted_lessons").first()
    if current is None or current[0] == current[1]:
        return False
    lessons = current[0]
    lines = labelled_lines(user_id=user_id)  # read after the count: holds at least what it counted
    model = model_fit(lines)
    with transaction.atomic():
        row = LearnedCategorizer.objects.select_for_update().get(user_id=user_id)
        if row.fitted_lessons >= lessons:
            return False  # another refit got here first
        row.model = model.to_bytes() if model else None
        row.fitted_lessons = lessons
        row.version += 1
        fields = ["model", "fitted_lessons", "version", "updated_at"]
        if row.lessons == lessons:
            row.state = {"merchants": memory_build(reversed(lines)).state()}  # oldest first: the newest label wins
            row.examples = len(lines)
            fields += ["state", "examples"]
        row.save(update_fields=fields)
    return True


def categorizers_stale() -> list[int]:
    """Users whose model is older than what they taught (a refit that was never queued or failed)."""
    return list(LearnedCategorizer.objects.exclude(fitted_lessons=F("lessons")).values_list("user_id", flat=True))
