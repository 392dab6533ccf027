package io.rnn4j.layers.initializers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.KerasConfig;
import java.util.Locale;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Keras's VarianceScaling, behind glorot_*, he_* and lecun_*: variance {@code scale / max(1, n)}
 * where n is fan_in, fan_out or their mean; "uniform" draws from ±sqrt(3·variance),
 * "untruncated_normal" from a normal of stddev sqrt(variance), and "truncated_normal" from a
 * normal cut at two standard deviations with stddev sqrt(variance) / 0.87962566103423978, so the
 * variance after truncation is the asked one.
 */
final class VarianceScaling implements Initializer {
    enum Mode { FAN_IN, FAN_OUT, FAN_AVG }

    enum Distribution { UNIFORM, TRUNCATED_NORMAL, UNTRUNCATED_NORMAL }

    /** The stddev of a standard normal truncated to [-2, 2]. */
    private static final double TRUNCATED_STDDEV = 0.87962566103423978;

    private final double scale;
    private final Mode mode;
    private final Distribution distribution;
    private final String name;
    /** Keras's class for a named setting ("GlorotUniform"), or null for a plain VarianceScaling. */
    private final String namedClass;

    VarianceScaling(double scale, Mode mode, Distribution distribution, String name, String namedClass) {
        this.scale = scale;
        this.mode = mode;
        this.distribution = distribution;
        this.name = name;
        this.namedClass = namedClass;
    }

    @Override
    public float[] sample(Shape shape, RandomGenerator random) {
        double[] fans = fans(shape);
        double n = switch (mode) {
            case FAN_IN -> fans[0];
            case FAN_OUT -> fans[1];
            case FAN_AVG -> (fans[0] + fans[1]) / 2.0;
        };
        double variance = scale / Math.max(1.0, n);
        float[] v = new float[Math.toIntExact(shape.size())];
        switch (distribution) {
            case TRUNCATED_NORMAL -> {
                double stddev = Math.sqrt(variance) / TRUNCATED_STDDEV;
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (stddev * truncatedStandardNormal(random));
                }
            }
            case UNTRUNCATED_NORMAL -> {
                double stddev = Math.sqrt(variance);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (stddev * random.nextGaussian());
                }
            }
            case UNIFORM -> {
                double limit = Math.sqrt(3.0 * variance);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (limit * (2.0 * random.nextDouble() - 1.0));
                }
            }
        }
        return v;
    }

    /** A standard normal redrawn until within two standard deviations (TensorFlow's truncated_normal). */
    static double truncatedStandardNormal(RandomGenerator random) {
        double z;
        do {
            z = random.nextGaussian();
        } while (Math.abs(z) > 2.0);
        return z;
    }

    /** Keras's compute_fans: (in, out) for a matrix; a kernel of higher rank multiplies in the receptive field. */
    static double[] fans(Shape shape) {
        return switch (shape.rank()) {
            case 0 -> new double[] {1, 1};
            case 1 -> new double[] {shape.dim(0), shape.dim(0)};
            case 2 -> new double[] {shape.dim(0), shape.dim(1)};
            default -> {
                double receptive = 1;
                for (int i = 0; i < shape.rank() - 2; i++) {
                    receptive *= shape.dim(i);
                }
                yield new double[] {shape.dim(-2) * receptive, shape.dim(-1) * receptive};
            }
        };
    }

    @Override
    public String kerasName() {
        return name;
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        if (namedClass != null) {
            return Optional.of(KerasConfig.of(namedClass));
        }
        return Optional.of(KerasConfig.of("VarianceScaling", "scale", scale, "mode",
                mode.name().toLowerCase(Locale.ROOT), "distribution", distribution.name().toLowerCase(Locale.ROOT)));
    }

    @Override
    public String toString() {
        return kerasConfig().orElseThrow().toString();
    }
}
