package io.rnn4j.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The layers a custom layer holds in its attributes and calls in its own forward pass ({@code self.lstm =
 * layers.LSTM(64)} in Python), as Keras 3's Layer tracks them: its {@code weights} are its own then each
 * tracked layer's, in the order they were assigned, and a {@code .keras} file keeps each one's variables
 * under the outer layer's path and the attribute's name ({@code layers/lstmgc/lstm/cell/vars}).
 */
final class Sublayers {
    private final Layer owner;
    private final Map<String, Layer> byAttribute = new LinkedHashMap<>();

    Sublayers(Layer owner) {
        this.owner = owner;
    }

    /** Tracks {@code layer} under {@code attribute}, refusing what Keras could not save under one path. */
    <L extends Layer> L add(String attribute, L layer) {
        if (attribute == null || !attribute.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException(owner.where() + ": a sub-layer's attribute must be the Python "
                    + "attribute Keras saves it under (a letter, then letters, digits or _), got "
                    + (attribute == null ? "null" : "'" + attribute + "'"));
        }
        if (attribute.equals("vars")) {
            throw new IllegalArgumentException(owner.where() + ": 'vars' holds the layer's own variables in Keras's "
                    + "files; name the sub-layer's attribute otherwise");
        }
        if (layer == null || layer == owner) {
            throw new IllegalArgumentException(owner.where() + ": sub-layer '" + attribute + "' must be another "
                    + "layer, got " + (layer == null ? "null" : "the layer itself"));
        }
        if (byAttribute.containsKey(attribute)) {
            throw new IllegalArgumentException(owner.where() + ": sub-layer attribute '" + attribute
                    + "' is taken by " + byAttribute.get(attribute));
        }
        if (byAttribute.containsValue(layer)) {
            throw new IllegalArgumentException(owner.where() + ": layer " + layer + " is already a sub-layer");
        }
        byAttribute.put(attribute, layer);
        return layer;
    }

    boolean isEmpty() {
        return byAttribute.isEmpty();
    }

    Map<String, Layer> asMap() {
        return Collections.unmodifiableMap(byAttribute);
    }

    /** Keras's Layer.weights: the own weights, then each sub-layer's, each variable once. */
    List<Weight> withOwn(List<Weight> own) {
        List<Weight> out = new ArrayList<>(own);
        Set<Weight> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.addAll(own);
        for (Layer l : byAttribute.values()) {
            for (Weight w : l.weights()) {
                if (seen.add(w)) {
                    out.add(w);
                }
            }
        }
        return Collections.unmodifiableList(out);
    }
}
