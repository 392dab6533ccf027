package io.rnn4j.layers.losses;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Optional;

/**
 * Keras's CategoricalGeneralizedCrossEntropy (keras/src/losses/losses.py
 * {@code categorical_generalized_cross_entropy}), robust to noisy labels: integer class labels,
 * predicted probabilities p, {@code (1 − p[label]^q) / q} with q in (0, 1).
 *
 * <p>Labels must be the predictions' shape without the class axis: Keras's labels with a trailing
 * axis of 1 broadcast against the batch into a (batch, batch) loss, which rnn4j refuses.
 */
final class GeneralizedCrossEntropy implements Loss {
    private final double q;

    GeneralizedCrossEntropy(double q) {
        if (!(q > 0 && q < 1)) {
            throw new IllegalArgumentException("categorical_generalized_cross_entropy: q must be in (0, 1), got " + q);
        }
        this.q = q;
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        return Optional.of(KerasConfig.of("CategoricalGeneralizedCrossEntropy", "name", name(), "reduction",
                "sum_over_batch_size", "q", q));
    }

    @Override
    public String name() {
        return "categorical_generalized_cross_entropy";
    }

    @Override
    public void checkLabels(Shape labels, Shape predictions) {
        Shape classless = predictions.without(predictions.rank() - 1);
        if (!classless.isCompatible(labels)) {
            throw new IllegalArgumentException(name() + ": labels must be class ids of shape " + classless
                    + " for predictions " + predictions + ", got " + labels);
        }
    }

    @Override
    public Variable perSample(Variable labels, Variable predictions) {
        checkLabels(labels.shape(), predictions.shape());
        int classes = predictions.dim(-1);
        float[] ids = labels.value().toArray();
        float[] hot = new float[ids.length * classes];
        for (int i = 0; i < ids.length; i++) {
            float id = ids[i];
            if (id != Math.rint(id) || id < 0 || id >= classes) {
                throw new IllegalArgumentException(name() + ": labels must be integer class ids in [0, " + classes
                        + "), got " + id + " at position " + i);
            }
            hot[i * classes + (int) id] = 1f;
        }
        Tensor oneHot = predictions.device().tensor(hot, predictions.shape().dims());
        Variable p = Ops.sum(Ops.mul(predictions, Variable.constant(oneHot)), -1, false);
        Variable oneMinus = Ops.affine(Ops.power(p, (float) q), -1f, 1f);
        return Ops.div(oneMinus, SameShapeLoss.scalar(p, (float) q));
    }
}
