package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What Keras's DepthwiseConv2D and SeparableConv2D share beyond {@link GridConvBase} (Keras's
 * BaseDepthwiseConv and BaseSeparableConv): each input channel convolved on its own with
 * {@code depth_multiplier} kernels (1 by default), output channel {@code c·depth_multiplier + m}
 * from input channel c and kernel m, with Keras's depthwise_initializer (glorot_uniform by
 * default), depthwise_regularizer and depthwise_constraint. Strides and a dilation rate may both be
 * above 1, as Keras 3's TensorFlow backend computes them (the stride-1 dilated convolution after
 * "same"'s strided padding, subsampled), which is what the windows here give directly.
 * Computed by {@link GridWindows#depthwise}.
 *
 * @param <C> the concrete layer, returned by the fluent setters
 */
public abstract sealed class DepthwiseConv2DBase<C extends DepthwiseConv2DBase<C>> extends GridConvBase<C>
        permits DepthwiseConv2D, SeparableConv2D {
    private int depthMultiplier = 1;
    private Initializer depthwiseInitializer = Initializers.glorotUniform();
    private Regularizer depthwiseRegularizer;
    private Constraint depthwiseConstraint;

    DepthwiseConv2DBase(String kerasPrefix, int[] kernelSize, Activation activation) {
        super(kerasPrefix, 2, kernelSize, activation);
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

    @Override
    final String axes() {
        return "(batch, rows, cols, channels)";
    }

    /**
     * Adds the depthwise kernel {@code (kernel_size..., channels, depth_multiplier)} with these
     * options, under the weight name Keras gives it in this layer.
     */
    final Weight addDepthwiseKernel(String weightName, int channels, RandomGenerator random) {
        int[] k = kernelSize();
        return addWeight(weightName, Shape.of(k[0], k[1], channels, depthMultiplier), depthwiseInitializer, random,
                depthwiseRegularizer, depthwiseConstraint, true);
    }
}
