package io.rnn4j.layers.optimizers;

/** The optimizers with Keras's defaults: {@code Optimizers.adam()}, {@code Optimizers.sgd(0.1)}. */
public final class Optimizers {
    private Optimizers() {
    }

    /** Adam with learning rate 0.001, β1 0.9, β2 0.999, ε 1e-7. */
    public static Adam adam() {
        return new Adam();
    }

    public static Adam adam(double learningRate) {
        return new Adam(learningRate);
    }

    /** SGD with learning rate 0.01, no momentum. */
    public static SGD sgd() {
        return new SGD();
    }

    public static SGD sgd(double learningRate) {
        return new SGD(learningRate);
    }
}
