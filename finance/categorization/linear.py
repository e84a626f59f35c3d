"""A linear classifier over hashed transaction features, fitted with scikit-learn. Pure: no ORM.

Fitting is logistic regression by stochastic gradient descent (one-versus-rest, a fixed seed so
the same examples always give the same model); its probabilities are a usable confidence.
A fitted model keeps only the weights of features it saw (sorted hashed ids and one row of
weights per id), so predicting one transaction is a binary search and a small dot product in
NumPy, without scikit-learn's per-call overhead. It is stored as an .npz archive read with
`allow_pickle=False`: plain arrays, nothing executable.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.linear_model import SGDClassifier

FORMAT = 1  # bump when features.py changes what a hashed id means: older models are refitted
REGULARISATION = 1e-4  # SGDClassifier's alpha; chosen by cross-validation on training lines only (bench/ --dev)
EPOCHS = 30


@dataclass(frozen=True)
class Example:
    features: dict[int, float]
    label: str


class LinearModel:
    def __init__(self, *, keys: np.ndarray, weights: np.ndarray, bias: np.ndarray, labels: Sequence[str]):
        self.keys = keys  # sorted hashed feature ids (int64)
        self.weights = weights  # len(keys) x len(labels), float32
        self.bias = bias  # len(labels), float32
        self.labels = tuple(labels)

    @classmethod
    def fit(cls, examples: Sequence[Example]) -> "LinearModel | None":
        """None when there is nothing to choose between (fewer than two labels)."""
        labels = sorted({example.label for example in examples})
        if len(labels) < 2:
            return None
        keys = np.unique(np.fromiter((key for e in examples for key in e.features), dtype=np.int64))
        rows, columns, values = [], [], []
        for row, example in enumerate(examples):
            ids = np.fromiter(example.features, dtype=np.int64, count=len(example.features))
            rows.append(np.full(len(ids), row))
            columns.append(np.searchsorted(keys, ids))
            values.append(np.fromiter(example.features.values(), dtype=np.float64, count=len(ids)))
        matrix = sparse.csr_matrix(
            (np.concatenate(values), (np.concatenate(rows), np.concatenate(columns))), shape=(len(examples), len(keys))
        )
        target = np.searchsorted(labels, [example.label for example in examples])
        fitted = SGDClassifier(loss="log_loss", alpha=REGULARISATION, max_iter=EPOCHS, tol=None, random_state=0).fit(
            matrix, target
        )
        weights, bias = fitted.coef_.T, fitted.intercept_
        if len(labels) == 2:  # scikit-learn keeps one column for two classes: the second's margin
            weights = np.hstack([-weights, weights])
            bias = np.array([-bias[0], bias[0]])
        return cls(keys=keys, weights=weights.astype(np.float32), bias=bias.astype(np.float32), labels=labels)

    def predict(self, features: dict[int, float]) -> tuple[str, float, float]:
        """(label, probability) of the most likely label, and the share of the line's features the model saw."""
        ids = np.fromiter(features, dtype=np.int64, count=len(features))
        values = np.fromiter(features.values(), dtype=np.float32, count=len(features))
        where = np.searchsorted(self.keys, ids)
        where[where == len(self.keys)] = 0
        known = self.keys[where] == ids
        scores = values[known] @ self.weights[where[known]] + self.bias
        chances = 1.0 / (1.0 + np.exp(-scores))  # one-versus-rest: each label's own chance, then normalised
        best = int(chances.argmax())
        return self.labels[best], float(chances[best] / chances.sum()), float(values[known].sum() / values.sum())

    def knows(self, key: int) -> bool:
        where = int(np.searchsorted(self.keys, key))
        return where < len(self.keys) and int(self.keys[where]) == key

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            format=np.array([FORMAT]),
            keys=self.keys,
            weights=self.weights,
            bias=self.bias,
            labels=np.array(self.labels, dtype=str),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "LinearModel | None":
        """None for a model of an older feature format (it must be fitted again)."""
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            if int(archive["format"][0]) != FORMAT:
                return None
            return cls(
                keys=archive["keys"],
                weights=archive["weights"],
                bias=archive["bias"],
                labels=[str(label) for label in archive["labels"]],
            )
