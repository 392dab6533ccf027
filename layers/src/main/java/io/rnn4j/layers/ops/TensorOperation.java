package io.rnn4j.layers.ops;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Operation;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What the operations of this package share: they take one or more tensors of any sizes of the
 * ranks they were first applied to (Keras's operations have no input_spec), work out their output
 * shape from the inputs' full shapes (batch axis first, as Keras's axes count it) the same way when
 * applied, with None where Keras's {@code compute_output_spec} gives None, and when run, with the
 * actual sizes (which checks them), then compute through autograd ops.
 */
abstract class TensorOperation extends Operation {

    TensorOperation(String kerasPrefix) {
        super(kerasPrefix);
    }

    /** How many tensors a call takes (the operands that are not numbers). */
    abstract int tensors();

    /**
     * The output's full dimensions (batch first, {@link Shape#UNKNOWN} for None) for inputs of
     * {@code inputs} (the same), which it checks.
     *
     * @throws IllegalArgumentException naming this operation, for inputs it cannot take
     */
    abstract int[] outputDims(List<int[]> inputs);

    /** The computation on inputs {@link #outputDims} accepted. */
    abstract Variable compute(List<Variable> inputs, CallContext ctx);

    /** Every output's full dimensions, for an operation of several outputs (Split); by default {@link #outputDims}'s. */
    List<int[]> outputDimsAll(List<int[]> inputs) {
        return List.of(outputDims(inputs));
    }

    /** Every output, for an operation of several outputs; by default {@link #compute}'s. */
    List<Variable> computeAll(List<Variable> inputs, CallContext ctx) {
        return List.of(compute(inputs, ctx));
    }

    @Override
    protected final int outputCount() {
        return outputDimsAll(full(inputShapes())).size();
    }

    /** Called when built, after the shapes were checked: for state made once (a transposition's indices). */
    void prepare(List<Shape> samples) {
    }

    @Override
    protected final Shape build(Shape inputShape, RandomGenerator random) {
        return build(List.of(inputShape), random);
    }

    @Override
    protected final Shape build(List<Shape> shapes, RandomGenerator random) {
        requireInputCount(shapes.size(), tensors(), tensors());
        Shape out = sample(outputDimsAll(full(shapes)).get(0));
        prepare(shapes);
        return out;
    }

    /** Any sizes of the ranks it was built for: a Keras operation binds no size. */
    @Override
    protected final Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    @Override
    protected final List<Shape> outputShapes(List<Shape> shapes) {
        requireInputCount(shapes.size(), tensors(), tensors());
        for (int i = 0; i < shapes.size(); i++) {
            if (shapes.get(i).rank() != inputShapes().get(i).rank()) {
                throw fail("input " + i + " " + show(full(shapes).get(i)) + " is not of the rank it was first applied "
                        + "to, " + (inputShapes().get(i).rank() + 1));
            }
        }
        return outputDimsAll(full(shapes)).stream().map(TensorOperation::sample).toList();
    }

    @Override
    protected final Variable forward(Variable x, Tensor mask, CallContext ctx) {
        return forwardAll(List.of(x), Collections.singletonList(mask), ctx).get(0);
    }

    @Override
    protected final List<Variable> forwardAll(List<Variable> inputs, List<Tensor> masks, CallContext ctx) {
        requireInputCount(inputs.size(), tensors(), tensors());
        List<int[]> dims = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Variable v = inputs.get(i);
            if (v.rank() != inputShapes().get(i).rank() + 1) {
                throw fail("expected input " + i + " of rank " + (inputShapes().get(i).rank() + 1) + " ("
                        + batchless(inputShapes().get(i)) + "), got " + v.shape());
            }
            if (v.dim(0) != inputs.get(0).dim(0)) {
                throw fail("inputs of different batch sizes " + inputs.stream().map(Variable::shape).toList());
            }
            dims.add(v.shape().dims());
        }
        outputDimsAll(dims); // checks the actual sizes
        return computeAll(inputs, ctx);
    }

    /** An exception naming this operation: "Operation 'mean' (Mean): ...". */
    final IllegalArgumentException fail(String message) {
        return new IllegalArgumentException("Operation '" + name() + "' (" + className() + "): " + message);
    }

    /**
     * Keras's canonicalize_axis: {@code axis} of a tensor of {@code rank} (negative from the end),
     * made positive.
     */
    final int axis(int axis, int rank, String argument) {
        if (axis < -rank || axis >= rank) {
            throw fail(argument + " " + axis + " is out of bounds for a tensor of rank " + rank + " (axes -" + rank
                    + " to " + (rank - 1) + ", the batch axis 0)");
        }
        return axis < 0 ? axis + rank : axis;
    }

    /**
     * The shape of tensors broadcast together NumPy's way, as Keras's {@code broadcast_shapes} (a
     * None axis takes the other's size unless that is 1). They must be of one rank: NumPy aligns
     * shapes at their last axis, so a tensor of lower rank would have its batch axis matched against
     * another axis of the other (TensorFlow then fails unless the sizes agree by chance).
     *
     * @param names the operands' names in messages ("x1", "x2"), one for each of {@code in}
     */
    final int[] broadcastDims(List<int[]> in, List<String> names) {
        int[] out = in.get(0).clone();
        for (int k = 1; k < in.size(); k++) {
            int[] a = in.get(0);
            int[] b = in.get(k);
            if (a.length != b.length) {
                throw fail(names.get(0) + " " + show(a) + " and " + names.get(k) + " " + show(b) + " are of different "
                        + "ranks: their batch axes would not align under NumPy broadcasting; rnn4j takes tensors of "
                        + "one rank (expand_dims the smaller one)");
            }
            for (int i = 0; i < out.length; i++) {
                out[i] = broadcast(out[i], b[i], names.get(0) + " " + show(a) + " and " + names.get(k) + " " + show(b));
            }
        }
        return out;
    }

    /** One axis of Keras's broadcast_shapes. */
    private int broadcast(int a, int b, String operands) {
        if (a == 1) {
            return b;
        }
        if (a == Shape.UNKNOWN) {
            return b == 1 ? Shape.UNKNOWN : b;
        }
        if (b == 1 || b == Shape.UNKNOWN || b == a) {
            return a;
        }
        throw fail("cannot broadcast " + operands + ": an axis of size " + a + " against one of " + b);
    }

    /** Full shapes (batch axis None) of sample shapes. */
    static List<int[]> full(List<Shape> samples) {
        List<int[]> out = new ArrayList<>();
        for (Shape s : samples) {
            int[] d = new int[s.rank() + 1];
            d[0] = Shape.UNKNOWN;
            System.arraycopy(s.dims(), 0, d, 1, s.rank());
            out.add(d);
        }
        return out;
    }

    /** The sample shape of full dimensions. */
    static Shape sample(int[] full) {
        int[] d = new int[full.length - 1];
        System.arraycopy(full, 1, d, 0, d.length);
        return Shape.withUnknown(d);
    }

    /** Full dimensions as Keras prints a shape: {@code (None, 10, 4)}. */
    static String show(int[] full) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < full.length; i++) {
            b.append(i == 0 ? "" : ", ").append(full[i] == Shape.UNKNOWN ? "None" : String.valueOf(full[i]));
        }
        return b.append(full.length == 1 ? ",)" : ")").toString();
    }

    /** A float32 scalar of {@code value} on {@code like}'s device, as the backend converts a Python number. */
    static Variable scalar(double value, Variable like) {
        return Variable.constant(like.device().full(Shape.of(), (float) value));
    }
}
