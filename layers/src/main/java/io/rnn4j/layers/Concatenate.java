package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Keras's Concatenate: joins its inputs along {@code axis} (default -1, the features; counted with
 * the batch axis, as Keras does, so 1 is time for sequences). The inputs must agree on every other
 * axis. The output mask is Keras's: each input's mask (all ones where it has none) spread over its
 * shape, concatenated, then "any" over the last axis — for the feature axis the OR of the masks.
 */
public final class Concatenate extends Layer {
    private final int axis;

    /** Along the last axis. */
    public Concatenate() {
        this(-1);
    }

    public Concatenate(int axis) {
        super("concatenate");
        this.axis = axis;
    }

    public int axis() {
        return axis;
    }

    @Override
    protected Shape build(Shape inputShape, RandomGenerator random) {
        return build(List.of(inputShape), random);
    }

    @Override
    protected Shape build(List<Shape> shapes, RandomGenerator random) {
        return joined(shapes);
    }

    @Override
    protected List<Shape> outputShapes(List<Shape> shapes) {
        return List.of(joined(shapes));
    }

    /** The sample axis joined (the batch axis left out), checked for the given sample rank. */
    private int sampleAxis(int sampleRank) {
        int rank = sampleRank + 1;
        int a = axis < 0 ? axis + rank : axis;
        if (a <= 0 || a >= rank) {
            throw new IllegalArgumentException("Layer '" + name() + "' (Concatenate): axis " + axis + " is "
                    + (a == 0 ? "the batch axis" : "out of range") + " for inputs of rank " + rank);
        }
        return a - 1;
    }

    private Shape joined(List<Shape> shapes) {
        requireInputCount(shapes.size(), 1, Integer.MAX_VALUE);
        Shape first = shapes.get(0);
        int a = sampleAxis(first.rank());
        int total = 0;
        for (Shape s : shapes) {
            boolean ok = s.rank() == first.rank();
            for (int i = 0; ok && i < s.rank(); i++) {
                ok = i == a || Shape.compatible(s.dim(i), first.dim(i));
            }
            if (!ok) {
                throw new IllegalArgumentException("Layer '" + name() + "' (Concatenate) requires inputs with "
                        + "matching shapes except for the concatenation axis " + axis + ", got "
                        + shapes.stream().map(Layer::batchless).toList());
            }
            total = total == Shape.UNKNOWN || s.dim(a) == Shape.UNKNOWN ? Shape.UNKNOWN : total + s.dim(a);
        }
        return first.with(a, total);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        return forwardAll(List.of(x), Collections.singletonList(mask), ctx).get(0);
    }

    @Override
    protected List<Variable> forwardAll(List<Variable> inputs, List<Tensor> masks, CallContext ctx) {
        List<Shape> samples = new ArrayList<>();
        for (Variable v : inputs) {
            if (v.rank() < 2 || v.dim(0) != inputs.get(0).dim(0)) {
                throw new IllegalArgumentException("Layer '" + name() + "' (Concatenate): inputs must be batches "
                        + "of one size, got " + inputs.stream().map(Variable::shape).toList());
            }
            samples.add(v.shape().tail());
        }
        joined(samples);
        return List.of(inputs.size() == 1 ? inputs.get(0) : Ops.concat(axis, inputs.toArray(new Variable[0])));
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return mask;
    }

    @Override
    public List<Tensor> computeMasks(List<Variable> inputs, List<Tensor> masks) {
        if (masks.stream().allMatch(m -> m == null)) {
            return Collections.singletonList(null);
        }
        Tensor[] spread = new Tensor[inputs.size()];
        Device d = null;
        for (int i = 0; i < spread.length; i++) {
            Variable x = inputs.get(i);
            Tensor m = masks.get(i);
            d = x.device();
            if (m == null) {
                spread[i] = d.full(x.shape(), 1f);
            } else if (m.rank() < x.rank()) {
                spread[i] = d.zeros(x.shape());
                d.broadcast(Merge.expandMask(m, x), spread[i]);
            } else {
                spread[i] = m;
            }
        }
        int a = spread[0].shape().axis(axis);
        int total = 0;
        for (Tensor t : spread) {
            total += t.dim(a);
        }
        Tensor all = d.zeros(spread[0].shape().with(a, total));
        d.concat(spread, a, all);
        Tensor any = d.zeros(all.shape().without(all.rank() - 1));
        d.reduce(ReduceOp.MAX, all, -1, any);
        return Collections.singletonList(any);
    }
}
