package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * A weightless layer whose output has its input's shape and which passes the mask on (Keras's
 * {@code supports_masking = True} with the default compute_mask): the activation layers ReLU,
 * LeakyReLU, ELU and Softmax. Any sizes of the rank it was built for are taken.
 */
abstract class ShapeKeepingLayer extends Layer {
    ShapeKeepingLayer(String kerasPrefix) {
        super(kerasPrefix);
    }

    @Override
    protected Shape build(Shape inputShape, RandomGenerator random) {
        return inputShape;
    }

    /** Any sizes (of the rank it was built for): the output is the input's shape. */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        return in;
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return mask;
    }

    /** Refuses NaN (and a negative value when {@code nonNegative}) for a float option, as Keras's layer does. */
    final float checked(String option, float value, boolean nonNegative) {
        if (Float.isNaN(value) || nonNegative && value < 0f) {
            throw new IllegalArgumentException(where() + ": " + option + " must be a number"
                    + (nonNegative ? " >= 0" : "") + ", got " + value);
        }
        return value;
    }
}
