"""ioffe-szegedy-fig1: Figure 1 of Ioffe & Szegedy (2015), "Batch Normalization", reproduced.

A network of 3 fully connected hidden layers of 100 sigmoid units is trained with plain SGD on
mini-batches of 60, once as it is and once with batch normalization before every sigmoid, from
the same small random Gaussian weights and on the same batches. The paper used MNIST; here the
data are scikit-learn's 8-by-8 handwritten digits (``load_digits``: 1,797 images shipped inside the
package, nothing downloaded). Batch norm runs through :func:`plots.norms.batch_norm` and
:func:`plots.norms_backward.batch_norm_backward`; evaluation normalizes with population statistics
(the paper's Algorithm 2: mean and unbiased variance over the training set). Panels: test
accuracy against training steps; the 15th, 50th and 85th percentiles (over the test images) of
the input to one sigmoid of the last hidden layer, without and with batch norm.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Annotated, cast

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import StrMethodFormatter
from matplotlib.typing import LineStyleType
from numpy.typing import NDArray

from plots import norms, norms_backward
from plots.figures import FigureKind, ParamInfo, number
from plots.theme import Theme


@dataclass(frozen=True)
class IoffeSzegedyFig1Params:
    """The params of an ioffe-szegedy-fig1 figure."""

    steps: Annotated[
        int, ParamInfo("SGD steps (mini-batches) per network", minimum=50, maximum=10000)
    ] = 5000
    batch_size: Annotated[int, ParamInfo("examples per mini-batch", minimum=2, maximum=256)] = 60
    learning_rate: Annotated[float, ParamInfo("SGD learning rate", minimum=0.001, maximum=5.0)] = (
        0.5
    )
    init_std: Annotated[
        float, ParamInfo("std of the Gaussian initial weights", minimum=0.001, maximum=2)
    ] = 0.1
    unit: Annotated[
        int, ParamInfo("which sigmoid of the last hidden layer to follow", minimum=0, maximum=99)
    ] = 0
    seed: Annotated[
        int, ParamInfo("seed of the split, weights and batches", minimum=0, maximum=2**32 - 1)
    ] = 0


HIDDEN = (100, 100, 100)
PERCENTILES = (15, 50, 85)
_TEST_IMAGES = 500
_EVALUATIONS = 100  # test-set evaluations along training (at most; at least 10 steps apart)
_TARGET_ACCURACY = 0.9


def load_digits_split(seed: int) -> tuple[NDArray[np.float64], ...]:
    """(train images, train labels, test images, test labels); pixels scaled to [0, 1]."""
    # Lazy: only this figure needs scikit-learn, which ships no type hints.
    from sklearn.datasets import load_digits  # type: ignore[import-untyped]

    digits = load_digits()
    order = np.random.default_rng(seed).permutation(len(digits.target))
    images, labels = digits.data[order] / 16.0, digits.target[order]
    return (
        images[_TEST_IMAGES:],
        labels[_TEST_IMAGES:],
        images[:_TEST_IMAGES],
        labels[:_TEST_IMAGES],
    )


def _sigmoid(x: NDArray[np.float64]) -> NDArray[np.float64]:
    return 1.0 / (1.0 + np.exp(-x))


Statistics = list[tuple[NDArray[np.float64], NDArray[np.float64]]]  # per BN layer: mean, var
# Per hidden layer: its input, the pre-norm z, the sigmoid's input and the sigmoid's output.
Activations = tuple[
    NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]
]


class SigmoidMlp:
    """Fully connected sigmoid network, optionally with batch norm before each sigmoid."""

    def __init__(self, weights: list[NDArray[np.float64]], batch_normalized: bool) -> None:
        self.weights = [w.copy() for w in weights]
        self.biases = [np.zeros(w.shape[1]) for w in weights]  # hidden ones unused with BN
        self.batch_normalized = batch_normalized
        hidden = [w.shape[1] for w in weights[:-1]]
        self.gammas, self.betas = [np.ones(n) for n in hidden], [np.zeros(n) for n in hidden]

    def forward(
        self, x: NDArray[np.float64], statistics: Statistics | None = None, training: bool = True
    ) -> tuple[NDArray[np.float64], list[Activations]]:
        """Logits and, per hidden layer, (layer input, pre-norm z, sigmoid input, output).

        Batch norm uses the batch's statistics when ``training`` (and stores them in
        ``statistics`` when given: momentum 1), else the given ``statistics``.
        """
        layers: list[Activations] = []
        for i in range(len(self.gammas)):
            z = x @ self.weights[i]
            if self.batch_normalized:
                mean, var = (None, None) if statistics is None else statistics[i]
                sigmoid_input = cast(  # plots.norms computes in its input's dtype: float64
                    NDArray[np.float64],
                    norms.batch_norm(
                        z, mean, var, self.gammas[i], self.betas[i], training=training, momentum=1.0
                    ),
                )
            else:
                sigmoid_input = z + self.biases[i]
            output = _sigmoid(sigmoid_input)
            layers.append((x, z, sigmoid_input, output))
            x = output
        return x @ self.weights[-1] + self.biases[-1], layers

    def population_statistics(self, images: NDArray[np.float64]) -> Statistics:
        """Each BN layer's input mean and unbiased variance over all ``images``: the inference
        statistics of the paper's Algorithm 2, with the whole training set as one batch."""
        statistics = [(np.zeros(len(g)), np.ones(len(g))) for g in self.gammas]
        self.forward(images, statistics, training=True)
        return statistics

    def sgd_step(self, x: NDArray[np.float64], labels: NDArray[np.int64], rate: float) -> None:
        """One SGD step on the mean softmax cross-entropy of the mini-batch."""
        logits, layers = self.forward(x)
        probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        grad = probabilities
        grad[np.arange(len(labels)), labels] -= 1.0
        grad /= len(labels)
        last_hidden = layers[-1][3]
        grad_x = grad @ self.weights[-1].T
        self.weights[-1] -= rate * last_hidden.T @ grad
        self.biases[-1] -= rate * grad.sum(axis=0)
        for i in reversed(range(len(layers))):
            layer_input, z, _, output = layers[i]
            grad_input = grad_x * output * (1.0 - output)  # through the sigmoid
            if self.batch_normalized:
                grad_z, grad_gamma, grad_beta = norms_backward.batch_norm_backward(
                    grad_input, z, self.gammas[i]
                )
                self.gammas[i] -= rate * grad_gamma
                self.betas[i] -= rate * grad_beta
            else:
                grad_z = grad_input
                self.biases[i] -= rate * grad_z.sum(axis=0)
            grad_x = grad_z @ self.weights[i].T
            self.weights[i] -= rate * layer_input.T @ grad_z


