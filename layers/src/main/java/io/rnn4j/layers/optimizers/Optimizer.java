package io.rnn4j.layers.optimizers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Weight;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Keras optimizer: after each backward, {@link #apply} updates every trainable weight that has a
 * gradient with the subclass's update rule ({@link #update}, made of device ops, in place), then
 * projects it with the weight's constraint, then counts the iteration — Keras 3's order.
 *
 * <p>Per-weight state (moments, and scratch tensors so that a step allocates nothing) is created on
 * first use. Hyperparameters are held as Keras holds them (Python floats) and rounded to float32
 * where Keras's ops do. Not thread-safe: one optimizer trains one model.
 */
public abstract class Optimizer {
    private double learningRate;
    private long iterations;
    private final Map<Object, Tensor[]> slots = new IdentityHashMap<>();

    protected Optimizer(double learningRate) {
        this.learningRate = checkLearningRate(learningRate);
    }

    /** The learning rate used by the next update. */
    public double learningRate() {
        return learningRate;
    }

    /** Changes the learning rate (schedules and callbacks do this between steps). */
    public void setLearningRate(double learningRate) {
        this.learningRate = checkLearningRate(learningRate);
    }

    private static double checkLearningRate(double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("optimizer: learning_rate must be > 0 and finite, got " + learningRate);
        }
        return learningRate;
    }

    /** The number of updates applied so far (Keras's {@code optimizer.iterations}). */
    public long iterations() {
        return iterations;
    }

    /** The name Keras gives this optimizer ("adam", "SGD"). */
    public abstract String kerasName();

    /** How many state tensors of the weight's shape {@link #update} needs (moments plus scratch). */
    protected abstract int slotCount();

    /**
     * Updates {@code param} in place from {@code grad}.
     *
     * @param slots {@link #slotCount()} tensors of param's shape, zero at first, kept between steps
     * @param step  Keras's {@code local_step}: iterations + 1
     */
    protected abstract void update(Tensor param, Tensor grad, Tensor[] slots, long step);

    /** One optimizer step over {@code weights} (those without a gradient are skipped). */
    public void apply(List<Weight> weights) {
        long step = iterations + 1;
        for (Weight w : weights) {
            Tensor grad = w.variable().grad();
            if (!w.trainable() || grad == null) {
                continue;
            }
            Tensor param = w.value();
            update(param, grad, slotsOf(w, param.shape(), param), step);
            if (w.constraint() != null) {
                w.constraint().apply(param);
            }
        }
        iterations++;
    }

    private Tensor[] slotsOf(Object key, Shape shape, Tensor like) {
        Tensor[] s = slots.get(key);
        if (s == null) {
            s = new Tensor[slotCount()];
            for (int i = 0; i < s.length; i++) {
                s[i] = like.device().zeros(shape);
            }
            slots.put(key, s);
        }
        return s;
    }

    /** Keras casts Python-float hyperparameters to the variable's float32. */
    protected static float f32(double v) {
        return (float) v;
    }
}
