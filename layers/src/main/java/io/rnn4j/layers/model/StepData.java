package io.rnn4j.layers.model;

import io.rnn4j.engine.Tensor;
import java.util.List;

/**
 * The {@code data} a custom {@link ModelStep} receives: Keras's {@code x, y, sample_weight = data}.
 *
 * @param inputs       one tensor per model input, this batch's samples
 * @param targets      one tensor per model output, or null when fit was given no targets
 * @param sampleWeight a weight per sample of this batch, or null when none was given
 */
public record StepData(List<Tensor> inputs, List<Tensor> targets, Tensor sampleWeight) {
    public StepData {
        inputs = List.copyOf(inputs);
        targets = targets == null ? null : List.copyOf(targets);
    }

    /**
     * The only input (a Sequential model's {@code x}).
     *
     * @throws IllegalStateException when the model has several inputs
     */
    public Tensor x() {
        if (inputs.size() != 1) {
            throw new IllegalStateException("StepData.x(): the batch has " + inputs.size() + " inputs; read inputs()");
        }
        return inputs.get(0);
    }

    /**
     * The only target, or null when fit was given none.
     *
     * @throws IllegalStateException when there are several targets
     */
    public Tensor y() {
        if (targets == null) {
            return null;
        }
        if (targets.size() != 1) {
            throw new IllegalStateException("StepData.y(): the batch has " + targets.size() + " targets; read "
                    + "targets()");
        }
        return targets.get(0);
    }
}
