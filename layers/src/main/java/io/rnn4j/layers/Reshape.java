package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/** Keras's Reshape: each sample viewed in {@code targetShape} (one dimension may be -1); no copy. */
public final class Reshape extends Layer {
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
        if (!in.isKnown()) {
            // as Keras: the -1 stays None until data comes (a size that does not divide is refused then)
            return Shape.withUnknown(target);
        }
        int[] d = target.clone();
        long known = 1;
        int unknownAt = -1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                unknownAt = i;
            } else {
                known *= d[i];
            }
        }
        if (unknownAt >= 0) {
            if (known == 0 || in.size() % known != 0) {
                throw new IllegalArgumentException(name() + ": cannot reshape input " + batchless(in) + " ("
                        + in.size() + " values per sample) to " + Arrays.toString(target));
            }
            d[unknownAt] = Math.toIntExact(in.size() / known);
        }
        Shape out = Shape.of(d);
        if (out.size() != in.size()) {
            throw new IllegalArgumentException(name() + ": cannot reshape input " + batchless(in) + " ("
                    + in.size() + " values per sample) to " + Arrays.toString(target));
        }
        return out;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        int[] o = outputShape().dims();
        int[] dims = new int[o.length + 1];
        dims[0] = x.dim(0);
        System.arraycopy(o, 0, dims, 1, o.length);
        if (!inputShape().isKnown()) {  // built for None: each batch's size is checked here
            long perSample = x.shape().tail().size();
            long known = 1;
            boolean free = false;
            for (int d : target) {
                free |= d == -1;
                known *= d == -1 ? 1 : d;
            }
            if (known == 0 || perSample % known != 0 || !free && known != perSample) {
                throw new IllegalArgumentException(name() + ": cannot reshape input " + x.shape() + " ("
                        + perSample + " values per sample) to " + Arrays.toString(target));
            }
            for (int i = 1; i < dims.length; i++) {
                dims[i] = dims[i] == Shape.UNKNOWN ? Math.toIntExact(perSample / known) : dims[i];
            }
        }
        return Ops.reshape(x, dims);
    }
}
