package io.rnn4j.layers.optimizers.schedules;

import io.rnn4j.layers.KerasConfig;
import java.util.Optional;

/**
 * Keras's CosineDecay, in float32 as Keras computes it, with its optional linear warmup:
 * <pre>
 * no warmup:  s = min(step, decay_steps);  lr · ((1 − α) · ½(1 + cos(π · s / decay_steps)) + α)
 * warmup:     s = min(step, warmup_steps + decay_steps)
 *             s &lt; warmup_steps:  (target − lr) · s / warmup_steps + lr
 *             otherwise:         the decay above from target, at s − warmup_steps
 * </pre>
 */
public final class CosineDecay implements LearningRateSchedule {
    private final double initialLearningRate;
    private final long decaySteps;
    private final double alpha;
    private final Double warmupTarget;
    private final long warmupSteps;

    /** Keras's defaults: α 0, no warmup. */
    public CosineDecay(double initialLearningRate, long decaySteps) {
        this(initialLearningRate, decaySteps, 0.0);
    }

    /** @param alpha the floor, as a fraction of the rate decayed from */
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha) {
        this(initialLearningRate, decaySteps, alpha, null, 0);
    }

    /**
     * @param warmupTarget the rate reached after the warmup, from which the decay starts; null for no warmup
     * @param warmupSteps  the length of the linear warmup from {@code initialLearningRate}
     */
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha, Double warmupTarget,
            long warmupSteps) {
        Schedules.checkRate("CosineDecay", "initial_learning_rate", initialLearningRate);
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("CosineDecay: decay_steps must be > 0, got " + decaySteps);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("CosineDecay: alpha must be in [0, 1], got " + alpha);
        }
        if (warmupTarget != null) {
            Schedules.checkRate("CosineDecay", "warmup_target", warmupTarget);
            if (warmupSteps <= 0) {
                throw new IllegalArgumentException("CosineDecay: warmup_steps must be > 0 with a warmup_target, got "
                        + warmupSteps);
            }
        } else if (warmupSteps < 0) {
            throw new IllegalArgumentException("CosineDecay: warmup_steps must be >= 0, got " + warmupSteps);
        }
        this.initialLearningRate = initialLearningRate;
        this.decaySteps = decaySteps;
        this.alpha = alpha;
        this.warmupTarget = warmupTarget;
        this.warmupSteps = warmupSteps;
    }

    @Override
    public double learningRate(long step) {
        float lr = (float) initialLearningRate;
        float decay = (float) decaySteps;
        float s = (float) step;
        if (warmupTarget == null) {
            return decayed(Math.min(s, decay), decay, lr);
        }
        float target = (float) (double) warmupTarget;
        float warmup = (float) warmupSteps;
        s = Math.min(s, decay + warmup);
        if (s < warmup) {
            return (target - lr) * (s / warmup) + lr;
        }
        return decayed(s - warmup, decay, target);
    }

    private float decayed(float s, float decay, float from) {
        float fraction = s / decay;
        float cosine = 0.5f * (1f + (float) Math.cos((float) Math.PI * fraction));
        float a = (float) alpha;
        float mixed = (float) (1 - alpha) * cosine + a;
        return from * mixed;
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        return Optional.of(KerasConfig.of("CosineDecay", "initial_learning_rate", initialLearningRate, "decay_steps",
                decaySteps, "alpha", alpha, "name", "CosineDecay", "warmup_target", warmupTarget, "warmup_steps",
                warmupSteps));
    }

    @Override
    public String toString() {
        return "CosineDecay(" + initialLearningRate + ", decay_steps=" + decaySteps + ", alpha=" + alpha
                + (warmupTarget != null ? ", warmup_target=" + warmupTarget + ", warmup_steps=" + warmupSteps : "")
                + ")";
    }
}
