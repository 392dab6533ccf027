package io.rnn4j.layers;

import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.regularizers.Regularizer;

/**
 * The options Keras gives every recurrent cell's gate weights, shared by the fused layers
 * ({@link Recurrent}) and the per-step cells ({@link GateCell}), so that code configuring either
 * (Keras import, say) is written once. Setters return {@code this} for chaining.
 */
public interface GateOptions<T extends GateOptions<T>> {
    T activation(Activation a);

    T useBias(boolean on);

    T kernelInitializer(Initializer i);

    T recurrentInitializer(Initializer i);

    T biasInitializer(Initializer i);

    T kernelRegularizer(Regularizer r);

    T recurrentRegularizer(Regularizer r);

    T biasRegularizer(Regularizer r);

    T kernelConstraint(Constraint c);

    T recurrentConstraint(Constraint c);

    T biasConstraint(Constraint c);

    T dropout(double rate);

    T recurrentDropout(double rate);
}
