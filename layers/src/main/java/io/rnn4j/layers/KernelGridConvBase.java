package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What Keras's Conv2D/Conv3D and Conv2DTranspose/Conv3DTranspose share beyond {@link
 * GridConvBase} (Keras's BaseConv and BaseConvTranspose): {@code filters} output channels and one
 * weight "kernel" with Keras's kernel_initializer (glorot_uniform by default), kernel_regularizer
 * and kernel_constraint.
 *
 * @param <C> the concrete layer, returned by the fluent setters
 */
public abstract sealed class KernelGridConvBase<C extends KernelGridConvBase<C>> extends GridConvBase<C>
        permits ConvBase, ConvTransposeBase {
    private final int filters;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Regularizer kernelRegularizer;
    private Constraint kernelConstraint;

    KernelGridConvBase(String kerasPrefix, int rank, int filters, int[] kernelSize, Activation activation) {
        super(kerasPrefix, rank, kernelSize, activation);
        this.filters = Windows.positive(where(), "filters", filters);
    }

    /** The number of output channels (Keras's filters). */
    public final int filters() {
        return filters;
    }

    /** Keras's kernel_initializer (glorot_uniform by default). */
    public final Initializer kernelInitializer() {
        return kernelInitializer;
    }

    /** Keras's kernel_regularizer, or null. */
    public final Regularizer kernelRegularizer() {
        return kernelRegularizer;
    }

    /** Keras's kernel_constraint, or null. */
    public final Constraint kernelConstraint() {
        return kernelConstraint;
    }

    /** Sets Keras's kernel_initializer. */
    public final C kernelInitializer(Initializer init) {
        requireNotBuilt("kernel_initializer");
        this.kernelInitializer = Objects.requireNonNull(init, "kernel_initializer");
        return self();
    }

    /** Sets Keras's kernel_regularizer (null for none). */
    public final C kernelRegularizer(Regularizer r) {
        requireNotBuilt("kernel_regularizer");
        this.kernelRegularizer = r;
        return self();
    }

    /** Sets Keras's kernel_constraint (null for none). */
    public final C kernelConstraint(Constraint c) {
        requireNotBuilt("kernel_constraint");
        this.kernelConstraint = c;
        return self();
    }

    @Override
    final int outChannels(int channels) {
        return filters;
    }

    /** Adds the weight "kernel" of {@code shape} with these options. */
    final Weight addKernel(Shape shape, RandomGenerator random) {
        return addWeight("kernel", shape, kernelInitializer, random, kernelRegularizer, kernelConstraint, true);
    }
}
