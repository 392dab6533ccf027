package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/** Keras's Reshape: each sample viewed in {@code targetShape} (one dimension may be -1); no copy. */
public final class Reshape extends Layer {
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();
    private final int[] target;

    public Reshape(int... targetShape) {
        super("reshape");
        this.target = targetShape.clone();
        int unknown = 0;
        for (int d : target) {
            if (d == -1) {
                unknown++;
            } else if (d < 1) {
                throw new IllegalArgumentException(name() + ": target shape dimensions must be >= 1 or one -1, got "
                        + Arrays.toString(targetShape));
            }
        }
        if (unknown > 1) {
            throw new IllegalArgumentException(name() + ": at most one dimension may be -1, got "
                    + Arrays.toString(targetShape));
        }
    }

    /** The target shape as given (one dimension may be -1); a copy. */
    public int[] targetShape() {
        return target.clone();
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        return outputShapeFor(in);
    }

    /** Samples of any sizes (of the rank it was built for): Keras's Reshape has no input_spec. */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    /** The target, its -1 resolved from the input's size; None while that size is (as Keras). */
    @Override
    protected Shape outputShapeFor(Shape in) {
        return in.isKnown() ? Shape.of(resolved(in.size(), in)) : Shape.withUnknown(target);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);  // as Keras 3, which does not support masking here
        int[] o = resolved(x.shape().inner(0), x.shape());
        int[] dims = new int[o.length + 1];
        dims[0] = x.dim(0);
        System.arraycopy(o, 0, dims, 1, o.length);
        return Ops.reshape(x, dims);
    }

    /** The target for samples of {@code perSample} values, or an error naming this layer and the input's shape. */
    private int[] resolved(long perSample, Shape input) {
        int[] d = target.clone();
        long known = 1;
        int free = -1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                free = i;
            } else {
                known *= d[i];
            }
        }
        boolean fits = free >= 0 ? known > 0 && perSample % known == 0 : known == perSample;
        if (!fits) {
            throw new IllegalArgumentException(name() + ": cannot reshape input " + input + " (" + perSample
                    + " values per sample) to " + Arrays.toString(target));
        }
        if (free >= 0) {
            d[free] = Math.toIntExact(perSample / known);
        }
        return d;
    }
}
