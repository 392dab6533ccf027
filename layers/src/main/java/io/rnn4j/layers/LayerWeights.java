package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A layer's own weights in Keras's order, and what {@link Layer} does over all its weights (its
 * sub-layers' included): get_weights' copies, set_weights' checks, count_params.
 *
 * <p>Keras 3 keeps a layer's variables in two lists, {@code _trainable_variables} and
 * {@code _non_trainable_variables}, and {@code layer.weights} is the first then the second: a weight
 * created trainable comes before every weight created non-trainable, whatever order
 * {@code add_weight} was called in, and freezing the layer later reorders nothing. Keeping the same
 * order is what lets {@code setWeights(keras get_weights())} assign each value to its weight.
 */
final class LayerWeights {
    private final List<Weight> own = new ArrayList<>();
    private int createdTrainable; // how many of own lead as created trainable, Keras's _trainable_variables

    /** Adds {@code w}, created trainable or not, at the end of its group; returns it. */
    Weight add(Weight w, boolean trainable) {
        own.add(trainable ? createdTrainable : own.size(), w);
        createdTrainable += trainable ? 1 : 0;
        return w;
    }

    /** The layer's own weights, those created trainable first, each group in the order added. */
    List<Weight> own() {
        return Collections.unmodifiableList(own);
    }

    /** Forgets every weight (the layer's build is undone). */
    void clear() {
        own.clear();
        createdTrainable = 0;
    }

    /** Copies of the weights' values, in order. */
    static List<Tensor> copies(List<Weight> weights) {
        List<Tensor> out = new ArrayList<>();
        for (Weight w : weights) {
            out.add(w.value().copy());
        }
        return out;
    }

    /**
     * Sets each weight to the value at its index, all shapes checked before any is written so that
     * a refused list leaves the layer as it was.
     *
     * @param layerName how the message names the layer
     * @throws IllegalArgumentException naming the layer, the weight and the shapes
     */
    static void setAll(String layerName, List<Weight> weights, List<Tensor> values) {
        if (values.size() != weights.size()) {
            throw new IllegalArgumentException(layerName + ": expected " + weights.size() + " weights " + weights
                    + ", got " + values.size());
        }
        for (int i = 0; i < weights.size(); i++) {
            weights.get(i).check(values.get(i));
        }
        for (int i = 0; i < weights.size(); i++) {
            weights.get(i).set(values.get(i));
        }
    }

    /** The number of elements of the weights, of only those training updates when {@code trainableOnly}. */
    static long countElements(List<Weight> weights, boolean trainableOnly) {
        return weights.stream().filter(w -> !trainableOnly || w.trainable()).mapToLong(w -> w.shape().size()).sum();
    }

    /** {@code added}, then the regularization penalty of each of {@code trainable} that has a regularizer. */
    static List<Variable> withPenalties(List<Variable> added, List<Weight> trainable) {
        List<Variable> out = new ArrayList<>(added);
        for (Weight w : trainable) {
            if (w.regularizer() != null) {
                out.add(w.regularizer().penalty(w.variable()));
            }
        }
        return out;
    }
}
