"""``Stack``: K networks of one architecture over a ``(K, P)`` buffer, computed as one.

Row ``k`` of ``params`` is network ``k``'s flat parameter vector (Keras order: per layer its
kernel ``(in, out)``, then its bias); each layer's kernel is a ``(K, in, out)`` view and its bias
a ``(K, 1, out)`` view into it. A forward or backward pass is one stacked ``np.matmul`` per layer
for all K rows. NumPy runs a stacked matmul as one BLAS call per slice with the same shapes and
strides a 2-D matmul would use, so every row gets the bits it would get alone.

A ``Sequential`` model *is* a one-row stack (``model.stack``; ``model.params`` is its row 0), so
the solo ``fit`` and a race run the same maths on the same code (``tests/engine/test_race.py``
checks race ≡ solo through whole training runs).
"""

from __future__ import annotations

import numpy as np


class Stack:
    """The parameters, gradients and per-batch buffers of K networks of one architecture.

    Args:
        layers: the ``Dense`` layers (sizes and activations) every row shares.
        input_dim: features per sample.
        k: number of rows; ``params`` and ``grads`` start at zero.

    ``Stack.of(models)`` stacks built models, row ``k`` a copy of ``models[k].params``.
    """

    def __init__(self, layers: list, input_dim: int, k: int = 1):
        self.layers = layers
        self.input_dim = input_dim
        self.shapes = [layer.param_shapes(fan_in) for layer, fan_in in
                       zip(layers, [input_dim] + [la.units for la in layers[:-1]])]
        size = sum(int(np.prod(s)) for shapes in self.shapes for s in shapes)
        self.params = np.zeros((k, size))
        self.grads = np.zeros_like(self.params)
        self._bind()

    @classmethod
    def of(cls, models: list) -> "Stack":
        """The rows of built ``Sequential`` models with identical layers (copies of their params)."""
        template = models[0]
        stack = cls(template.layers, template.input_dim, len(models))
        stack.params[...] = [m.params for m in models]
        return stack

    def _bind(self) -> None:
        self.k = k = len(self.params)
        """Number of rows."""
        self.kernels, self.biases, self.kernel_grads, self.bias_grads = [], [], [], []
        self.param_views: list[list[np.ndarray]] = [[] for _ in range(k)]  # per row, Keras order
        self.grad_views: list[list[np.ndarray]] = [[] for _ in range(k)]
        offset = 0
        for layer, shapes in zip(self.layers, self.shapes):
            for which, shape in enumerate(shapes):
                size = int(np.prod(shape))
                p = self.params[:, offset:offset + size]
                g = self.grads[:, offset:offset + size]
                if which == 0:
                    self.kernels.append(p.reshape(k, *shape))
                    self.kernel_grads.append(g.reshape(k, *shape))
                else:
                    self.biases.append(p.reshape(k, 1, size))
                    self.bias_grads.append(g)
                for r in range(k):
                    self.param_views[r].append(self.params[r, offset:offset + size].reshape(shape))
                    self.grad_views[r].append(self.grads[r, offset:offset + size].reshape(shape))
                offset += size
            if not layer.use_bias:
                self.biases.append(None)
                self.bias_grads.append(None)
        for view in self.kernels + self.kernel_grads:
            assert np.shares_memory(view, self.params) or np.shares_memory(view, self.grads)
        self._workspaces: dict[int, _Workspace] = {}

    def keep(self, rows: list[int]) -> None:
        """Drop every row not in ``rows`` (a frozen contestant leaves the computation)."""
        self.params = self.params[rows]  # a new array: indexing by a list copies
        self.grads = np.zeros_like(self.params)
        self._bind()

    # -- the maths (Sequential.forward / backward with a leading K axis) --------------------
    def forward(self, x: np.ndarray, row: int | None = None, buffered: bool = True) -> list[tuple]:
        """``[(z_l, a_l)]`` per layer, each ``(K, batch, units)`` (or ``(batch, units)`` for one ``row``):

            z_l = a_{l-1} W_l + b_l;  a_l = f_l(z_l);  a_0 = x

        ``x`` is ``(batch, in)``, shared by all rows. ``buffered`` writes into the per-batch-size
        workspace (the training path); otherwise fresh arrays are returned.
        """
        if buffered and row is None:
            with np.errstate(over="ignore"):  # what the activations' own passes silence (see Activation.forward)
                cache = self._forward(x)
            return cache if self.k > 1 else [(z[None], a[None]) for z, a in cache]
        matmul = np.matmul
        cache, a = [], x
        for layer, kernel, bias in zip(self.layers, self.kernels, self.biases):
            if row is not None:
                kernel = kernel[row]
                bias = None if bias is None else bias[row, 0]
            z = matmul(a, kernel)
            if bias is not None:
                z += bias
            a = layer.activation.forward(z)
            cache.append((z, a))
        return cache

    def backward(self, x: np.ndarray, cache, d_out: np.ndarray) -> None:
        """Fill ``grads`` (every row) from ``forward``'s ``cache`` and ``d_out = ∂L_k/∂a_L``,
        ``(K, batch, units)``, one stacked matmul per product:

            dz_l = da_l ⊙ f_l'(z_l);  ∂L/∂W_l = a_{l-1}ᵀ dz_l;  ∂L/∂b_l = Σ_batch dz_l;
            da_{l-1} = dz_l W_lᵀ

        Except ``da = dz Wᵀ`` through a one-unit layer with K > 1 rows: an outer product, which
        NumPy's matmul computes outside BLAS (each element ``0 + a·b``) slower than the broadcast
        product ``a·b`` (K = 6, batch 32: 3.6 µs against 4.7). The two differ only in the sign
        of a zero, which no gradient sees: every ``da`` reaches the gradients through an
        elementwise ``f'`` (a zero stays a zero) and then BLAS sums, which start from ``+0.0``
        (``test_race.py`` checks the bits of every gradient, signed zeros included). One row
        keeps the matmul, the faster of the two at that size.
        """
        if self.k == 1:
            cache, d_out = [(z[0], a[0]) for z, a in cache], d_out[0]
        self._backward(x, cache, d_out)

    def gradients(self, x: np.ndarray, y: np.ndarray, loss, y_rows: np.ndarray | None = None,
                  sample_weight: np.ndarray | None = None) -> tuple[list[float], np.ndarray]:
        """Forward, loss and backward for every row on one batch: ``([L_k], y_pred (K, batch, D))``.

        ``grads`` then holds ``∂L_k/∂θ_k`` in row ``k``; ``y`` is ``loss.prepare``-d, shared by the
        rows (``y_rows``: see ``loss_and_gradient``), as is ``sample_weight`` ``(batch,)`` if given.
        ``y_pred`` lives in a reused buffer. Run it under ``np.errstate(all="ignore")`` (``Heat``'s
        callers do): an overflow to ``inf`` is part of the maths and marks a diverged step.
        """
        cache = self._forward(x)
        y_pred = cache[-1][1]
        if self.k == 1:  # the workspace's own shapes are (batch, units)
            value, d_out = loss.value_and_gradient(y, y_pred, sample_weight)
            self._backward(x, cache, d_out)
            return [value], y_pred[None]
        losses, d_out = loss_and_gradient(loss, y, y_pred, y_rows, sample_weight)
        self._backward(x, cache, d_out)
        return losses.tolist(), y_pred

    def _forward(self, x: np.ndarray) -> list[tuple]:
        """``forward`` into the workspace, in its shapes (``(batch, units)`` when K = 1)."""
        ws = self._workspace(len(x))
        cache, a = ws.cache, x
        for index, (activation, kernel, bias, z_buf, a_buf, product) in enumerate(ws.forward_plan):
            z = product(a, kernel, out=z_buf)
            if bias is not None:
                z += bias
            a = activation.forward(z, out=a_buf)
            cache[index] = (z, a)
        return cache

    def _backward(self, x: np.ndarray, cache, d_out: np.ndarray) -> None:
        """``backward`` from the workspace's shapes (``_forward``'s cache)."""
        ws = self._workspace(len(x))
        ones = ws.ones
        da = d_out
        for index, activation, dz_buf, kernel_grad, bias_grad, kernel_t, one_unit, da_buf, a_buf, a_buf_t, \
                grad_product, da_product in ws.backward_plan:
            z, a = cache[index]
            dz = activation.backward(z, a, da, out=dz_buf)
            if index:
                a_prev = cache[index - 1][1]
                a_prev_t = a_buf_t if a_prev is a_buf else np.swapaxes(a_prev, -1, -2)
            else:
                a_prev_t = x.T
            grad_product(a_prev_t, dz, out=kernel_grad)
            if bias_grad is not None:
                grad_product(ones, dz, out=bias_grad)
            if index:
                if one_unit:  # (K, batch, 1) × (K, 1, in): an outer product, see backward
                    da = np.multiply(dz, kernel_t, out=da_buf)
                else:
                    da = da_product(dz, kernel_t, out=da_buf)

    def _workspace(self, batch: int) -> "_Workspace":
        ws = self._workspaces.get(batch)
        if ws is None:
            ws = self._workspaces[batch] = _Workspace(self, batch)
        return ws


