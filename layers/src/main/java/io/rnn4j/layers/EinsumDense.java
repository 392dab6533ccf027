package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Keras's EinsumDense (keras/src/layers/core/einsum_dense.py): {@code activation(einsum(equation,
 * x, kernel) + bias)}, the equation one of Keras's three forms: {@code ab,bc->ac} (every axis
 * named, the output's first letter the batch axis), {@code ...ab,bc->...ac} (the leading axes,
 * batch included, under the ellipsis) or {@code abc...,cd->abd...} (trailing axes under it).
 *
 * <p>{@code output_shape} gives the output's axes after the batch axis and outside the
 * ellipsis; None (here {@link Shape#UNKNOWN}) leaves an axis the input gives, and stays None in
 * the symbolic output shape, as Keras's compute_output_shape does. The kernel has one axis per
 * letter of the kernel's spec, sized from output_shape for a letter of the output, from the input
 * otherwise; the bias (with {@code bias_axes}) spans the output from its first bias letter on, 1
 * on the letters not in bias_axes (and on the trailing ellipsis axes), as Keras's
 * {@code _analyze_einsum_string}. A VarianceScaling kernel initializer (glorot_uniform, the
 * default) draws with fans from the kernel's input and output axes, as Keras's build sets
 * {@code input_axes}/{@code output_axes}. EinsumDense does not support masking: an incoming mask
 * is dropped with Keras's warning.
 *
 * <p>Computed as one (batched) matrix product: the letters in input, kernel and output index the
 * batch of the product, those in input and kernel only are contracted, the others are the rows
 * (input) and columns (kernel); letters of the input alone are summed first. The input, kernel
 * and result are moved into that order by row gathers (the engine has no transpose) only where the
 * equation's order differs.
 *
 * <pre>{@code
 * var q = new EinsumDense("abc,cde->abde", Input.NONE, 4, 16).biasAxes("de").apply(x); // heads
 * }</pre>
 */
public final class EinsumDense extends Layer {
    private static final Set<String> VARIANCE_SCALING = Set.of("GlorotUniform", "GlorotNormal", "HeUniform",
            "HeNormal", "LecunUniform", "LecunNormal", "VarianceScaling");

    private final String equation;
    private final int[] partialOutputShape;
    private final EinsumPlan.Spec spec;
    private Activation activation = Activation.LINEAR;
    private String biasAxes;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Initializer biasInitializer = Initializers.zeros();
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    private Constraint kernelConstraint;
    private Constraint biasConstraint;
    private EinsumPlan plan;
    private Weight kernel;
    private Weight bias;
    private final DroppedMaskWarning droppedMask = new DroppedMaskWarning();

    /**
     * Keras's {@code EinsumDense(equation, output_shape)}.
     *
     * @param outputShape the output's axes after the batch axis and outside the ellipsis;
     *                    {@link Shape#UNKNOWN} (Input.NONE) for Keras's None
     * @throws IllegalArgumentException for an equation not of Keras's forms, or a size below 1
     */
    public EinsumDense(String equation, int... outputShape) {
        super("einsum_dense");
        this.equation = Objects.requireNonNull(equation, "equation");
        this.spec = EinsumPlan.Spec.parse(equation, "Layer '" + name() + "' (EinsumDense)");
        for (int d : outputShape) {
            if (d != Shape.UNKNOWN && d < 1) {
                throw new IllegalArgumentException(where() + ": output_shape " + Arrays.toString(outputShape)
                        + " must hold positive sizes or None");
            }
        }
        this.partialOutputShape = outputShape.clone();
    }

    @Override
    public EinsumDense named(String newName) {
        super.named(newName);
        return this;
    }

    /** The activation (Keras's activation, default linear). */
    public EinsumDense activation(Activation a) {
        requireNotBuilt("activation");
        this.activation = Objects.requireNonNull(a, "activation");
        return this;
    }

    /** The activation Keras calls {@code name} ("relu", ...). */
    public EinsumDense activation(String name) {
        return activation(Activations.named(name, name()));
    }

    /**
     * The output letters that get a bias (Keras's bias_axes, default none).
     *
     * @throws IllegalArgumentException for a letter not in the equation's output
     */
    public EinsumDense biasAxes(String axes) {
        requireNotBuilt("bias_axes");
        if (axes != null) {
            for (char c : axes.toCharArray()) {
                if (spec.output().indexOf(c) < 0) {
                    throw new IllegalArgumentException(where() + ": bias dimension '" + c + "' was requested, but "
                            + "is not part of the output spec '" + spec.output() + "'");
                }
            }
        }
        this.biasAxes = axes == null || axes.isEmpty() ? null : axes;
        return this;
    }

    /** Initializer of the kernel (Keras's kernel_initializer, default glorot_uniform). */
    public EinsumDense kernelInitializer(Initializer init) {
        requireNotBuilt("kernel_initializer");
        this.kernelInitializer = Objects.requireNonNull(init, "kernel_initializer");
        return this;
    }

    /** Initializer of the bias (Keras's bias_initializer, default zeros). */
    public EinsumDense biasInitializer(Initializer init) {
        requireNotBuilt("bias_initializer");
        this.biasInitializer = Objects.requireNonNull(init, "bias_initializer");
        return this;
    }

    /** Penalty on the kernel (Keras's kernel_regularizer), or null. */
    public EinsumDense kernelRegularizer(Regularizer r) {
        requireNotBuilt("kernel_regularizer");
        this.kernelRegularizer = r;
        return this;
    }

    /** Penalty on the bias (Keras's bias_regularizer), or null. */
    public EinsumDense biasRegularizer(Regularizer r) {
        requireNotBuilt("bias_regularizer");
        this.biasRegularizer = r;
        return this;
    }

    /** Constraint on the kernel (Keras's kernel_constraint), or null. */
    public EinsumDense kernelConstraint(Constraint c) {
        requireNotBuilt("kernel_constraint");
        this.kernelConstraint = c;
        return this;
    }

    /** Constraint on the bias (Keras's bias_constraint), or null. */
    public EinsumDense biasConstraint(Constraint c) {
        requireNotBuilt("bias_constraint");
        this.biasConstraint = c;
        return this;
    }

    /** Keras's equation. */
    public String equation() {
        return equation;
    }

    /** Keras's output_shape as given (UNKNOWN for None); a copy. */
    public int[] partialOutputShape() {
        return partialOutputShape.clone();
    }

    /** Keras's bias_axes, or null for no bias. */
    public String biasAxes() {
        return biasAxes;
    }

    /** The activation (linear by default). */
    public Activation activation() {
        return activation;
    }

    /** The kernel initializer (glorot_uniform by default). */
    public Initializer kernelInitializer() {
        return kernelInitializer;
    }

    /** The bias initializer (zeros by default). */
    public Initializer biasInitializer() {
        return biasInitializer;
    }

    /** The kernel regularizer, or null. */
    public Regularizer kernelRegularizer() {
        return kernelRegularizer;
    }

    /** The bias regularizer, or null. */
    public Regularizer biasRegularizer() {
        return biasRegularizer;
    }

    /** The kernel constraint, or null. */
    public Constraint kernelConstraint() {
        return kernelConstraint;
    }

    /** The bias constraint, or null. */
    public Constraint biasConstraint() {
        return biasConstraint;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        EinsumPlan p = EinsumPlan.of(spec, in, partialOutputShape, biasAxes, where());
        Shape ks = p.kernelShape();
        Initializer init = withKerasFans(kernelInitializer, Shape.of(p.fanIn(),
                Math.toIntExact(ks.size() / p.fanIn())));
        kernel = addWeight("kernel", ks, init, random, kernelRegularizer, kernelConstraint, true);
        if (p.biasShape() != null) {
            bias = addWeight("bias", p.biasShape(), biasInitializer, random, biasRegularizer, biasConstraint, true);
        }
        this.plan = p;
        return p.outputShape(in);
    }

    /**
     * {@code init}, drawing as for a weight of shape {@code fans} (fan_in, fan_out) when it is of
     * Keras's VarianceScaling family: Keras's EinsumDense sets its input_axes/output_axes, so the
     * fans are the products of the kernel's input and of its output axes. The draws are i.i.d.,
     * so the layout does not matter. Other initializers are returned as they are.
     */
    static Initializer withKerasFans(Initializer init, Shape fans) {
        if (!init.kerasConfig().map(c -> VARIANCE_SCALING.contains(c.className())).orElse(false)) {
            return init;
        }
        return new Initializer() {
            @Override
            public float[] sample(Shape shape, RandomGenerator random) {
                return init.sample(fans, random);
            }

            @Override
            public String kerasName() {
                return init.kerasName();
            }
        };
    }

    /** The rank it was built for (Keras's input_spec ndim), the sizes the kernel reads bound. */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape(), plan.boundAxes());
    }

    @Override
    protected Shape outputShapeFor(Shape in) {
        return plan.outputShape(in);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        droppedMask.check(this, mask);
        Variable y = plan.apply(x, kernel.variable());
        if (bias != null) {
            y = Ops.add(y, bias.variable());
        }
        return activation.apply(y);
    }
}
