package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What Keras's DepthwiseConv1D and SeparableConv1D share beyond {@link Conv1DBase} (Keras's
 * BaseDepthwiseConv and BaseSeparableConv): each input channel convolved on its own with
 * {@code depth_multiplier} kernels (1 by default), output channel {@code c·depth_multiplier + m}
 * from input channel c and kernel m, with Keras's depthwise_initializer (glorot_uniform by
 * default), depthwise_regularizer and depthwise_constraint; strides and a dilation rate may both be
 * above 1, as Keras 3's TensorFlow backend computes them (the stride-1 dilated convolution
 * subsampled, which is what the windows here give directly). {@link #depthwise} computes it as
 * {@link DepthwiseConv1D}'s javadoc says.
 *
 * @param <C> the concrete layer, returned by the fluent setters
 */
abstract sealed class DepthwiseConv1DBase<C extends DepthwiseConv1DBase<C>> extends Conv1DBase<C>
        permits DepthwiseConv1D, SeparableConv1D {
    private int depthMultiplier = 1;
    private Initializer depthwiseInitializer = Initializers.glorotUniform();
    private Regularizer depthwiseRegularizer;
    private Constraint depthwiseConstraint;

    DepthwiseConv1DBase(String kerasPrefix, int kernelSize, Activation activation) {
        super(kerasPrefix, kernelSize, activation);
    }

    DepthwiseConv1DBase(String kerasPrefix, int kernelSize, String activation) {
        super(kerasPrefix, kernelSize, activation);
    }

    /** How many depthwise kernels each input channel gets (Keras's depth_multiplier). */
    public final int depthMultiplier() {
        return depthMultiplier;
    }

    /** The depthwise kernel's initializer (Keras's depthwise_initializer; glorot_uniform by default). */
    public final Initializer depthwiseInitializer() {
        return depthwiseInitializer;
    }

    /** The depthwise kernel's regularizer (Keras's depthwise_regularizer), or null. */
    public final Regularizer depthwiseRegularizer() {
        return depthwiseRegularizer;
    }

    /** The depthwise kernel's constraint (Keras's depthwise_constraint), or null. */
    public final Constraint depthwiseConstraint() {
        return depthwiseConstraint;
    }

    /**
     * Keras's depth_multiplier: the number of depthwise kernels per input channel.
     *
     * @throws IllegalArgumentException below 1, naming this layer
     */
    public final C depthMultiplier(int m) {
        requireNotBuilt("depth_multiplier");
        this.depthMultiplier = Windows.positive(where(), "depth_multiplier", m);
        return self();
    }

    /** Sets Keras's depthwise_initializer. */
    public final C depthwiseInitializer(Initializer init) {
        requireNotBuilt("depthwise_initializer");
        this.depthwiseInitializer = Objects.requireNonNull(init, "depthwise_initializer");
        return self();
    }

    /** A regularizer of the depthwise kernel (Keras's depthwise_regularizer), or null for none. */
    public final C depthwiseRegularizer(Regularizer r) {
        requireNotBuilt("depthwise_regularizer");
        this.depthwiseRegularizer = r;
        return self();
    }

    /** A constraint on the depthwise kernel (Keras's depthwise_constraint), or null for none. */
    public final C depthwiseConstraint(Constraint c) {
        requireNotBuilt("depthwise_constraint");
        this.depthwiseConstraint = c;
        return self();
    }

    @Override
    final boolean allowsStridesWithDilation() {
        return true;
    }

    /**
     * Adds the depthwise kernel {@code (kernel_size, channels, depth_multiplier)} with these
     * options, under the weight name Keras gives it in this layer.
     */
    final Weight addDepthwiseKernel(String weightName, int channels, RandomGenerator random) {
        return addWeight(weightName, Shape.of(kernelSize(), channels, depthMultiplier), depthwiseInitializer,
                random, depthwiseRegularizer, depthwiseConstraint, true);
    }

    /**
     * The depthwise convolution of x {@code (batch, steps, channels)} with a kernel
     * {@code (size, channels, multiplier)} over this layer's windows: {@code (batch, new_steps,
     * channels·multiplier)}, channel {@code c·multiplier + m}, no bias.
     */
    final Variable depthwise(Variable x, Variable kernel) {
        int batch = x.dim(0);
        int steps = windows.checkedOutSteps(x.dim(1));
        int channels = x.dim(2);
        int size = kernel.dim(0);
        int multiplier = kernel.dim(2);
        Windows.Taps taps = windows.taps(x.device(), batch, x.dim(1));
        int rows = batch * steps;
        // (rows, size, channels, 1) · (size, channels, multiplier), summed over the taps: (rows, channels, multiplier).
        Variable cols = Ops.reshape(Conv1D.im2col(x, taps), rows, size, channels, 1);
        Variable y = Ops.sum(Ops.mul(cols, kernel), 1, false);
        return Ops.reshape(y, batch, steps, channels * multiplier);
    }
}