def broadcasts(loss) -> bool:
    """Whether ``loss``'s maths runs on all K rows at once (see ``loss_and_gradient``)."""
    return loss.targets != "integer" and loss.reduction in ("sum_over_batch_size", "sum")


def loss_and_gradient(loss, y_true: np.ndarray, y_pred: np.ndarray, y_rows: np.ndarray | None = None,
                      sample_weight: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Every row's ``loss.value_and_gradient``: ``([L_k] (K,), ∂L_k/∂y_pred (K, batch, D))``.

    One call for all rows when the loss's maths broadcasts over a leading axis (``broadcasts``:
    every loss but those with integer targets, whose indexing does not); the row sums then
    reduce along the same contiguous axis as a 1-D sum, so each ``L_k`` has the solo run's bits.
    ``y_rows``, optional: ``y_true`` repeated for each row, ``(K, batch, D)`` — the same
    elementwise maths, only faster than broadcasting ``y_true`` in every operation.
    ``sample_weight`` ``(batch,)``: each row's loss weighted by it, row by row.
    """
    k = len(y_pred)
    if k == 1:
        value, grad = loss.value_and_gradient(y_true, y_pred[0], sample_weight)
        return np.array([value]), grad[None]
    if sample_weight is not None or not broadcasts(loss):
        pairs = [loss.value_and_gradient(y_true, y_pred[r], sample_weight) for r in range(k)]
        return np.array([v for v, _ in pairs]), np.stack([g for _, g in pairs])
    values, grad = loss.call_with_gradient(y_true if y_rows is None else y_rows, y_pred)
    sums = np.add.reduce(values.reshape(k, -1), axis=1)  # what ndarray.sum calls, without its wrapper
    if loss.reduction == "sum":
        return sums, grad
    n = values[0].size
    sums /= n  # float64 / int: value_and_gradient's float(sum) / n
    return sums, grad / n


def metric_totals(metric, y_true: np.ndarray, y_pred: np.ndarray,
                  y_rows: np.ndarray | None = None) -> tuple[np.ndarray, int]:
    """Every row's ``metric.batch_total(y_true, y_pred[k])``: ``(totals (K,), count)``, the
    count being the same for every row (it depends on the shapes only).

    One call for all rows when the metric exposes its elementwise ``hits(y_true, y_pred)``
    (binary accuracy: the counts are integers, so exact, and one unit, so one hit per sample);
    otherwise row by row. ``y_rows`` as in ``loss_and_gradient``.
    """
    k = len(y_pred)
    hits = getattr(metric, "hits", None)
    if hits is not None:
        found = hits(y_true if y_rows is None else y_rows, y_pred).reshape(k, -1)
        if k == 1:  # a solo run: NumPy's own count, far cheaper than a bool → int sum
            return np.array([np.count_nonzero(found)]), found.shape[1]
        return np.add.reduce(found, axis=1, dtype=np.intp), found.shape[1]
    pairs = [metric.batch_total(y_true, y_pred[r]) for r in range(k)]
    return np.array([t for t, _ in pairs], dtype=np.float64), pairs[0][1]


class _Workspace:
    """Preallocated ``(K, batch, units)`` buffers for one batch size, and the per-layer plans
    (what each pass reads and writes) so a step spends its time in NumPy, not in lookups.

    With one row the plans hold the row's 2-D views (``(batch, units)``, kernels ``(in, out)``):
    the very operations a lone network makes, without the stacked calls' extra cost.
    """

    def __init__(self, stack: Stack, batch: int):
        k, units = stack.k, [layer.units for layer in stack.layers]
        self.z = [np.empty((k, batch, u)) for u in units]
        self.a = [np.empty((k, batch, u)) for u in units]
        self.dz = [np.empty((k, batch, u)) for u in units]
        self.da = [np.empty((k, batch, u)) for u in units]
        self.ones = np.ones(batch)
        self.cache: list = [None] * len(units)
        view = (lambda arrays: [None if v is None else v[0] for v in arrays]) if k == 1 else (lambda arrays: arrays)
        z, a, dz, da = view(self.z), view(self.a), view(self.dz), view(self.da)
        kernels, biases = view(stack.kernels), view(stack.biases)
        kernel_grads, bias_grads = view(stack.kernel_grads), view(stack.bias_grads)
        fan_in = [stack.input_dim] + units[:-1]
        self.forward_plan = [(layer.activation, kernel, bias, z_l, a_l, product(k, n)) for layer, kernel, bias, z_l, a_l, n
                             in zip(stack.layers, kernels, biases, z, a, fan_in)]
        self.backward_plan = [
            (i, stack.layers[i].activation, dz[i], kernel_grads[i], bias_grads[i],
             np.swapaxes(kernels[i], -1, -2), units[i] == 1 and k > 1, da[i - 1] if i else None,
             # the previous layer's output buffer and its transpose (forward writes there, mostly)
             a[i - 1] if i else None, np.swapaxes(a[i - 1], -1, -2) if i else None,
             product(k, batch), product(k, units[i]))  # inner dimensions: the batch; the layer's units
            for i in range(len(units) - 1, -1, -1)]


def product(k: int, inner: int):
    """The matrix product for a stack of ``k`` rows whose inner dimension is ``inner``: ``np.dot``
    for a one-row stack's 2-D operands when ``inner > 1``, else ``np.matmul``.

    The same BLAS call, so the same bits: with 2-D operands and ``inner > 1`` both hand BLAS the
    same ``gemm`` (or ``gemv``, or ``dot``) with the same layout flags, ``np.dot`` without the
    gufunc machinery (~0.4 µs of a ~1.2 µs product on the tiny MLP). With ``inner == 1`` an operand
    may be a single element, for which ``np.dot`` multiplies by a scalar instead (a zero's sign can
    differ), so those stay ``np.matmul``. ``np.dot`` needs C-contiguous operands or F-contiguous
    transposes to call BLAS directly, which the training core's batches and buffers are.
    """
    return np.dot if k == 1 and inner > 1 else np.matmul