@dataclass(frozen=True)
class IoffeSzegedyFig1:
    """Test accuracy and sigmoid-input percentiles at each evaluation step, both networks."""

    steps: NDArray[np.int64]  # (evaluations,)
    accuracy: dict[bool, NDArray[np.float64]]  # batch_normalized -> (evaluations,)
    percentiles: dict[bool, NDArray[np.float64]]  # batch_normalized -> (evaluations, 3)
    train_images: int
    test_images: int


def compute(params: IoffeSzegedyFig1Params) -> IoffeSzegedyFig1:
    """Train both networks on the same batches; evaluate on the test images along the way."""
    train_x, train_y, test_x, test_y = load_digits_split(params.seed)
    rng = np.random.default_rng(params.seed)
    sizes = (train_x.shape[1], *HIDDEN, 10)
    weights = [rng.normal(0.0, params.init_std, size=s) for s in pairwise(sizes)]
    batches = rng.integers(0, len(train_y), size=(params.steps, params.batch_size))
    every = max(10, params.steps // _EVALUATIONS)
    steps = np.arange(every, params.steps + 1, every)
    accuracy, percentiles = {}, {}
    for batch_normalized in (False, True):
        network = SigmoidMlp(weights, batch_normalized)
        accuracies, unit_percentiles = [], []
        for step, batch in enumerate(batches, start=1):
            network.sgd_step(train_x[batch], train_y[batch], params.learning_rate)
            if step % every == 0:
                statistics = network.population_statistics(train_x)
                logits, layers = network.forward(test_x, statistics, training=False)
                accuracies.append(np.mean(logits.argmax(axis=1) == test_y))
                sigmoid_input = layers[-1][2][:, params.unit]
                unit_percentiles.append(np.percentile(sigmoid_input, PERCENTILES))
        accuracy[batch_normalized] = np.array(accuracies)
        percentiles[batch_normalized] = np.array(unit_percentiles)
    return IoffeSzegedyFig1(steps, accuracy, percentiles, len(train_y), len(test_y))


def draw(data: IoffeSzegedyFig1, params: IoffeSzegedyFig1Params, theme: Theme) -> Figure:
    """(a) test accuracy, (b) percentiles without batch norm, (c) with batch norm."""
    figure = Figure(figsize=(7.6, 3.0), layout="constrained")
    accuracy_axes, plain_axes, normalized_axes = figure.subplots(1, 3)
    colours = {False: theme.before, True: theme.after}
    for batch_normalized, label in ((False, "without BN"), (True, "with BN")):
        accuracy_axes.plot(
            data.steps,
            data.accuracy[batch_normalized],
            color=colours[batch_normalized],
            label=label,
        )
    accuracy_axes.set_ylim(max(0.0, accuracy_axes.get_ylim()[0]), 1.0)
    accuracy_axes.set_title("(a) test accuracy")
    shared = np.concatenate([data.percentiles[False], data.percentiles[True]])
    margin = 0.08 * np.ptp(shared)
    for axes, batch_normalized, title in (
        (plain_axes, False, "(b) without BN"),
        (normalized_axes, True, "(c) with BN"),
    ):
        values, colour = data.percentiles[batch_normalized], colours[batch_normalized]
        axes.fill_between(
            data.steps,
            values[:, 0],
            values[:, 2],
            color=colour,
            alpha=theme.fill_alpha,
            linewidth=0.0,
        )
        for column, style in zip(range(3), (":", "-", ":"), strict=True):
            axes.plot(data.steps, values[:, column], style, color=colour)
        axes.set_ylim(shared.min() - margin, shared.max() + margin)
        axes.set_title(f"{title}: sigmoid input")
    plain_axes.set_ylabel(f"input to unit {params.unit + 1}, hidden layer 3")
    handles, labels = accuracy_axes.get_legend_handles_labels()
    legend: tuple[tuple[LineStyleType, str], ...] = (
        ("-", "median"),
        (":", "15th and 85th percentile"),
    )
    for line_style, label in legend:
        handles.append(Line2D([], [], linestyle=line_style, color=theme.foreground))
        labels.append(label)
    figure.legend(handles, labels, loc="outside lower center", ncols=4)
    for axes in (accuracy_axes, plain_axes, normalized_axes):
        axes.set_xlabel("training steps")
        axes.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        axes.xaxis.get_major_locator().set_params(nbins=4)
    return figure


def _first_step_reaching(data: IoffeSzegedyFig1, batch_normalized: bool) -> str:
    reached = np.flatnonzero(data.accuracy[batch_normalized] >= _TARGET_ACCURACY)
    return f"by step {data.steps[reached[0]]:,}" if reached.size else "never"


def describe(data: IoffeSzegedyFig1, params: IoffeSzegedyFig1Params) -> str:
    """Alt text: data and setup, measured accuracies, and how the percentiles moved."""

    def percent(batch_normalized: bool) -> str:
        return f"{100 * data.accuracy[batch_normalized][-1]:.1f}%"

    def triple(batch_normalized: bool, index: int) -> str:
        return "/".join(number(v) for v in data.percentiles[batch_normalized][index])

    spreads = {bn: data.percentiles[bn][:, 2] - data.percentiles[bn][:, 0] for bn in (False, True)}
    return (
        "Reproduction of Figure 1 of Ioffe and Szegedy (2015) on scikit-learn's 8-by-8 handwritten "
        f"digits ({data.train_images:,} training and {data.test_images:,} test images) instead "
        "of MNIST: a network of 3 fully connected hidden layers of 100 sigmoid units trained "
        f"with SGD (learning rate {params.learning_rate:g}, mini-batches of "
        f"{params.batch_size}) for {params.steps:,} steps, without and with batch "
        f"normalization. Final test accuracy: {percent(True)} with batch normalization, "
        f"{percent(False)} without; {100 * _TARGET_ACCURACY:.0f}% was reached "
        f"{_first_step_reaching(data, True)} with it and {_first_step_reaching(data, False)} "
        "without. The 15th/50th/85th percentiles of the input to one sigmoid of the last hidden "
        f"layer move from {triple(False, 0)} to {triple(False, -1)} without batch "
        f"normalization (15th-85th spread {number(spreads[False].min())} to "
        f"{number(spreads[False].max())}) and from {triple(True, 0)} to {triple(True, -1)} with "
        f"it (spread {number(spreads[True].min())} to {number(spreads[True].max())})."
    )


def cost(params: IoffeSzegedyFig1Params) -> float:
    """Seconds, measured: 10.9 at the defaults (5,000 steps of 60), 59 at the limits."""
    steps, batch = params.steps, params.batch_size
    return 1.5 + 7e-4 * steps + 2e-5 * steps * batch


KIND = FigureKind(
    name="ioffe-szegedy-fig1",
    summary="Ioffe & Szegedy (2015) Figure 1: accuracy and sigmoid inputs, without and with BN",
    params_type=IoffeSzegedyFig1Params,
    compute=compute,
    draw=draw,
    describe=describe,
    cost=cost,
)
