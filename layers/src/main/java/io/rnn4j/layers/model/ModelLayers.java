package io.rnn4j.layers.model;

import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.RNN;
import io.rnn4j.layers.Recurrent;
import io.rnn4j.layers.Weight;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * What {@link Sequential} and {@link Model} do over their layers, nested models included: list the
 * weights (each once, as Keras's {@code model.weights}: a layer shared with a nested model counts
 * once) and reset the states of stateful recurrent layers.
 */
final class ModelLayers {
    private ModelLayers() {
    }

    /** Every weight of {@code layers} in order, each once. */
    static List<Weight> weights(List<Layer> layers) {
        Set<Weight> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Weight> all = new ArrayList<>();
        for (Layer l : layers) {
            for (Weight w : l.weights()) {
                if (seen.add(w)) {
                    all.add(w);
                }
            }
        }
        return all;
    }

    /** The number of weight elements, each weight counted once. */
    static long countParams(List<Layer> layers) {
        long n = 0;
        for (Weight w : weights(layers)) {
            n += w.shape().size();
        }
        return n;
    }

    /** Zeroes the states of every stateful recurrent layer, within nested models too. */
    static void resetStates(List<Layer> layers) {
        for (Layer l : layers) {
            switch (l) {
                case Recurrent<?> r when r.stateful() -> r.resetStates();
                case Bidirectional b when b.forwardLayer().stateful() -> b.resetStates();
                case RNN r when r.stateful() -> r.resetStates();
                case Sequential s -> s.resetStates();
                case Model m -> m.resetStates();
                default -> {
                }
            }
        }
    }
}
