package io.rnn4j.layers.optimizers;

import static io.rnn4j.layers.keras.Keras3151.flatTensors;

import io.rnn4j.layers.Weight;
import java.util.List;

/** Keras's {@code optimizer.variables}, in the form the optimizer tests' fixtures save them. */
final class OptimizerVariables {
    private OptimizerVariables() {
    }

    /** Keras's optimizer.variables values, flattened: iteration, learning rate, then the slots. */
    static float[] kerasVariables(Optimizer opt, List<Weight> weights) {
        OptimizerState s = opt.state(weights);
        float[] slots = flatTensors(s.kerasVariables());
        float[] out = new float[slots.length + 2];
        out[0] = s.iterations();
        out[1] = (float) s.learningRate();
        System.arraycopy(slots, 0, out, 2, slots.length);
        return out;
    }
}
