package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.regularizers.Regularizer;

/**
 * One weight of a layer, as a Keras variable: its name in the layer ("kernel", "recurrent_kernel",
 * "bias", "embeddings"), the autograd parameter holding it, and the regularizer and constraint
 * attached to it (either may be null).
 *
 * <p>A weight created trainable is frozen while its layer is not {@link Layer#trainable()}: then
 * it is not {@link #trainable()}, layers compute with it as a constant (no gradient reaches it),
 * optimizers skip it and its regularizer does not apply — Keras's {@code trainable_weights}.
 */
public final class Weight {
    private final Layer owner;
    private final String name;
    private final Variable variable;
    /** The same value as a constant, used while the layer is frozen. */
    private final Variable frozen;
    private final Regularizer regularizer;
    private final Constraint constraint;
    private final boolean trainable;
    private final boolean int64;

    Weight(Layer owner, String name, Tensor value, Regularizer regularizer, Constraint constraint, boolean trainable) {
        this(owner, name, value, regularizer, constraint, trainable, false);
    }

    Weight(Layer owner, String name, Tensor value, Regularizer regularizer, Constraint constraint, boolean trainable,
            boolean int64) {
        this.int64 = int64;
        this.owner = owner;
        this.name = name;
        this.variable = trainable ? Variable.parameter(value) : Variable.constant(value);
        this.frozen = trainable ? Variable.constant(value) : variable;
        this.regularizer = regularizer;
        this.constraint = constraint;
        this.trainable = trainable;
    }

    /** The name within its layer, as Keras names it. */
    public String name() {
        return name;
    }

    /**
     * Keras's dtype of the variable: "float32", or "int64" for a counter (Normalization's count),
     * which is held here as a float (exact up to 2^24) and saved as the integer Keras keeps.
     */
    public String dtype() {
        return int64 ? "int64" : "float32";
    }

    /** {@code layer/name}, for messages. */
    public String path() {
        return owner.name() + "/" + name;
    }

    public Shape shape() {
        return variable.shape();
    }

    /** The current value (updated in place by optimizers; do not write it yourself, use {@link #set}). */
    public Tensor value() {
        return variable.value();
    }

    /** The layer that created this weight (a wrapper's weights belong to the layers it wraps). */
    public Layer owner() {
        return owner;
    }

    /**
     * The autograd variable layers compute with: the parameter behind this weight, or, while it is
     * frozen, a constant of the same value (so no gradient is computed for it).
     */
    public Variable variable() {
        return trainable() ? variable : frozen;
    }

    /** The penalty that applies to this weight: null when there is none or while it is frozen. */
    public Regularizer regularizer() {
        return trainable() ? regularizer : null;
    }

    public Constraint constraint() {
        return constraint;
    }

    /**
     * Whether the weight was created trainable, whatever its layer's flag now: Keras keeps a
     * layer's own variables in that order when saving them (its {@code _trainable_variables},
     * then its {@code _non_trainable_variables}).
     */
    public boolean createdTrainable() {
        return trainable;
    }

    /** Whether training updates this weight: created trainable, and its layer not frozen. */
    public boolean trainable() {
        return trainable && owner.trainable();
    }

    /**
     * Replaces the value with a copy of {@code value}, which must have this weight's shape.
     *
     * @throws IllegalArgumentException naming the weight, the expected and the given shape
     */
    public void set(Tensor value) {
        check(value);
        Tensor moved = value.to(value().device());
        value().device().copy(moved, value());
    }

    void check(Tensor value) {
        if (value == null || !value.shape().equals(shape())) {
            throw new IllegalArgumentException(path() + ": expected a weight of shape " + shape() + ", got "
                    + (value == null ? "null" : value.shape()));
        }
    }

    @Override
    public String toString() {
        return path() + " " + shape();
    }
}
