"""Fits the float coefficients of the SIMD backend's gelu and tanh_shrink (kernels-simd, package
io.rnn4j.kernels.simd.math): Gelu's P, Q (Mills' ratio) and C (Phi near 0), and KerasActivations'
TS0..TS7 (tanh_shrink below |x| = 1).

Method, for each: the target from mpmath at 40-50 digits on Chebyshev nodes; Lawson iterations
(iteratively reweighted least squares) on the linearised relative residual, which converge to the
minimax fit; then each coefficient in turn rounded to float and the others refitted, as Sollya's
fpminimax does. Prints the coefficients and the relative error left with float coefficients.
Not run by the build: python3 fit_activations.py (numpy, mpmath).
"""
import mpmath as mp
import numpy as np


def lawson(A, rhs, scale, fixed, iters, model_error, denominator=None):
    """Weighted least squares min |A c - rhs| / scale, reweighted by the error (Lawson); for a
    rational fit, denominator(c) gives the current denominator to divide the residual by."""
    n = A.shape[1]
    free = [j for j in range(n) if j not in fixed]
    w = np.ones(len(rhs)) / len(rhs)
    den = np.ones(len(rhs))
    best = None
    for _ in range(iters):
        r = rhs - sum(A[:, j] * v for j, v in fixed.items())
        s = np.sqrt(w) / (scale * den)
        c, *_ = np.linalg.lstsq(A[:, free] * s[:, None], r * s, rcond=None)
        full = np.zeros(n)
        for j, v in fixed.items():
            full[j] = v
        full[free] = c
        err = model_error(full)
        e = np.max(np.abs(err))
        if best is None or e < best[0]:
            best = (e, full.copy())
        w = np.maximum(w * np.abs(err), 1e-300)
        w /= w.sum()
        if denominator is not None:
            den = denominator(full)
    return best


def to_float_one_at_a_time(n, fit):
    fixed = {}
    e, full = fit(fixed)
    print("  minimax relative error %.3g" % e)
    for j in range(n):
        fixed[j] = float(np.float32(full[j]))
        if len(fixed) < n:
            e, full = fit(fixed)
    return np.array([fixed[j] for j in range(n)])


def chebyshev(a, b, count):
    k = np.arange(count)
    return (a + b) / 2 + (b - a) / 2 * np.cos(np.pi * (k + 0.5) / count)


def gelu_tail():
    """K*Q(t)/(t*Q(t) + P(t)) ~ e^(t^2/2) (1 - Phi(t)) on [0, 13.5]; deg P = 4, deg Q = 5, q0 = 1,
    K the float nearest 1/sqrt(2 pi) (so the fit absorbs its rounding)."""
    mp.mp.dps = 40
    K = float(np.float32(float(1 / mp.sqrt(2 * mp.pi))))
    m, n = 4, 5
    t = chebyshev(0.0, 13.5, 3000)
    R = np.array([float(mp.erfc(v / mp.sqrt(2)) * mp.exp(v * v / 2) / 2) for v in t])
    # R (tQ + P) - K Q = 0 with q0 = 1: R P + (R t - K)(q1 t + ... ) = K - R t
    A = np.stack([R * t**j for j in range(m + 1)] + [(R * t - K) * t**j for j in range(1, n + 1)], 1)
    rhs = K - R * t

    def parts(c):
        p = c[:m + 1]
        q = np.concatenate([[1.0], c[m + 1:]])
        Q = np.polyval(q[::-1], t)
        D = t * Q + np.polyval(p[::-1], t)
        return K * Q / D, D

    def fit(fixed):
        return lawson(A, rhs, R, fixed, 100, lambda c: parts(c)[0] / R - 1, lambda c: parts(c)[1])

    c = to_float_one_at_a_time(m + 1 + n, fit)
    print("  float coefficients: relative error %.3g" % np.max(np.abs(parts(c)[0] / R - 1)))
    print("  P", ", ".join("%sf" % np.float32(v) for v in c[:m + 1]))
    print("  Q", ", ".join(["1f"] + ["%sf" % np.float32(v) for v in c[m + 1:]]))


def polynomial(name, target, a2, degree, digits):
    """A polynomial in w on [0, a2] for least relative error against target(w)."""
    mp.mp.dps = digits
    w = chebyshev(0.0, a2, 2000)
    y = np.array([target(v) for v in w])
    A = np.stack([w**j for j in range(degree + 1)], 1)

    def fit(fixed):
        return lawson(A, y, y, fixed, 200, lambda c: A @ c / y - 1)

    print(name)
    c = to_float_one_at_a_time(degree + 1, fit)
    print("  float coefficients: relative error %.3g" % np.max(np.abs(A @ c / y - 1)))
    print("  ", ", ".join("%sf" % np.float32(v) for v in c))


def gelu_near_zero(w):
    """(Phi(x) - 1/2)/x, w = x^2."""
    if w == 0:
        return float(1 / mp.sqrt(2 * mp.pi))
    x = mp.sqrt(mp.mpf(w))
    return float((mp.ncdf(x) - mp.mpf(1) / 2) / x)


def tanh_shrink_small(w):
    """(x - tanh x)/x^3, w = x^2."""
    if w == 0:
        return 1 / 3
    x = mp.sqrt(mp.mpf(w))
    return float((x - mp.tanh(x)) / x**3)


if __name__ == "__main__":
    print("Gelu P, Q: e^(t^2/2)(1 - Phi(t)) on t in [0, 13.5]")
    gelu_tail()
    polynomial("Gelu C: (Phi(x) - 1/2)/x on x^2 in [0, 0.5625]", gelu_near_zero, 0.5625, 4, 40)
    polynomial("KerasActivations TS: (x - tanh x)/x^3 on x^2 in [0, 1]", tanh_shrink_small, 1.0, 7, 50)
