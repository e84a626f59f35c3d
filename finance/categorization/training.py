"""Turning labelled transactions into what the categoriser learned. Pure: no ORM."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from finance.categorization.features import shared_features, transaction_features
from finance.categorization.linear import Example, LinearModel
from finance.categorization.memory import MerchantMemory, merchant_key


@dataclass(frozen=True)
class Labelled:
    merchant: str
    description: str
    kind: str
    amount: Decimal | None
    label: str


def model_fit(lines: Iterable[Labelled], *, names_only: bool = False) -> LinearModel | None:
    """The linear model of these lines; `names_only` fits on the merchants' normalised names alone."""
    examples = []
    for line in lines:
        if names_only:
            features = shared_features(merchant=line.merchant, description=line.description, kind=line.kind)
        else:
            features = transaction_features(
                merchant=line.merchant, description=line.description, kind=line.kind, amount=line.amount
            )
        examples.append(Example(features, line.label))
    return LinearModel.fit(examples)


def memory_build(lines: Iterable[Labelled]) -> MerchantMemory:
    memory = MerchantMemory()
    for line in lines:
        memory.learn(
            key=merchant_key(merchant=line.merchant, description=line.description, kind=line.kind), label=line.label
        )
    return memory
