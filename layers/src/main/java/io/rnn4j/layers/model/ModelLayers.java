package io.rnn4j.layers.model;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.ConvLSTM;
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
 * once), reset the states of stateful recurrent layers, find the device they share and whether
 * they need batches of one size.
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
                case ConvLSTM<?> c when c.stateful() -> c.resetStates();
                case Sequential s -> s.resetStates();
                case Model m -> m.resetStates();
                default -> {
                }
            }
        }
    }

    /**
     * The first stateful recurrent layer of {@code layers}, within nested models too, or null: a
     * model that has one takes every batch of one size.
     */
    static Layer firstStateful(List<Layer> layers) {
        for (Layer l : layers) {
            Layer found = switch (l) {
                case Recurrent<?> r when r.stateful() -> r;
                case Bidirectional b when b.forwardLayer().stateful() -> b;
                case RNN r when r.stateful() -> r;
                case ConvLSTM<?> c when c.stateful() -> c;
                case Sequential s -> firstStateful(s.layers());
                case Model m -> firstStateful(m.layers());
                default -> null;
            };
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /**
     * Why a model takes batches of one size only, for messages: its Input's batch_shape ({@code
     * input} names it, or null) or its first stateful layer; null when it takes any size.
     */
    static String fixedBatchReason(String input, List<Layer> layers) {
        if (input != null) {
            return input;
        }
        Layer stateful = firstStateful(layers);
        if (stateful == null) {
            return null;
        }
        return stateful.fixedBatchSize() > 0
                ? "stateful layer '" + stateful.name() + "' holds states for batch size " + stateful.fixedBatchSize()
                : "stateful layer '" + stateful.name() + "' keeps its states from one batch to the next";
    }

    /**
     * The device every built layer lives on (the default device when none is built).
     *
     * @throws IllegalArgumentException naming two layers on different devices
     */
    static Device commonDevice(String model, List<Layer> layers) {
        Device device = null;
        Layer first = null;
        for (Layer l : layers) {
            if (l.device() == null) {
                continue;
            }
            if (device == null) {
                device = l.device();
                first = l;
            } else if (l.device() != device) {
                throw new IllegalArgumentException(model + ": layers live on different devices: '" + first.name()
                        + "' on " + device.name() + ", '" + l.name() + "' on " + l.device().name());
            }
        }
        return device != null ? device : Devices.defaultDevice();
    }
}
