package io.rnn4j.layers.losses;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras 3's regression and probabilistic losses that reduce the last axis of an elementwise
 * function of labels y and predictions p (keras/src/losses/losses.py), with ε = 1e-7:
 * <ul>
 *   <li>mean_absolute_percentage_error: {@code 100 · mean(|(y − p) / max(|y|, ε)|)}</li>
 *   <li>mean_squared_logarithmic_error: {@code mean((log(max(p, ε) + 1) − log(max(y, ε) + 1))²)}</li>
 *   <li>log_cosh: {@code mean(e + softplus(−2e) − log 2)} with {@code e = p − y}</li>
 *   <li>kl_divergence: {@code Σ clip(y, ε, 1) · log(clip(y, ε, 1) / clip(p, ε, 1))}</li>
 *   <li>poisson: {@code mean(p − y · log(p + ε))}</li>
 * </ul>
 */
final class ErrorLosses extends SameShapeLoss {
    enum Kind {
        MAPE("mean_absolute_percentage_error", "MeanAbsolutePercentageError"),
        MSLE("mean_squared_logarithmic_error", "MeanSquaredLogarithmicError"),
        LOG_COSH("log_cosh", "LogCosh"),
        KLD("kl_divergence", "KLDivergence"),
        POISSON("poisson", "Poisson");

        final String kerasName;
        final String className;

        Kind(String kerasName, String className) {
            this.kerasName = kerasName;
            this.className = className;
        }
    }

    static final float EPSILON = 1e-7f;
    // float32(log 2), as Keras converts ops.log(2.0) to the predictions' dtype
    private static final float LOG2 = (float) Math.log(2.0);

    private final Kind kind;

    ErrorLosses(Kind kind) {
        super(kind.kerasName, kind.className);
        this.kind = kind;
    }

    @Override
    public Variable perSample(Variable labels, Variable predictions) {
        Variable y = LabelShapes.like(labels, predictions);
        Variable p = predictions;
        return switch (kind) {
            case MAPE -> {
                Variable denominator = Ops.maximum(Ops.unary(UnaryOp.ABS, y), scalar(p, EPSILON));
                Variable diff = Ops.unary(UnaryOp.ABS, Ops.div(Ops.sub(y, p), denominator));
                yield Ops.scale(Ops.mean(diff, -1, false), 100f);
            }
            case MSLE -> {
                Variable first = Ops.unary(UnaryOp.LOG, Ops.affine(Ops.maximum(p, scalar(p, EPSILON)), 1f, 1f));
                Variable second = Ops.unary(UnaryOp.LOG, Ops.affine(Ops.maximum(y, scalar(p, EPSILON)), 1f, 1f));
                yield Ops.mean(Ops.unary(UnaryOp.SQUARE, Ops.sub(first, second)), -1, false);
            }
            case LOG_COSH -> {
                // Keras's stable form: log(cosh(e)) = e + softplus(−2e) − log 2, never overflowing exp
                Variable e = Ops.sub(p, y);
                Variable logCosh = Ops.affine(Ops.add(e, Ops.unary(UnaryOp.SOFTPLUS, Ops.scale(e, -2f))), 1f, -LOG2);
                yield Ops.mean(logCosh, -1, false);
            }
            case KLD -> {
                Variable yc = Ops.clip(y, EPSILON, 1f);
                Variable pc = Ops.clip(p, EPSILON, 1f);
                yield Ops.sum(Ops.mul(yc, Ops.unary(UnaryOp.LOG, Ops.div(yc, pc))), -1, false);
            }
            case POISSON -> {
                Variable logP = Ops.unary(UnaryOp.LOG, Ops.affine(p, 1f, EPSILON));
                yield Ops.mean(Ops.sub(p, Ops.mul(y, logP)), -1, false);
            }
        };
    }

}
