package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The layers a custom layer holds in its attributes and calls in its own forward pass ({@code self.lstm =
 * layers.LSTM(64)} in Python), as Keras 3's Layer tracks them: its {@code weights} are its own then each
 * tracked layer's, in the order they were assigned, and a {@code .keras} file keeps each one's variables
 * under the outer layer's path and the attribute's name ({@code layers/lstmgc/lstm/cell/vars}).
 */
final class Sublayers {
    private final Layer owner;
    private final Map<String, Layer> byAttribute = new LinkedHashMap<>();
    private Layer parent; // the layer that tracks the owner, or null

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
        Sublayers theirs = layer.tracker();
        if (theirs.parent != null) {
            throw new IllegalArgumentException(owner.where() + ": layer " + layer + " is already sub-layer of "
                    + theirs.parent + "; a layer has one owner in rnn4j (Keras would save it under the first "
                    + "path it meets only): make a new layer for '" + attribute + "'");
        }
        for (Layer up = owner; up != null; up = up.tracker().parent) {
            if (up == layer) {
                throw new IllegalArgumentException(owner.where() + ": layer " + layer + " holds this layer, so it "
                        + "cannot be its sub-layer '" + attribute + "' too (a cycle)");
            }
        }
        byAttribute.put(attribute, layer);
        theirs.parent = owner;
        return layer;
    }

    /** The sub-layers built now. */
    List<Layer> built() {
        return byAttribute.values().stream().filter(Layer::isBuilt).toList();
    }

    /**
     * Undoes the builds of the sub-layers that {@code before} (from {@link #built()}) did not hold,
     * their own sub-layers' and the inner layers' owning their weights (a wrapper's), after the
     * owner's build failed: else a retried build would find them built.
     */
    void forgetBuildsSince(List<Layer> before) {
        for (Layer l : byAttribute.values()) {
            if (l.isBuilt() && before.stream().noneMatch(b -> b == l)) {
                forget(l);
            }
        }
    }

    /**
     * Runs the owner's {@code build}; when it fails, undoes the owner's build and those of the
     * sub-layers it built ({@link #forgetBuildsSince}), so that the build can be tried again.
     */
    Shape buildOrForget(Supplier<Shape> build) {
        List<Layer> builtBefore = built();
        try {
            return build.get();
        } catch (RuntimeException e) {
            owner.forgetBuild();
            forgetBuildsSince(builtBefore);
            throw e;
        }
    }

    /**
     * Gives the owner's trainable flag to its sub-layers and to the layers that own its weights (the
     * inner layers of a wrapper, whose own flag is set alone), as Keras's {@code layer.trainable = ...}.
     */
    void propagateTrainable(boolean on) {
        byAttribute.values().forEach(l -> l.trainable(on));
        for (Weight w : owner.weights()) {
            if (w.owner() != owner) {
                w.owner().setTrainableFlag(on);
            }
        }
    }

    private static void forget(Layer l) {
        l.weights().stream().map(Weight::owner).filter(o -> o != l).distinct().forEach(Layer::forgetBuild);
        l.sublayers().values().forEach(Sublayers::forget);
        l.forgetBuild();
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
