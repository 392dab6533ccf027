package io.rnn4j.layers.optimizers;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.optimizers.schedules.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's Adagrad, its update verbatim in float32 device ops:
 * <pre>
 * a += g²            (a starts at initial_accumulator_value)
 * w −= (lr·g) / sqrt(a + ε)
 * </pre>
 * Defaults: learning rate 0.001, initial accumulator value 0.1, ε 1e-7. Slot: "accumulator".
 */
public final class Adagrad extends Optimizer {
    private double initialAccumulatorValue = 0.1;
    private double epsilon = 1e-7;

    public Adagrad() {
        this(0.001);
    }

    public Adagrad(double learningRate) {
        super(learningRate);
    }

    public Adagrad(LearningRateSchedule schedule) {
        super(schedule);
    }

    /** Where the accumulators start (Keras's initial_accumulator_value); set before the first update. */
    public Adagrad initialAccumulatorValue(double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(kerasName() + ": initial_accumulator_value must be >= 0 and finite, "
                    + "got " + v);
        }
        if (v != initialAccumulatorValue) {
            checkNotBuilt("initial_accumulator_value");
        }
        this.initialAccumulatorValue = v;
        return this;
    }

    public Adagrad epsilon(double e) {
        if (!(e >= 0) || Double.isInfinite(e)) {
            throw new IllegalArgumentException(kerasName() + ": epsilon must be >= 0 and finite, got " + e);
        }
        this.epsilon = e;
        return this;
    }

    @Override
    protected String kerasClassName() {
        return "Adagrad";
    }

    @Override
    protected void kerasOptions(Map<String, Object> config) {
        config.put("initial_accumulator_value", initialAccumulatorValue);
        config.put("epsilon", epsilon);
    }

    @Override
    public String kerasName() {
        return "adagrad";
    }

    @Override
    protected List<String> slotNames() {
        return List.of("accumulator");
    }

    @Override
    protected float initialSlotValue(String name) {
        return f32(initialAccumulatorValue);
    }

    @Override
    protected int scratchCount() {
        return 2;
    }

    @Override
    protected void update(Tensor w, Tensor g, Tensor[] s, Tensor[] scratch, float lr, long step) {
        Device d = w.device();
        Tensor acc = s[0];
        Tensor t1 = scratch[0];
        Tensor t2 = scratch[1];
        d.unary(UnaryOp.SQUARE, g, t1);
        d.binary(BinaryOp.ADD, acc, t1, acc);
        d.affine(acc, 1f, f32(epsilon), t1);
        d.unary(UnaryOp.SQRT, t1, t1);
        d.affine(g, lr, 0f, t2);
        d.binary(BinaryOp.DIV, t2, t1, t2);
        d.binary(BinaryOp.SUB, w, t2, w);
    }
}
