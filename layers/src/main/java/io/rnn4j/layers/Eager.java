package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Keras's eager calls of a layer on concrete tensors, outside any model, as keras-io's masking guide
 * makes them: {@code masked_output = embedding(padded_inputs)} then {@code masked_output._keras_mask}
 * is {@code Eager.call(embedding, padded).masks().get(0)}, and {@code embedding.compute_mask(padded)}
 * is {@code Eager.computeMask(embedding, padded)}.
 *
 * <pre>{@code
 * Embedding embedding = new Embedding(5000, 16).maskZero(true);
 * Outputs out = Eager.call(embedding, padded);           // builds it on first use, as Keras's __call__
 * Tensor mask = out.masks().get(0);                      // (batch, timesteps) of 0/1: masked_output._keras_mask
 * Outputs halves = Eager.call(split, x, mask);           // a layer called on a tensor carrying that mask
 * }</pre>
 *
 * <p>Each call builds the layer for the input's shape when it is not built yet (Keras's first call),
 * runs it for inference (Keras's {@code training=None} outside fit) and gives every output with its
 * Keras mask, null where Keras attaches none. Masks are Keras's bools held as 1/0 float32.
 */
public final class Eager {
    private Eager() {
    }

    /** Keras's {@code layer(x)} on a tensor carrying no mask: the outputs and their masks. */
    public static Outputs call(Layer layer, Tensor x) {
        return call(layer, x, null);
    }

    /**
     * Keras's {@code layer(x)} where {@code x} carries {@code mask} as its {@code _keras_mask} (the
     * output of a mask-generating layer, say): the layer's call gets it, and its outputs' masks are what
     * it computes from it.
     *
     * @param mask (batch, timesteps) of 0/1 leading {@code x}'s shape, or null for none
     * @throws IllegalArgumentException naming the layer: a mask whose shape does not lead x's, or any
     *                                  input the layer cannot take
     */
    public static Outputs call(Layer layer, Tensor x, Tensor mask) {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(x, "x");
        checkMask(layer, x, mask);
        if (!layer.isBuilt()) {
            layer.build(x.shape().without(0));
        }
        return layer.callWithMasks(List.of(Variable.constant(x)), Collections.singletonList(mask),
                CallContext.inference());
    }

    /**
     * Keras's {@code layer.compute_mask(x)} (no previous mask): the mask the layer gives for input
     * {@code x}, or null. Builds the layer on first use, as a mask may depend on its configuration only.
     */
    public static Tensor computeMask(Layer layer, Tensor x) {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(x, "x");
        if (!layer.isBuilt()) {
            layer.build(x.shape().without(0));
        }
        return layer.computeMasks(List.of(Variable.constant(x)), Collections.singletonList(null)).get(0);
    }

    private static void checkMask(Layer layer, Tensor x, Tensor mask) {
        if (mask == null) {
            return;
        }
        int[] m = mask.shape().dims();
        int[] d = x.shape().dims();
        boolean leads = m.length >= 1 && m.length <= d.length;
        for (int i = 0; leads && i < m.length; i++) {
            leads = m[i] == d[i];
        }
        if (!leads) {
            throw new IllegalArgumentException("Layer '" + layer.name() + "' (" + layer.className() + "): expected a "
                    + "mask whose shape leads the input's " + x.shape() + " (batch, timesteps), got " + mask.shape());
        }
    }
}
