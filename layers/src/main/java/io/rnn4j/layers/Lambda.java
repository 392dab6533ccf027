package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * Keras's Lambda layer with a Java function: {@code new Lambda(x -> Ops.slice(x, 1, x.dim(1) - 1, 1))}
 * for Keras's {@code Lambda(lambda x: x[:, -1:, :])}, or {@link #ofList} for a function of several
 * tensors ({@code Lambda(lambda t: t[0] * t[1])([a, b])}). The function composes the autograd
 * {@link io.rnn4j.layers.autograd.Ops}, so training differentiates through it. No weights.
 *
 * <p>The output shape is {@link #outputShape(int...) given}, or, as Keras infers it by tracing,
 * worked out at build time by running the function once on zeros of the input shape (batch 1);
 * where the input has None axes it runs twice, with those axes 2 and 3, and an output axis whose
 * size differs between the runs is None. A function that cannot run on zeros of those sizes needs
 * its output shape given.
 *
 * <p>Masks as Keras's Lambda: without a {@link #mask mask function} an incoming mask is dropped with
 * Keras's warning (Keras sets supports_masking only when a mask is given).
 *
 * <p>Keras files: a Lambda's Python function cannot run here, so a file's Lambda layers load only
 * when the Java function is supplied by the layer's name ({@code CustomLayers.withLambda}); the
 * file's config (its function as Keras serialized it) is kept ({@link #kerasFunctionConfig()}) and
 * written back on save, so Keras loads the saved file again (with safe_mode=False, as any Lambda).
 * A Lambda made in Java has no Python function and is refused by the writer unless given one.
 */
public final class Lambda extends Layer {
    private final Function<List<Variable>, Variable> function;
    private final boolean listInput;
    private Function<List<Shape>, Shape> outputShape;
    private BiFunction<List<Variable>, List<Tensor>, Tensor> mask;
    private Map<String, Object> kerasFunctionConfig;
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    /** A Lambda of one input: Keras's {@code Lambda(function)} called on one tensor. */
    public Lambda(UnaryOperator<Variable> function) {
        this(first(Objects.requireNonNull(function, "function")), false);
    }

    private Lambda(Function<List<Variable>, Variable> function, boolean listInput) {
        super("lambda");
        this.function = function;
        this.listInput = listInput;
    }

    private static Function<List<Variable>, Variable> first(UnaryOperator<Variable> function) {
        return inputs -> function.apply(inputs.get(0));
    }

    /** A Lambda of several inputs, given as a list in the order the layer is applied to them. */
    public static Lambda ofList(Function<List<Variable>, Variable> function) {
        return new Lambda(Objects.requireNonNull(function, "function"), true);
    }

    @Override
    public Lambda named(String newName) {
        super.named(newName);
        return this;
    }

    /** Keras's output_shape: the output's shape without the batch axis ({@link Input#NONE} for None). */
    public Lambda outputShape(int... sample) {
        requireNotBuilt("output_shape");
        Shape fixed = Shape.withUnknown(sample.clone());
        this.outputShape = shapes -> fixed;
        return this;
    }

    /** Keras's output_shape as a function of the input shapes (without the batch axis). */
    public Lambda outputShape(Function<List<Shape>, Shape> fromInputs) {
        requireNotBuilt("output_shape");
        this.outputShape = Objects.requireNonNull(fromInputs, "output_shape");
        return this;
    }

    /**
     * Keras's mask argument as a function of the inputs and their masks (entries may be null),
     * giving the output's mask or null; the layer then supports masking, as Keras's does.
     */
    public Lambda mask(BiFunction<List<Variable>, List<Tensor>, Tensor> computeMask) {
        requireNotBuilt("mask");
        this.mask = Objects.requireNonNull(computeMask, "mask");
        return this;
    }

    /**
     * Sets the Keras config of the Python function this Lambda stands for — the config keys of a
     * Keras Lambda other than name, trainable and dtype ({@code function}, {@code arguments} and
     * any {@code output_shape} or {@code mask}), as a Keras file holds them — written when the model
     * is saved, so that Keras can load the file.
     */
    public Lambda kerasFunctionConfig(Map<String, Object> config) {
        this.kerasFunctionConfig = Collections.unmodifiableMap(new LinkedHashMap<>(config));
        return this;
    }

    /** The Keras config of the Python function this Lambda stands for; null when it was made in Java. */
    public Map<String, Object> kerasFunctionConfig() {
        return kerasFunctionConfig;
    }

    /** Whether an incoming mask is passed through the mask function (Keras's supports_masking). */
    public boolean supportsMasking() {
        return mask != null;
    }

    @Override
    protected Shape build(Shape inputShape, RandomGenerator random) {
        return build(List.of(inputShape), random);
    }

    @Override
    protected Shape build(List<Shape> shapes, RandomGenerator random) {
        requireInputCount(shapes.size(), 1, listInput ? Integer.MAX_VALUE : 1);
        return shapeFor(shapes);
    }

    /** Any sizes of the rank it was built for. */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape());
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        return shapeFor(List.of(in));
    }

    @Override
    protected List<Shape> outputShapes(List<Shape> shapes) {
        requireInputCount(shapes.size(), inputShapes().size(), inputShapes().size());
        if (!listInput) {
            checkAccepted(shapes.get(0));
        }
        return List.of(shapeFor(shapes));
    }

    private Shape shapeFor(List<Shape> shapes) {
        if (outputShape != null) {
            return outputShape.apply(shapes);
        }
        boolean known = shapes.stream().allMatch(Shape::isKnown);
        Shape a = traced(shapes, 2);
        if (known) {
            return a;
        }
        Shape b = traced(shapes, 3);
        if (a.rank() != b.rank()) {
            throw new IllegalArgumentException(where() + ": could not infer the output shape: the function gives "
                    + "outputs of rank " + a.rank() + " and " + b.rank() + " for inputs of different sizes on their "
                    + "None axes; give outputShape(...)");
        }
        int[] out = new int[a.rank()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.dim(i) == b.dim(i) ? a.dim(i) : Shape.UNKNOWN;
        }
        return Shape.withUnknown(out);
    }

    /** The output's sample shape for zeros of {@code shapes} with each None axis {@code noneAs}. */
    private Shape traced(List<Shape> shapes, int noneAs) {
        List<Variable> zeros = new ArrayList<>();
        for (Shape s : shapes) {
            int[] dims = new int[s.rank() + 1];
            dims[0] = 1;
            for (int i = 0; i < s.rank(); i++) {
                dims[i + 1] = s.dim(i) == Shape.UNKNOWN ? noneAs : s.dim(i);
            }
            zeros.add(Variable.constant(device().zeros(dims)));
        }
        Variable y;
        try {
            y = function.apply(zeros);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where() + ": could not infer the output shape by running the function "
                    + "on zeros of " + shapes.stream().map(Layer::batchless).toList() + " (None as " + noneAs + "): "
                    + e.getMessage() + "; give outputShape(...)", e);
        }
        if (y == null || y.rank() < 1 || y.dim(0) != 1) {
            throw new IllegalArgumentException(where() + ": the function must keep the batch axis first; on a batch "
                    + "of 1 it gave " + (y == null ? "null" : y.shape()));
        }
        return y.shape().without(0);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        return forwardAll(List.of(x), Collections.singletonList(mask), ctx).get(0);
    }

    @Override
    protected List<Variable> forwardAll(List<Variable> inputs, List<Tensor> masks, CallContext ctx) {
        requireInputCount(inputs.size(), inputShapes().size(), inputShapes().size());
        if (mask == null) {
            for (Tensor m : masks) {
                droppedMask.check(this, m);
            }
        }
        Variable y = function.apply(List.copyOf(inputs));
        if (y == null) {
            throw new IllegalStateException(where() + ": the function returned null");
        }
        return List.of(y);
    }

    @Override
    public Tensor computeMask(Variable x, Tensor m) {
        return computeMasks(List.of(x), Collections.singletonList(m)).get(0);
    }

    @Override
    public List<Tensor> computeMasks(List<Variable> inputs, List<Tensor> masks) {
        return Collections.singletonList(mask == null ? null : mask.apply(List.copyOf(inputs), masks));
    }
}
