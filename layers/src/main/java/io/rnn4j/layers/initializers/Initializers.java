package io.rnn4j.layers.initializers;

import io.rnn4j.engine.Shape;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Keras's initializers with Keras's defaults. The distributions and fans are Keras's; the random
 * streams are ours (seeded with {@code io.rnn4j.layers.Seeds}), so values are reproducible here but
 * not bit-equal to TensorFlow's.
 */
public final class Initializers {
    private Initializers() {
    }

    public static Initializer zeros() {
        return constant(0f, "zeros");
    }

    public static Initializer ones() {
        return constant(1f, "ones");
    }

    /** Every value {@code value}. */
    public static Initializer constant(float value) {
        return constant(value, "constant");
    }

    private static Initializer constant(float value, String name) {
        return new Initializer() {
            @Override
            public float[] sample(Shape shape, RandomGenerator random) {
                float[] v = new float[Math.toIntExact(shape.size())];
                Arrays.fill(v, value);
                return v;
            }

            @Override
            public String kerasName() {
                return name;
            }
        };
    }

    /** Uniform in {@code [minval, maxval)}; Keras's defaults are -0.05 and 0.05. */
    public static Initializer randomUniform(float minval, float maxval) {
        return new Initializer() {
            @Override
            public float[] sample(Shape shape, RandomGenerator random) {
                float[] v = new float[Math.toIntExact(shape.size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (minval + (maxval - minval) * random.nextDouble());
                }
                return v;
            }

            @Override
            public String kerasName() {
                return "random_uniform";
            }
        };
    }

    /** Keras's RandomUniform(): uniform in [-0.05, 0.05). */
    public static Initializer randomUniform() {
        return randomUniform(-0.05f, 0.05f);
    }

    /** Normal with {@code mean} and {@code stddev}; Keras's defaults are 0 and 0.05. */
    public static Initializer randomNormal(float mean, float stddev) {
        return new Initializer() {
            @Override
            public float[] sample(Shape shape, RandomGenerator random) {
                float[] v = new float[Math.toIntExact(shape.size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (mean + stddev * random.nextGaussian());
                }
                return v;
            }

            @Override
            public String kerasName() {
                return "random_normal";
            }
        };
    }

    /** Keras's RandomNormal(): mean 0, stddev 0.05. */
    public static Initializer randomNormal() {
        return randomNormal(0f, 0.05f);
    }

    /** Uniform in ±sqrt(6 / (fan_in + fan_out)). */
    public static Initializer glorotUniform() {
        return new VarianceScaling(1.0, VarianceScaling.Mode.FAN_AVG, false, "glorot_uniform");
    }

    /** Truncated normal with stddev sqrt(2 / (fan_in + fan_out)). */
    public static Initializer glorotNormal() {
        return new VarianceScaling(1.0, VarianceScaling.Mode.FAN_AVG, true, "glorot_normal");
    }

    /** Uniform in ±sqrt(6 / fan_in). */
    public static Initializer heUniform() {
        return new VarianceScaling(2.0, VarianceScaling.Mode.FAN_IN, false, "he_uniform");
    }

    /** Truncated normal with stddev sqrt(2 / fan_in). */
    public static Initializer heNormal() {
        return new VarianceScaling(2.0, VarianceScaling.Mode.FAN_IN, true, "he_normal");
    }

    /** Uniform in ±sqrt(3 / fan_in). */
    public static Initializer lecunUniform() {
        return new VarianceScaling(1.0, VarianceScaling.Mode.FAN_IN, false, "lecun_uniform");
    }

    /** Truncated normal with stddev sqrt(1 / fan_in). */
    public static Initializer lecunNormal() {
        return new VarianceScaling(1.0, VarianceScaling.Mode.FAN_IN, true, "lecun_normal");
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
     * The initializer a Keras config names: zeros, ones, constant (0), random_uniform,
     * random_normal, glorot_uniform/normal, he_uniform/normal, lecun_uniform/normal, orthogonal.
     */
    public static Initializer of(String kerasName) {
        return switch (kerasName) {
            case "zeros" -> zeros();
            case "ones" -> ones();
            case "constant" -> constant(0f);
            case "random_uniform" -> randomUniform();
            case "random_normal" -> randomNormal();
            case "glorot_uniform" -> glorotUniform();
            case "glorot_normal" -> glorotNormal();
            case "he_uniform" -> heUniform();
            case "he_normal" -> heNormal();
            case "lecun_uniform" -> lecunUniform();
            case "lecun_normal" -> lecunNormal();
            case "orthogonal" -> orthogonal();
            default -> throw new IllegalArgumentException("initializer: expected one of zeros, ones, constant, "
                    + "random_uniform, random_normal, glorot_uniform, glorot_normal, he_uniform, he_normal, "
                    + "lecun_uniform, lecun_normal, orthogonal; got '" + kerasName + "'");
        };
    }
}
