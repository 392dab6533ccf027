package io.rnn4j.layers.losses;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Optional;

/**
 * Keras's Circle loss (keras/src/losses/losses.py {@code circle}) for metric learning: integer
 * labels (batch,) and unit-norm embeddings (batch, dim), compared within the batch. With cosine
 * distances {@code d = max(1 − e·eᵀ, 0)}, positives the pairs of equal labels (but a sample and
 * itself with remove_diagonal) and negatives the others:
 * {@code softplus(logsumexp_pos(−γ·max(m + d, 0)·(m − d)) + logsumexp_neg(γ·max(1 + m − d, 0)·(1 − m − d)))}
 * per sample. As Keras, the result masks itself where it is not positive (a sample without
 * positives or negatives gets 0), so the mean is over the other samples.
 */
final class CircleLoss implements Loss {
    /** An empty logsumexp's terms: finite (so no NaN), small enough that its softplus is 0. */
    private static final float NEVER = -1e30f;
    private final double gamma;
    private final double margin;
    private final boolean removeDiagonal;

    CircleLoss(double gamma, double margin, boolean removeDiagonal) {
        if (!Double.isFinite(gamma) || !Double.isFinite(margin)) {
            throw new IllegalArgumentException("circle: gamma and margin must be finite numbers, got gamma " + gamma
                    + ", margin " + margin);
        }
        this.gamma = gamma;
        this.margin = margin;
        this.removeDiagonal = removeDiagonal;
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        return Optional.of(KerasConfig.of("Circle", "name", name(), "reduction", "sum_over_batch_size", "gamma", gamma,
                "margin", margin, "remove_diagonal", removeDiagonal));
    }

    @Override
    public String name() {
        return "circle";
    }

    @Override
    public void checkLabels(Shape labels, Shape predictions) {
        if (predictions.rank() != 2) {
            throw new IllegalArgumentException(name() + ": predictions must be embeddings (batch, dim), got "
                    + predictions);
        }
        Shape ids = Shape.withUnknown(predictions.dim(0));
        if (!ids.isCompatible(labels) && !Shape.withUnknown(predictions.dim(0), 1).isCompatible(labels)) {
            throw new IllegalArgumentException(name() + ": labels must be integer labels " + ids + " or "
                    + Shape.withUnknown(predictions.dim(0), 1) + " for predictions " + predictions + ", got " + labels);
        }
    }

    /** Keras's reduction with the mask the loss sets on itself (loss > 0), and'ed with any given mask. */
    @Override
    public Variable compute(Variable labels, Variable predictions, Tensor sampleWeight, Tensor mask) {
        Variable values = perSample(labels, predictions);
        float[] v = values.value().toArray();
        float[] given = mask == null ? null : mask.toArray();
        float[] m = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            m[i] = v[i] > 0 && (given == null || given[i] != 0) ? 1f : 0f;
        }
        return SampleWeights.reduce(name(), values, sampleWeight, values.device().tensor(m, v.length));
    }

    @Override
    public Variable perSample(Variable labels, Variable predictions) {
        checkLabels(labels.shape(), predictions.shape());
        int n = predictions.dim(0);
        float[] ids = labels.value().toArray();
        float[] positive = new float[n * n];
        float[] negative = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                // Keras casts the labels to int32 (truncation) before comparing them
                boolean same = (int) ids[i] == (int) ids[j];
                positive[i * n + j] = same && !(removeDiagonal && i == j) ? 1f : 0f;
                negative[i * n + j] = same ? 0f : 1f;
            }
        }
        Device device = predictions.device();
        Tensor pos = device.tensor(positive, n, n);
        Tensor neg = device.tensor(negative, n, n);
        Variable zero = SameShapeLoss.scalar(predictions, 0f);
        Variable e = Ops.reshape(predictions, 1, n, predictions.dim(1));
        Variable similarity = Ops.reshape(Ops.batchMatmul(e, e, false, true), n, n);
        Variable d = Ops.maximum(Ops.affine(similarity, -1f, 1f), zero);
        float m = (float) margin;
        Variable posWeights = Ops.maximum(Ops.mul(Ops.affine(d, 1f, m), Variable.constant(pos)), zero);
        Variable negWeights = Ops.maximum(Ops.mul(Ops.affine(d, -1f, (float) (1 + margin)), Variable.constant(neg)),
                zero);
        Variable posTerms = Ops.scale(Ops.mul(posWeights, Ops.affine(d, -1f, m)), (float) -gamma);
        Variable negTerms = Ops.scale(Ops.mul(negWeights, Ops.affine(d, -1f, (float) (1 - margin))), (float) gamma);
        Variable never = SameShapeLoss.scalar(predictions, NEVER);
        Variable both = Ops.add(rowLogSumExp(Ops.where(pos, posTerms, never)),
                rowLogSumExp(Ops.where(neg, negTerms, never)));
        return Ops.unary(UnaryOp.SOFTPLUS, both);
    }

    /** logsumexp of each row, shifted by its (constant) maximum. */
    private static Variable rowLogSumExp(Variable x) {
        Variable top = Ops.max(x, 1, true).detach();
        Variable sum = Ops.sum(Ops.unary(UnaryOp.EXP, Ops.sub(x, top)), 1, false);
        return Ops.add(Ops.reshape(top, x.dim(0)), Ops.unary(UnaryOp.LOG, sum));
    }
}
