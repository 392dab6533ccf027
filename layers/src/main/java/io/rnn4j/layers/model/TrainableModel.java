package io.rnn4j.layers.model;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.metrics.Metric;
import io.rnn4j.layers.optimizers.Optimizer;
import java.util.List;

/**
 * What callbacks see of the model being trained (Keras's {@code callback.model}): its weights,
 * optimizer and metrics, and the {@code stop_training} flag that ends {@code fit} after the
 * current batch. {@link Sequential} implements it; so may any model that {@code fit} trains.
 */
public interface TrainableModel {

    String name();

    /** Every weight, in Keras's get_weights() order. */
    List<Weight> weights();

    /** Copies of every weight value, in Keras's order. */
    List<Tensor> getWeights();

    /**
     * Sets every weight (Keras's order); all shapes are checked before any is written.
     *
     * @throws IllegalArgumentException naming the weight and the shapes
     */
    void setWeights(List<Tensor> values);

    /** The compiled optimizer (null before compile). */
    Optimizer optimizer();

    /** The compiled metrics. */
    List<Metric> metrics();

    /** The compiled weighted metrics (Keras's weighted_metrics). */
    default List<Metric> weightedMetrics() {
        return List.of();
    }

    /**
     * Keras's overridden {@code train_step}, {@code test_step} and {@code metrics} property (null for a
     * model that has none to override).
     */
    default CustomSteps customSteps() {
        return null;
    }

    /** Keras's {@code model.stop_training}: when set during fit, training ends after the current batch. */
    boolean stopTraining();

    void setStopTraining(boolean stop);
}
