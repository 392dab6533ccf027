package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.random.RandomGenerator;

/**
 * A weightless layer whose output has its input's shape and which passes the mask on (Keras's
 * {@code supports_masking = True} with the default compute_mask): Identity, UnitNormalization and
 * the activation layers ReLU, LeakyReLU, ELU and Softmax. Any sizes of the rank it was built for
 * are taken.
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

    /**
     * A float option as the float32 the layer keeps, refused (as written) for NaN, and for a negative
     * value when {@code nonNegative}, as Keras's layer refuses the number it was given.
     */
    final float checked(String option, double value, boolean nonNegative) {
        if (Double.isNaN(value) || nonNegative && value < 0) {
            throw new IllegalArgumentException(where() + ": " + option + " must be a number"
                    + (nonNegative ? " >= 0" : "") + ", got " + KerasConfig.written(value));
        }
        return (float) value;
    }
}
