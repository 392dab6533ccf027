package io.rnn4j.layers.model;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Outputs;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.losses.Loss;
import io.rnn4j.layers.metrics.Metric;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.optimizers.Optimizer;
import java.util.List;

/**
 * What {@link Training} needs of a model — {@link Sequential} (one input, one output) and the
 * functional {@link Model} (several of each) both provide it, so they share one training loop.
 */
interface Trainable {

    String name();

    /** The public model (what callbacks see, and whose stop_training flag fit watches). */
    TrainableModel owner();

    /** The device of the weights (the model is built by {@link #checkInputs} if it was not). */
    Device device();

    List<Weight> weights();

    /** How the model was compiled, or null if it was not. */
    Compiled compiled();

    /** Builds the model from the data if needed, then checks the inputs: count, shapes, device. */
    void checkInputs(List<Tensor> xs, String op);

    /**
     * Checks that {@code samples} in batches of {@code batchSize} make only batches the model can
     * take: of its fixed batch size (an Input's batch_shape, a stateful layer's), if it has one.
     */
    void checkBatches(int samples, int batchSize, String op);

    /** The outputs for a batch of inputs, with their Keras masks, recorded unless under noGrad. */
    Outputs call(List<Variable> xs, CallContext ctx);

    /** The shape of one sample of each output. */
    List<Shape> outputShapes();

    /**
     * The shape of one sample of each output for inputs of {@code inputSamples} (no batch
     * dimension), which fit the model: sizes the model leaves None come from them where its
     * layers map them through.
     */
    List<Shape> outputShapes(List<Shape> inputSamples);

    /** The name of each output, for logs ("dense_loss") and messages (the layer that computes it). */
    List<String> outputNames();

    /** Keras's overridden train_step, test_step and metrics of this model (its {@code customSteps()}). */
    CustomSteps customSteps();

    /** The sum of the weights' regularization penalties, or null if none has a regularizer. */
    default Variable regularization() {
        Variable total = null;
        for (Weight w : weights()) {
            if (w.regularizer() != null) {
                Variable p = w.regularizer().penalty(w.variable());
                total = total == null ? p : Ops.add(total, p);
            }
        }
        return total;
    }

    /**
     * A compiled model's optimizer, one loss per output (none at all: Keras's {@code loss=None},
     * the loss is then what the layers add), optional loss weights (null: none, as Keras's
     * loss_weights=None), the metrics of each output and its weighted metrics (Keras's
     * weighted_metrics: updated with the sample and class weights).
     */
    record Compiled(Optimizer optimizer, List<Loss> losses, List<Double> lossWeights, List<List<Metric>> metrics,
            List<List<Metric>> weightedMetrics) {
        public Compiled {
            losses = List.copyOf(losses);
            lossWeights = lossWeights == null ? null : List.copyOf(lossWeights);
            metrics = metrics.stream().map(List::copyOf).toList();
            weightedMetrics = weightedMetrics.stream().map(List::copyOf).toList();
            metrics.forEach(l -> l.forEach(Metrics::requireScalar));
            weightedMetrics.forEach(l -> l.forEach(Metrics::requireScalar));
        }

        /** Whether compile was given a loss (Keras's {@code model.loss is not None}). */
        boolean hasLoss() {
            return !losses.isEmpty();
        }

        /** Whether any output has metrics or weighted metrics, which need targets. */
        boolean hasMetrics() {
            return metrics.stream().anyMatch(l -> !l.isEmpty()) || weightedMetrics.stream().anyMatch(l -> !l.isEmpty());
        }
    }
}
