"""``Sequential``: a stack of ``Dense`` layers over one flat parameter buffer, Keras-shaped."""

from __future__ import annotations

import numpy as np

from engine import budget
from engine import losses as losses_module
from engine import metrics as metrics_module
from engine import optimizers as optimizers_module
from engine.history import History
from engine.core.stack import Stack
from engine.layers import Dense, Input
from engine.sample_weights import check_sample_weight
from engine.training import Trainer


class Sequential:
    """A multilayer perceptron, compiled and fitted as in Keras.

    All kernels and biases live in one contiguous float64 vector ``params`` (and their
    gradients in ``grads``); each layer's ``kernel``/``bias`` are views into it, so an
    optimizer update is a handful of NumPy calls whatever the depth. That vector is row 0 of
    ``stack``, a one-row ``engine.core.Stack``: the model's maths is the training core's.
    """

    def __init__(self, layers: list[Input | Dense] | None = None, name: str = "sequential"):
        self.name = name
        self.input_dim: int | None = None
        self.layers: list[Dense] = []
        for layer in layers or []:
            self.add(layer)
        self.params: np.ndarray | None = None
        self.grads: np.ndarray | None = None
        self.loss: losses_module.Loss | None = None
        self.optimizer: optimizers_module.Optimizer | None = None
        self.metrics: list[tuple[str, metrics_module.Metric]] = []
        self._metric_names: list[str] = []
        self.stack: Stack | None = None
        """The model's arrays as a one-row ``Stack`` (set by ``build``): the maths every training step runs."""
        self.stop_training = False
        self.fresh = False
        """True while the weights are the unseeded ones drawn at construction (given an ``Input``):
        ``fit(seed=…)`` then redraws them from its seed; ``set_weights``, ``build`` and training clear it."""
        if self.input_dim is not None and self.layers:  # Keras builds a Sequential given an Input at once
            self.build()
            self.fresh = True

    def add(self, layer: Input | Dense) -> None:
        if isinstance(layer, Input):
            if self.layers:
                raise ValueError("Input must come first")
            self.input_dim = layer.shape[0]
        elif isinstance(layer, Dense):
            self.layers.append(layer)
        else:
            raise ValueError(f"Sequential takes Input and Dense layers, got {layer!r}")

    # -- building ------------------------------------------------------------------
    @property
    def built(self) -> bool:
        return self.params is not None

    @property
    def output_units(self) -> int:
        return self.layers[-1].units

    def build(self, input_dim: int | None = None, seed: int | None = None) -> None:
        """Allocate the flat buffers and initialise weights from ``seed``.

        A model too big for ``engine.budget``'s memory budget (its weights, gradients and the
        compiled optimizer's state) is refused first, with a one-line ``budget.BudgetError``.

        Kernels are glorot-uniform, biases zero, drawn in layer order from
        ``numpy.random.default_rng([seed, 0])`` (fresh entropy when ``seed`` is None).
        """
        if not self.layers:
            raise ValueError("the model has no Dense layers")
        input_dim = input_dim or self.input_dim
        if input_dim is None:
            raise ValueError("the input size is unknown: add Input(shape=(n,)) or fit on data first")
        if self.input_dim is not None and input_dim != self.input_dim:
            raise ValueError(f"the model expects {self.input_dim} features, got {input_dim}")
        budget.check_model([layer.units for layer in self.layers], int(input_dim), self.optimizer)
        self.input_dim = int(input_dim)
        self.stack = Stack(self.layers, self.input_dim, k=1)
        self.params, self.grads = self.stack.params[0], self.stack.grads[0]
        self._param_views = self.stack.param_views[0]
        arrays = iter(self._param_views)
        for layer in self.layers:
            layer.kernel = next(arrays)
            layer.bias = next(arrays) if layer.use_bias else None
        rng = np.random.default_rng(None if seed is None else [seed, 0])
        for layer in self.layers:
            layer.initialize(rng)
        self.fresh = False
        self._bind_optimizer()

    def count_params(self) -> int:
        return 0 if self.params is None else self.params.size

    def get_weights(self) -> list[np.ndarray]:
        """Copies of every array, Keras order: kernel ``(in, out)``, bias ``(out,)``, per layer."""
        self._require_built()
        return [p.copy() for p in self._param_views]

    def set_weights(self, weights: list[np.ndarray]) -> None:
        """Overwrite every array (same order and shapes as ``get_weights``)."""
        self._require_built()
        if len(weights) != len(self._param_views):
            raise ValueError(f"expected {len(self._param_views)} arrays, got {len(weights)}")
        for view, w in zip(self._param_views, weights):
            w = np.asarray(w, dtype=np.float64)
            if w.shape != view.shape:
                raise ValueError(f"weight shape {w.shape} does not match {view.shape}")
        for view, w in zip(self._param_views, weights):
            view[...] = w
        self.fresh = False

    # -- compiling -------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None) -> None:
        """Choose loss, optimizer (Keras's default is rmsprop) and metrics by name or instance.

        A built model whose optimizer state would not fit the memory budget is refused here
        (``budget.BudgetError``), the model left as it was.
        """
        if loss is None:
            raise ValueError("compile needs a loss")
        loss, optimizer = losses_module.get(loss), optimizers_module.get(optimizer)
        for name in metrics or []:
            metrics_module.compiled(name, output_units=1, sparse_targets=False)  # validate now
        if self.built:
            budget.check_model([layer.units for layer in self.layers], self.input_dim, optimizer)
        self.loss, self.optimizer = loss, optimizer
        self._metric_names = list(metrics or [])
        self._bind_optimizer()

    def _bind_optimizer(self) -> None:
        # Updates are elementwise, so one flat array is exactly the per-array update —
        # except clipnorm, which is per variable: the optimizer is told where each one lies.
        if self.params is None or self.optimizer is None:
            return
        self._opt_params = [self.params]
        self._opt_grads = [self.grads]
        bounds = np.cumsum([0] + [v.size for v in self._param_views])
        self.optimizer.variable_slices = [slice(int(a), int(b)) for a, b in zip(bounds, bounds[1:])]

    def resolve_metrics(self, sparse_targets: bool) -> list[tuple[str, metrics_module.Metric]]:
        """The compiled metrics as ``(history key, Metric)`` for this output size and target kind."""
        return [metrics_module.compiled(n, output_units=self.output_units, sparse_targets=sparse_targets)
                for n in self._metric_names]

    # -- the maths (the one-row case of ``Stack``) ------------------------------------
    def forward(self, x: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """``[(z_l, a_l)]`` for every layer, each ``(batch, units)``, ``a_L`` being the prediction:

            z_l = a_{l-1} W_l + b_l;  a_l = f_l(z_l);  a_0 = x
        """
        return self.stack.forward(x, row=0, buffered=False)

    def backward(self, x: np.ndarray, cache, d_out: np.ndarray) -> None:
        """Fill ``grads`` with ``∂L/∂θ`` given ``forward``'s ``cache`` and ``d_out = ∂L/∂a_L``:

            dz_l = da_l ⊙ f_l'(z_l);  ∂L/∂W_l = a_{l-1}ᵀ dz_l;  ∂L/∂b_l = Σ_batch dz_l;
            da_{l-1} = dz_l W_lᵀ
        """
        self.stack.backward(x, [(z[None], a[None]) for z, a in cache], d_out[None])

    def train_step(self, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """Loss on the batch (before the update), then one optimizer update unless it is non-finite.

        ``y`` must already be aligned by ``loss.prepare``. Returns ``(loss, y_pred)``;
        ``y_pred`` lives in a reused buffer, valid until the next step.
        """
        with np.errstate(over="ignore"):  # as forward, predict and fit silence an overflow to inf
            (loss,), y_pred = self.stack.gradients(x, y, self.loss)
        if loss - loss == 0.0:  # finite
            self.optimizer.apply(self._opt_grads, self._opt_params)
        return loss, y_pred[0]

    # -- Keras's entry points ----------------------------------------------------------
    def predict(self, x, batch_size: int | None = None, verbose=0) -> np.ndarray:
        """The model's outputs ``(N, units)`` (one pass; the batch size changes nothing)."""
        self._require_built()
        x = self.as_features(x)
        with np.errstate(all="ignore"):
            return self.forward(x)[-1][1]

    def evaluate(self, x, y, batch_size: int | None = None, verbose=0, sample_weight=None,
                 return_dict: bool = False):
        """Loss (and metrics) on ``(x, y)``: a float, or ``[loss, *metrics]`` when compiled with metrics.

        ``sample_weight`` ``(N,)`` weights the loss as in ``fit`` (Σ w_i l_i / N); the compiled
        metrics stay unweighted, as Keras's ``metrics=`` are (only its ``weighted_metrics`` take weights).
        """
        self.require_compiled()
        self._require_built()
        x = self.as_features(x)
        y_pred = self.predict(x)
        y_true = self.loss.prepare(y, y_pred)
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, len(x))
        logs = {"loss": float(self.loss(y_true, y_pred, sample_weight=sample_weight))}
        sparse = getattr(self.loss, "targets", "") == "integer"
        for key, metric in self.resolve_metrics(sparse):
            logs[key] = metric(y_true, y_pred)
        if return_dict:
            return logs
        return logs["loss"] if len(logs) == 1 else list(logs.values())

    def fit(self, x, y, batch_size: int | None = None, epochs: int = 1, verbose="auto",
            callbacks=None, validation_split: float = 0.0, validation_data=None,
            shuffle: bool = True, class_weight=None, sample_weight=None, initial_epoch: int = 0,
            seed: int | None = None) -> History:
        """Train as Keras's ``fit`` does; returns a ``History``.

        ``batch_size`` defaults to 32; each epoch runs ⌈N/B⌉ updates, the last on the
        remainder; ``validation_split`` holds out the *last* fraction before shuffling;
        ``shuffle`` reorders the training samples every epoch from ``seed``. The epoch
        ``loss`` is the batch-size-weighted mean of the batch losses, each taken before
        its update; ``val_loss`` is computed after the epoch. A non-finite loss or weight
        stops the run: ``history.status == "diverged"``.

        ``sample_weight`` ``(N,)`` or ``class_weight`` ``{class: weight}`` (not both) weight each
        sample's loss (Σ w_i l_i / B per batch; ``validation_split`` slices the weights too);
        ``validation_data`` is ``(x, y)`` or ``(x, y, sample_weight)``. Metrics stay unweighted.
        """
        trainer = Trainer(self, x, y, batch_size=batch_size, epochs=epochs,
                          validation_split=validation_split, validation_data=validation_data,
                          shuffle=shuffle, class_weight=class_weight, sample_weight=sample_weight,
                          initial_epoch=initial_epoch, seed=seed)
        return trainer.fit(verbose=verbose, callbacks=callbacks)

    # -- helpers -------------------------------------------------------------------------
    def as_features(self, x) -> np.ndarray:
        """``x`` as float64 ``(samples, features)`` (a 1-D ``x`` is one feature), or ``ValueError``."""
        try:
            x = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError("x must be numeric") from None
        if x.ndim == 1:
            x = x[:, None]
        if x.ndim != 2:
            raise ValueError(f"x must be (samples, features), got shape {x.shape}")
        if self.input_dim is not None and x.shape[1] != self.input_dim:
            raise ValueError(f"the model expects {self.input_dim} features, got {x.shape[1]}")
        return x

    def _require_built(self) -> None:
        if self.params is None:
            raise ValueError("the model is not built yet: call build() or fit() first")

    def require_compiled(self) -> None:
        """``ValueError`` unless ``compile`` has set a loss and an optimizer."""
        if self.loss is None or self.optimizer is None:
            raise ValueError("the model must be compiled first: call compile(loss=..., optimizer=...)")

    def summary(self) -> str:
        lines, fan_in = [], self.input_dim
        for layer in self.layers:
            n = (fan_in or 0) * layer.units + (layer.units if layer.use_bias else 0)
            lines.append(f"Dense({layer.units}, {layer.activation.name}): {n} params")
            fan_in = layer.units
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"Sequential({self.layers!r})"

