/**
 * rnn4j's layers: autograd, Keras's layers, Sequential with compile/fit/evaluate/predict,
 * optimizers, losses, metrics, initializers, regularizers and constraints.
 *
 * <p>Everything runs on the engine's devices; no backend is imported here (the engine finds one
 * at run time).
 */
module io.rnn4j.layers {
    requires transitive io.rnn4j.engine;
    requires io.jhdf;

    exports io.rnn4j.layers;
    exports io.rnn4j.layers.autograd;
    exports io.rnn4j.layers.initializers;
    exports io.rnn4j.layers.regularizers;
    exports io.rnn4j.layers.constraints;
    exports io.rnn4j.layers.optimizers;
    exports io.rnn4j.layers.optimizers.schedules;
    exports io.rnn4j.layers.losses;
    exports io.rnn4j.layers.metrics;
    exports io.rnn4j.layers.model;
    exports io.rnn4j.layers.ops;
    exports io.rnn4j.layers.callbacks;
    exports io.rnn4j.layers.keras;
}
