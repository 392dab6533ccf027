package io.rnn4j.layers;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one call of a layer or model gives: its outputs and the Keras mask of each (Keras's
 * {@code _keras_mask}: (batch, timesteps) of 0/1, or null where an output carries none). The
 * training loop leaves masked timesteps out of the loss and the metrics.
 *
 * @param values the outputs, in order
 * @param masks  one mask or null per output (the list itself is never null and may hold nulls)
 */
public record Outputs(List<Variable> values, List<Tensor> masks) {
    public Outputs {
        values = List.copyOf(values);
        List<Tensor> m = new ArrayList<>(masks == null ? Collections.nCopies(values.size(), null) : masks);
        while (m.size() < values.size()) {
            m.add(null);
        }
        if (m.size() != values.size()) {
            throw new IllegalArgumentException("Outputs: " + m.size() + " masks for " + values.size() + " outputs");
        }
        masks = Collections.unmodifiableList(m);
    }
}
