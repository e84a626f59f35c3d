"""The shared categoriser: what users who consent to data processing agree on for merchants they have in common.

Only confirmed categories (category_source manual) into system categories count, one vote per user
and merchant, and only merchants that at least MIN_USERS users share: a merchant one person alone
has (a landlord, a friend's name) never leaves their account. The model is fitted on merchants'
normalised names alone, never on descriptions or amounts.
"""

from collections import Counter, defaultdict

from django.db import transaction

from finance.categorization import Labelled, MerchantMemory, merchant_key, model_fit
from finance.categorization.features import DIRECTIONS
from finance.models import CategorySource, SharedCategorizer, Transaction
from finance.services.categorizer import shared_recheck
from users.models import ConsentScope
from users.selectors import users_with_consent

MIN_USERS = 3
KEEP_VERSIONS = 2
_KINDS = {direction: kind for kind, direction in DIRECTIONS.items()}


def shared_votes() -> dict[str, dict[int, str]]:
    """{merchant key: {user id: the category slug that user files it under}} for consenting users' confirmed categories."""
    counts: dict[str, dict[int, Counter]] = defaultdict(lambda: defaultdict(Counter))
    rows = Transaction.objects.filter(
        user__in=users_with_consent(scope=ConsentScope.DATA_PROCESSING),
        category_source=CategorySource.MANUAL,
        category__user__isnull=True,
    ).values_list("user_id", "merchant", "description", "kind", "category__slug")
    for user_id, merchant, description, kind, slug in rows.iterator(chunk_size=5000):
        key = merchant_key(merchant=merchant, description=description, kind=kind)
        if key:
            counts[key][user_id][slug] += 1
    return {
        key: {user_id: slugs.most_common(1)[0][0] for user_id, slugs in by_user.items()}
        for key, by_user in counts.items()
        if len(by_user) >= MIN_USERS
    }


@transaction.atomic
def shared_categorizer_build() -> SharedCategorizer:
    """A new version of the shared categoriser from today's votes; processes pick it up within a minute."""
    votes = shared_votes()
    memory, lines = MerchantMemory(), []
    for key, by_user in votes.items():
        tally = Counter(by_user.values())
        # The majority's slug is learned last, so it is what the memory recalls (with its share of votes).
        for slug in sorted(by_user.values(), key=lambda slug: (tally[slug], slug)):
            memory.learn(key=key, label=slug)
        direction, name = key.split("|", 1)
        lines += [Labelled(name, "", _KINDS.get(direction, "expense"), None, slug) for slug in by_user.values()]
    model = model_fit(lines, names_only=True)
    newest = SharedCategorizer.objects.select_for_update().order_by("-version").first()
    built = SharedCategorizer.objects.create(
        version=(newest.version if newest else 0) + 1,
        memory=memory.state(),
        model=model.to_bytes() if model else None,
        merchants=len(votes),
        contributors=len({user_id for by_user in votes.values() for user_id in by_user}),
    )
    SharedCategorizer.objects.filter(version__lte=built.version - KEEP_VERSIONS).delete()
    transaction.on_commit(shared_recheck)  # this process uses it from the next transaction on
    return built
