package io.rnn4j.layers.losses;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.autograd.Variable;
import java.util.Optional;

/**
 * A Keras loss of labels shaped as the predictions (or without their trailing axis of 1), saved as
 * its class with its name and Keras's default reduction: what the pointwise, regression,
 * probabilistic and hinge losses share; each gives only its per-sample formula.
 */
abstract class SameShapeLoss implements Loss {
    private final String name;
    private final String className;

    SameShapeLoss(String name, String className) {
        this.name = name;
        this.className = className;
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        return Optional.of(KerasConfig.of(className, "name", name, "reduction", "sum_over_batch_size"));
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void checkLabels(Shape labels, Shape predictions) {
        LabelShapes.sameOrSqueezed(name, labels, predictions);
    }

    /** A constant scalar on the predictions' device, broadcast by the op it enters. */
    static Variable scalar(Variable like, float v) {
        Tensor t = like.value().device().full(Shape.of(), v);
        return Variable.constant(t);
    }
}
