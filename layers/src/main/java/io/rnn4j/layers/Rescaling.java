package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Keras 3's Rescaling preprocessing layer: {@code x · scale + offset}, a float32 product then a
 * float32 sum as Keras computes it (not one fused rounding). Scale and offset are numbers, or one
 * value per feature (the last axis). No weights; passes the mask on.
 */
public final class Rescaling extends Layer {
    private final float[] scale;
    private final float[] offset;
    /** Scale and offset as (1, features) or (1, 1) rows on the layer's device, made when built. */
    private Tensor scaleRow;
    private Tensor offsetRow;

    /** Keras's {@code Rescaling(scale, offset=0.0)} with numbers. */
    public Rescaling(double scale, double offset) {
        this(new float[] {(float) scale}, new float[] {(float) offset});
    }

    /** Keras's {@code Rescaling(scale)}: offset 0. */
    public Rescaling(double scale) {
        this(scale, 0.0);
    }

    /**
     * One scale and one offset per feature, or a single value (an array of one) for all.
     *
     * @throws IllegalArgumentException if either array is empty
     */
    public Rescaling(float[] scale, float[] offset) {
        super("rescaling");
        if (scale == null || offset == null || scale.length == 0 || offset.length == 0) {
            throw new IllegalArgumentException(where() + ": scale and offset need at least one value each, got "
                    + (scale == null ? "null" : Arrays.toString(scale)) + " and "
                    + (offset == null ? "null" : Arrays.toString(offset)));
        }
        this.scale = scale.clone();
        this.offset = offset.clone();
    }

    @Override
    public Rescaling named(String newName) {
        super.named(newName);
        return this;
    }

    /** The scale: one value, or one per feature. A copy. */
    public float[] scale() {
        return scale.clone();
    }

    /** The offset: one value, or one per feature. A copy. */
    public float[] offset() {
        return offset.clone();
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        if (scale.length > 1 || offset.length > 1) {
            requireKnown(in, -1, "to match " + Math.max(scale.length, offset.length) + " scales or offsets");
            for (float[] values : new float[][] {scale, offset}) {
                if (values.length > 1 && values.length != in.dim(-1)) {
                    throw new IllegalArgumentException(where() + ": " + (values == scale ? "scale" : "offset")
                            + " has " + values.length + " values but the input " + batchless(in) + " has "
                            + in.dim(-1) + " features");
                }
            }
        }
        scaleRow = device().tensor(scale, 1, scale.length);
        offsetRow = device().tensor(offset, 1, offset.length);
        return in;
    }

    /** Any sizes but the features', when there is a value per feature. */
    @Override
    protected Shape acceptedShape() {
        return scale.length > 1 || offset.length > 1 ? keepingOnly(inputShape(), -1) : keepingOnly(inputShape());
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        return in;
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        int[] view = new int[x.rank()];
        Arrays.fill(view, 1);
        Variable s = Variable.constant(scaleRow.reshape(view(view, scale.length)));
        Variable o = Variable.constant(offsetRow.reshape(view(view, offset.length)));
        return Ops.add(Ops.mul(x, s), o);
    }

    private static int[] view(int[] ones, int last) {
        int[] v = ones.clone();
        v[v.length - 1] = last;
        return v;
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return mask;
    }
}
