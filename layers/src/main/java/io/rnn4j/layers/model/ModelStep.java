package io.rnn4j.layers.model;

import java.util.Map;

/**
 * Keras's overridden {@code train_step(self, data)} or {@code test_step(self, data)} ("Customizing
 * what happens in fit()"): what {@code fit} (or {@code evaluate}) runs on each batch, in place of the
 * compiled loss, backward and optimizer step. It returns the logs of the batch (Keras's dict of metric
 * results), which callbacks, the progress bar and {@link History} see. Set it with
 * {@link CustomSteps#trainStep} or {@link CustomSteps#testStep} on {@code model.customSteps()}.
 */
@FunctionalInterface
public interface ModelStep {

    /**
     * One batch.
     *
     * @param data the batch as fit cuts it: inputs, targets (null with none), sample weights (null with
     *             none; class weights arrive here as sample weights, as Keras's data adapter makes them)
     * @param ctx  this batch's call context (training for a train step, inference for a test step), the
     *             model's forward, compiled loss, optimizer and metrics
     * @return the logs of this batch: metric name to value, usually {@link StepContext#metricsResult()}
     */
    Map<String, Double> run(StepData data, StepContext ctx);
}
