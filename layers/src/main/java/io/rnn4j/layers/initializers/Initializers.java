package io.rnn4j.layers.initializers;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.KerasConfig;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * Keras's initializers with Keras's defaults. The distributions and fans are Keras's; the random
 * streams are ours (seeded with {@code io.rnn4j.layers.Seeds}), so values are reproducible here but
 * not bit-equal to TensorFlow's. Each one names its Keras class and arguments
 * ({@link Initializer#kerasConfig()}).
 */
public final class Initializers {
    private Initializers() {
    }

    public static Initializer zeros() {
        return constant(0f, "zeros", KerasConfig.of("Zeros"));
    }

    public static Initializer ones() {
        return constant(1f, "ones", KerasConfig.of("Ones"));
    }

    /** Every value {@code value}. */
    public static Initializer constant(double value) {
        float v = (float) value;  // the float32 every weight will hold
        return constant(v, "constant", KerasConfig.of("Constant", "value", KerasConfig.decimal(v)));
    }

    private static Initializer constant(float value, String name, KerasConfig config) {
        return new Drawn(name, config, r -> () -> value);
    }

    /** Uniform in {@code [minval, maxval)}; Keras's defaults are -0.05 and 0.05. */
    public static Initializer randomUniform(double minval, double maxval) {
        // Bounds kept as float32 (Keras draws in the weight's float32 dtype).
        float lo = (float) minval;
        float hi = (float) maxval;
        return new Drawn("random_uniform", KerasConfig.of("RandomUniform", "minval", KerasConfig.decimal(lo),
                "maxval", KerasConfig.decimal(hi)), r -> () -> lo + (hi - lo) * r.nextDouble());
    }

    /** Keras's RandomUniform(): uniform in [-0.05, 0.05). */
    public static Initializer randomUniform() {
        return randomUniform(-0.05f, 0.05f);
    }

    /** Normal with {@code mean} and {@code stddev}; Keras's defaults are 0 and 0.05. */
    public static Initializer randomNormal(double mean, double stddev) {
        float m = (float) mean;  // kept as float32, as Keras's float32 draw takes them
        float s = (float) stddev;
        return new Drawn("random_normal", KerasConfig.of("RandomNormal", "mean", KerasConfig.decimal(m),
                "stddev", KerasConfig.decimal(s)), r -> () -> m + s * r.nextGaussian());
    }

    /** Keras's RandomNormal(): mean 0, stddev 0.05. */
    public static Initializer randomNormal() {
        return randomNormal(0f, 0.05f);
    }

    /**
     * Keras's TruncatedNormal: normal with {@code mean} and {@code stddev}, values more than two
     * standard deviations from the mean redrawn (so the spread is less than {@code stddev}, as in
     * Keras). Keras's defaults are 0 and 0.05.
     */
    public static Initializer truncatedNormal(double mean, double stddev) {
        if (!(stddev >= 0)) {
            throw new IllegalArgumentException("truncated_normal: stddev must be >= 0, got " + stddev);
        }
        float m = (float) mean;  // kept as float32, as Keras's float32 draw takes them
        float s = (float) stddev;
        return new Drawn("truncated_normal", KerasConfig.of("TruncatedNormal", "mean", KerasConfig.decimal(m),
                "stddev", KerasConfig.decimal(s)),
                r -> () -> m + s * VarianceScaling.truncatedStandardNormal(r));
    }

    /** Keras's TruncatedNormal(): mean 0, stddev 0.05. */
    public static Initializer truncatedNormal() {
        return truncatedNormal(0f, 0.05f);
    }

    /**
     * Keras's VarianceScaling: variance {@code scale / max(1, n)} with n the weight's fan_in,
     * fan_out or their mean (Keras's compute_fans), drawn from a "truncated_normal" (cut at two
     * standard deviations, rescaled so the variance is the asked one), an "untruncated_normal" or
     * a "uniform" distribution. Keras's defaults are 1.0, "fan_in", "truncated_normal".
     *
     * @throws IllegalArgumentException for scale &lt;= 0 or an unknown mode or distribution
     */
    public static Initializer varianceScaling(double scale, String mode, String distribution) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("variance_scaling: scale must be > 0 and finite, got " + scale);
        }
        VarianceScaling.Mode m = switch (String.valueOf(mode)) {
            case "fan_in" -> VarianceScaling.Mode.FAN_IN;
            case "fan_out" -> VarianceScaling.Mode.FAN_OUT;
            case "fan_avg" -> VarianceScaling.Mode.FAN_AVG;
            default -> throw new IllegalArgumentException("variance_scaling: mode must be one of fan_in, fan_out, "
                    + "fan_avg; got '" + mode + "'");
        };
        VarianceScaling.Distribution d = switch (String.valueOf(distribution)) {
            case "uniform" -> VarianceScaling.Distribution.UNIFORM;
            case "truncated_normal" -> VarianceScaling.Distribution.TRUNCATED_NORMAL;
            case "untruncated_normal" -> VarianceScaling.Distribution.UNTRUNCATED_NORMAL;
            default -> throw new IllegalArgumentException("variance_scaling: distribution must be one of uniform, "
                    + "truncated_normal, untruncated_normal; got '" + distribution + "'");
        };
        return new VarianceScaling(scale, m, d, "variance_scaling", null);
    }

    /** Uniform in ±sqrt(6 / (fan_in + fan_out)). */
    public static Initializer glorotUniform() {
        return named(1.0, VarianceScaling.Mode.FAN_AVG, false, "glorot_uniform", "GlorotUniform");
    }

    /** Truncated normal with stddev sqrt(2 / (fan_in + fan_out)). */
    public static Initializer glorotNormal() {
        return named(1.0, VarianceScaling.Mode.FAN_AVG, true, "glorot_normal", "GlorotNormal");
    }

    /** Uniform in ±sqrt(6 / fan_in). */
    public static Initializer heUniform() {
        return named(2.0, VarianceScaling.Mode.FAN_IN, false, "he_uniform", "HeUniform");
    }

    /** Truncated normal with stddev sqrt(2 / fan_in). */
    public static Initializer heNormal() {
        return named(2.0, VarianceScaling.Mode.FAN_IN, true, "he_normal", "HeNormal");
    }

    /** Uniform in ±sqrt(3 / fan_in). */
    public static Initializer lecunUniform() {
        return named(1.0, VarianceScaling.Mode.FAN_IN, false, "lecun_uniform", "LecunUniform");
    }

    /** Truncated normal with stddev sqrt(1 / fan_in). */
    public static Initializer lecunNormal() {
        return named(1.0, VarianceScaling.Mode.FAN_IN, true, "lecun_normal", "LecunNormal");
    }

    private static Initializer named(double scale, VarianceScaling.Mode mode, boolean normal, String name,
            String kerasClass) {
        return new VarianceScaling(scale, mode, normal ? VarianceScaling.Distribution.TRUNCATED_NORMAL
                : VarianceScaling.Distribution.UNIFORM, name, kerasClass);
    }

    /** A (semi-)orthogonal matrix times {@code gain} (Keras's default gain is 1). */
    public static Initializer orthogonal(double gain) {
        return new Orthogonal(gain);
    }

    /** Keras's Orthogonal(): gain 1. */
    public static Initializer orthogonal() {
        return orthogonal(1.0);
    }

    /**
     * The initializer a Keras config names, with Keras's defaults: zeros, ones, constant (0),
     * random_uniform, random_normal, truncated_normal, variance_scaling, glorot_uniform/normal,
     * he_uniform/normal, lecun_uniform/normal, orthogonal.
     */
    public static Initializer of(String kerasName) {
        return switch (kerasName) {
            case "zeros" -> zeros();
            case "ones" -> ones();
            case "constant" -> constant(0f);
            case "random_uniform" -> randomUniform();
            case "random_normal" -> randomNormal();
            case "truncated_normal" -> truncatedNormal();
            case "variance_scaling" -> varianceScaling(1.0, "fan_in", "truncated_normal");
            case "glorot_uniform" -> glorotUniform();
            case "glorot_normal" -> glorotNormal();
            case "he_uniform" -> heUniform();
            case "he_normal" -> heNormal();
            case "lecun_uniform" -> lecunUniform();
            case "lecun_normal" -> lecunNormal();
            case "orthogonal" -> orthogonal();
            default -> throw new IllegalArgumentException("initializer: expected one of zeros, ones, constant, "
                    + "random_uniform, random_normal, truncated_normal, variance_scaling, glorot_uniform, "
                    + "glorot_normal, he_uniform, he_normal, lecun_uniform, lecun_normal, orthogonal; got '"
                    + kerasName + "'");
        };
    }

    /** An initializer whose values are drawn one by one, independently of the shape. */
    private record Drawn(String kerasName, KerasConfig config, Function<RandomGenerator, DoubleSupplier> draw)
            implements Initializer {

        @Override
        public float[] sample(Shape shape, RandomGenerator random) {
            float[] v = new float[Math.toIntExact(shape.size())];
            DoubleSupplier next = draw.apply(random);
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) next.getAsDouble();
            }
            return v;
        }

        @Override
        public Optional<KerasConfig> kerasConfig() {
            return Optional.of(config);
        }

        @Override
        public String toString() {
            return config.className() + config.config();
        }
    }
}
