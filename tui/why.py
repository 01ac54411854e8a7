"""Why panel texts: one or two sentences per registry name, in the lecture's terms."""

from __future__ import annotations

from engine import batching

LOSSES: dict[str, str] = {
    "mean_squared_error": "MSE averages (y − ŷ)²: big errors count quadratically, so outliers pull hard. "
                          "It pairs with a linear output — the network predicts a real number.",
    "mean_absolute_error": "MAE averages |y − ŷ|: every error pulls with the same force, so outliers matter less, "
                           "but the gradient never shrinks near the answer.",
    "huber": "Huber is MSE for small errors and MAE for large ones: smooth near the answer, calm about outliers.",
    "log_cosh": "log cosh(y − ŷ) behaves like MSE near zero and like MAE far away — a smooth Huber.",
    "binary_crossentropy": "BCE = −[y log p + (1−y) log(1−p)] needs a probability p, so the output is one sigmoid "
                           "unit; together their gradient is simply p − y.",
    "categorical_crossentropy": "CCE = −Σ y log p over K classes: K softmax units give the probabilities, "
                                "labels are one-hot; softmax + CCE has gradient p − y.",
    "sparse_categorical_crossentropy": "Same maths as categorical cross-entropy, but the labels stay integers "
                                       "(0…K−1) instead of one-hot vectors.",
    "kl_divergence": "KL(y‖p) = Σ y log(y/p): how far the predicted distribution p is from the target one.",
    "poisson": "Poisson loss ŷ − y log ŷ fits counts: the output must stay positive (exponential unit).",
    "hinge": "Hinge max(0, 1 − y·ŷ) only cares that the margin is past 1 — a support-vector-machine loss.",
    "squared_hinge": "Squared hinge max(0, 1 − y·ŷ)² punishes margin violations quadratically.",
    "categorical_hinge": "Categorical hinge: the true class's score must beat the best wrong one by a margin of 1.",
}

OPTIMIZERS: dict[str, str] = {
    "sgd": "SGD steps against the gradient: θ ← θ − lr·g. Too small an lr crawls; too large overshoots and diverges.",
    "momentum": "Momentum is a ball rolling downhill: velocity m ← 0.9·m − lr·g keeps it moving past small dips "
                "and through flat stretches.",
    "nesterov": "Nesterov momentum looks ahead: it takes the gradient where momentum is about to carry it, "
                "so it brakes earlier before a wall.",
    "adagrad": "Adagrad divides each step by √(sum of all past g²): a per-weight learning rate that only ever "
               "shrinks — the accumulator grows until learning stalls.",
    "rmsprop": "RMSprop fixes Adagrad's decay: it keeps a moving average of g² (ρ) instead of the sum, "
               "so the step size can recover.",
    "adadelta": "Adadelta scales steps by the ratio of moving averages of past updates and past g² — "
                "units match, and lr only rescales.",
    "adam": "Adam = momentum + RMSprop: a moving average of g (β1) divided by the root of a moving average of g² (β2), "
            "with bias correction for the first steps.",
    "adamw": "AdamW is Adam with decoupled weight decay: weights shrink by lr·wd each step, apart from the gradient.",
    "nadam": "Nadam is Adam with Nesterov momentum: the first moment looks one step ahead.",
}

BATCH_MODES: dict[str, str] = {  # keyed by engine.batching.batch_mode's names
    batching.BATCH_GD: "Batch GD (B ≥ N): one update per epoch from the exact gradient of all training data — "
                              "a smooth curve, but few steps.",
    batching.SGD: "SGD (B = 1): one update per example — many cheap steps, each gradient from a single "
                                   "sample, so the loss curve is noisy.",
    batching.MINI_BATCH: "Mini-batch: ⌈N/B⌉ updates per epoch, each from B examples — the gradient noise shrinks as B grows. "
                  "Keras uses B = 32 by default.",
}

ACTIVATIONS: dict[str, str] = {
    "relu": "ReLU max(0, z): cheap, does not saturate for z > 0; units stuck at z < 0 stop learning.",
    "sigmoid": "Sigmoid squashes to (0, 1) and saturates at both ends: gradients vanish in deep stacks.",
    "tanh": "tanh squashes to (−1, 1), zero-centred; still saturates for large |z|.",
    "linear": "Linear hidden layers collapse to one linear map: the network can only draw straight boundaries.",
    "softmax": "Softmax turns a layer into a probability distribution — usually an output, not a hidden layer.",
    "leaky_relu": "Leaky ReLU keeps a small slope for z < 0, so no unit dies completely.",
    "elu": "ELU is smooth and negative for z < 0, pushing mean activations toward zero.",
    "gelu": "GELU weights z by the chance a Gaussian is below it: a smooth ReLU used in transformers.",
    "softplus": "Softplus log(1 + eᶻ) is a smooth ReLU.",
    "exponential": "eᶻ grows fast: easy to blow up — watch for divergence.",
}

EPOCHS = ("An epoch is one pass over the training data. Too few epochs under-fit (both curves still falling); "
          "too many over-fit (train loss keeps falling while validation loss turns up).")

STATES: dict[str, str] = {
    "diverged": "The loss became infinite or NaN: the steps are too large for this curvature. "
                "Lower the learning rate and press r.",
}


def lines(loss: str, optimizer: str, mode: str, activation: str, status: str = "") -> list[str]:
    """The texts for the current choices, most telling first."""
    out = [STATES[status]] if status in STATES else []
    out += [OPTIMIZERS.get(optimizer, ""), BATCH_MODES.get(mode, ""), LOSSES.get(loss, ""), EPOCHS,
            ACTIVATIONS.get(activation, "")]
    return [line for line in out if line]
