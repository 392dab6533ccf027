package io.rnn4j.kernels.cuda;

import io.rnn4j.engine.spi.BackendProvider.Availability;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Disables a whole test class where no usable GPU is present, before any of its lifecycle methods
 * run (the engine's contract bases open their device in {@code @BeforeAll}), with the message
 * "skipped: no CUDA device: <the probe's reason>".
 */
final class CudaAvailable implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Availability a = CudaTestSupport.probe();
        return a.available() ? ConditionEvaluationResult.enabled("a CUDA device is present")
                : ConditionEvaluationResult.disabled("skipped: no CUDA device: " + a.reason());
    }
}
