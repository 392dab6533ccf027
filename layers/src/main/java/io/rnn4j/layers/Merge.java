package io.rnn4j.layers;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What Keras's elementwise merge layers share (Add, Subtract, Multiply, Average, Maximum, Minimum):
 * one or more inputs whose sample shapes broadcast (equal, or 1 along an axis; an input of lower
 * rank gets axes of 1 inserted after the batch axis), no weights, and the output mask the OR of the
 * inputs' masks when every input has one (else none), as Keras's {@code Merge.compute_mask}.
 */
abstract class Merge extends Layer {

    Merge(String kerasPrefix) {
        super(kerasPrefix);
    }

    /** The fewest and most inputs this merge takes. */
    int minInputs() {
        return 1;
    }

    int maxInputs() {
        return Integer.MAX_VALUE;
    }

    /** The merged value of inputs already brought to one rank. */
    abstract Variable merge(List<Variable> inputs, List<Tensor> masks);

    @Override
    protected Shape build(Shape inputShape, RandomGenerator random) {
        return build(List.of(inputShape), random);
    }

    @Override
    protected Shape build(List<Shape> shapes, RandomGenerator random) {
        return merged(shapes);
    }

    @Override
    protected List<Shape> outputShapes(List<Shape> shapes) {
        return List.of(merged(shapes));
    }

    /** Keras's elementwise output shape, checking the count and that the shapes broadcast. */
    private Shape merged(List<Shape> shapes) {
        requireInputCount(shapes.size(), minInputs(), maxInputs());
        Shape out = shapes.get(0);
        for (int i = 1; i < shapes.size(); i++) {
            out = pair(out, shapes.get(i), shapes);
        }
        return out;
    }

    private Shape pair(Shape a, Shape b, List<Shape> all) {
        if (a.rank() < b.rank()) {
            return pair(b, a, all);
        }
        int[] d = a.dims();
        int off = a.rank() - b.rank();
        for (int i = 0; i < b.rank(); i++) {
            int x = a.dim(off + i);
            int y = b.dim(i);
            if (x != y && x != 1 && y != 1 && x != Shape.UNKNOWN && y != Shape.UNKNOWN) {
                throw new IllegalArgumentException("Layer '" + name() + "' (" + className() + "): inputs have "
                        + "incompatible shapes " + all.stream().map(Layer::batchless).toList());
            }
            // as Keras's _compute_elemwise_op_output_shape: None wherever either is None
            d[off + i] = x == Shape.UNKNOWN || y == Shape.UNKNOWN ? Shape.UNKNOWN : x == 1 ? y : x;
        }
        return Shape.withUnknown(d);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        return forwardAll(List.of(x), Collections.singletonList(mask), ctx).get(0);
    }

    @Override
    protected List<Variable> forwardAll(List<Variable> inputs, List<Tensor> masks, CallContext ctx) {
        List<Shape> samples = new ArrayList<>();
        int rank = 0;
        for (Variable v : inputs) {
            if (v.dim(0) != inputs.get(0).dim(0)) {
                throw new IllegalArgumentException("Layer '" + name() + "' (" + className() + "): cannot merge "
                        + "inputs of different batch sizes " + inputs.stream().map(Variable::shape).toList());
            }
            samples.add(v.shape().tail());
            rank = Math.max(rank, v.rank());
        }
        merged(samples);
        List<Variable> same = new ArrayList<>();
        for (Variable v : inputs) {
            same.add(v.rank() == rank ? v : Ops.reshape(v, expanded(v.shape(), rank)));
        }
        return List.of(merge(same, masks));
    }

    /** {@code (batch, 1, ..., 1, dims...)} of rank {@code rank}: Keras's expand_dims at axis 1. */
    private static int[] expanded(Shape s, int rank) {
        int[] d = new int[rank];
        java.util.Arrays.fill(d, 1);
        d[0] = s.dim(0);
        for (int i = 1; i < s.rank(); i++) {
            d[rank - s.rank() + i] = s.dim(i);
        }
        return d;
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return mask;
    }

    @Override
    public List<Tensor> computeMasks(List<Variable> inputs, List<Tensor> masks) {
        Tensor out = null;
        for (Tensor m : masks) {
            if (m == null) {
                return Collections.singletonList(null);
            }
            if (out == null) {
                out = m;
            } else {
                Device d = m.device();
                Tensor or = d.zeros(Device.broadcastShape("mask", out.shape(), m.shape()));
                d.binary(BinaryOp.MAX, out, m, or);
                out = or;
            }
        }
        return Collections.singletonList(out);
    }

    /** A Keras mask (batch, ...) viewed with trailing axes of 1 up to {@code like}'s rank, to multiply it. */
    static Tensor expandMask(Tensor mask, Variable like) {
        if (mask.rank() >= like.rank()) {
            throw new IllegalArgumentException("mask " + mask.shape() + " must have fewer axes than its input "
                    + like.shape());
        }
        int[] d = new int[like.rank()];
        java.util.Arrays.fill(d, 1);
        int[] m = mask.shape().dims();
        System.arraycopy(m, 0, d, 0, Math.min(m.length, d.length));
        return mask.reshape(d);
    }
}
