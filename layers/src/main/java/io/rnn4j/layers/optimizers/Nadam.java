package io.rnn4j.layers.optimizers;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.optimizers.schedules.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's Nadam (Adam with Nesterov momentum, Dozat 2015), its update verbatim in float32
 * (keras/src/optimizers/nadam.py). With Keras's momentum schedule
 * {@code u(t) = β1 · (1 − 0.5 · 0.96^t)}, each step first advances the optimizer-wide
 * {@code u_product ← u_product · β1 · (1 − 0.5 · 0.96^t)} (so u_product = u(1)·…·u(t)), then per weight:
 * <pre>
 * m += (g − m) · (1 − β1)
 * v += (g² − v) · (1 − β2)
 * m̂ = (u(t+1) · m) / (1 − u_product · u(t+1)) + ((1 − u(t)) · g) / (1 − u_product)
 * v̂ = v / (1 − β2^t)
 * w −= (m̂ · lr) / (sqrt(v̂) + ε)
 * </pre>
 * where β1, β2 and 0.96 are float32 values (so 1 − β1 is computed in float32, unlike Adam's).
 * Defaults: learning rate 0.001, β1 0.9, β2 0.999, ε 1e-7. Slots: "momentum" and "velocity",
 * interleaved weight by weight; then Keras's scalar {@code u_product} (starting at 1), saved last.
 */
public final class Nadam extends Optimizer {
    private static final float DECAY = 0.96f;

    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-7;

    /** Keras's {@code Nadam()}: learning rate 0.001. */
    public Nadam() {
        this(0.001);
    }

    /** Keras's {@code Nadam(learning_rate=learningRate)}. */
    public Nadam(double learningRate) {
        super(learningRate);
    }

    /** Keras's {@code Nadam(learning_rate=schedule)}. */
    public Nadam(LearningRateSchedule schedule) {
        super(schedule);
    }

    /** The decay of the first moment and the base of the momentum schedule (Keras's beta_1), in [0, 1). */
    public Nadam beta1(double b) {
        this.beta1 = OptionChecks.unitInterval(kerasName(), "beta_1", b);
        return this;
    }

    /** The decay of the second moment (Keras's beta_2), in [0, 1). */
    public Nadam beta2(double b) {
        this.beta2 = OptionChecks.unitInterval(kerasName(), "beta_2", b);
        return this;
    }

    /** Added to sqrt(v̂) before dividing (Keras's epsilon), >= 0 and finite. */
    public Nadam epsilon(double e) {
        this.epsilon = OptionChecks.nonNegative(kerasName(), "epsilon", e);
        return this;
    }

    /** Keras 3's default name for Nadam. */
    @Override
    public String kerasName() {
        return "nadam";
    }

    @Override
    protected String kerasClassName() {
        return "Nadam";
    }

    @Override
    protected void kerasOptions(Map<String, Object> config) {
        config.put("beta_1", beta1);
        config.put("beta_2", beta2);
        config.put("epsilon", epsilon);
    }

    @Override
    protected List<String> slotNames() {
        return List.of("momentum", "velocity");
    }

    @Override
    protected List<List<String>> kerasSlotGroups() {
        return List.of(slotNames());
    }

    @Override
    protected Map<String, Float> initialScalars() {
        return Map.of("u_product", 1f);
    }

    /** Keras's momentum schedule at step t, in float32: β1 · (1 − 0.5 · 0.96^t). */
    private float momentumAt(float b1, long t) {
        return b1 * (1f - 0.5f * (float) Math.pow(DECAY, (float) t));
    }

    @Override
    protected void beforeUpdates(float[] scalars, long step) {
        // Keras's _backend_update_step: u_product * beta_1 * (1 - 0.5 * 0.96^(iterations + 1)), left to right.
        scalars[0] = scalars[0] * f32(beta1) * (1f - 0.5f * (float) Math.pow(DECAY, (float) step));
    }

    @Override
    protected int scratchCount() {
        return 3;
    }

    @Override
    protected void update(Tensor w, Tensor g, Tensor[] s, Tensor[] scratch, float lr, long step) {
        Device d = w.device();
        Tensor m = s[0];
        Tensor v = s[1];
        Tensor t1 = scratch[0];
        Tensor t2 = scratch[1];
        Tensor t3 = scratch[2];
        float b1 = f32(beta1);
        float b2 = f32(beta2);
        float uT = momentumAt(b1, step);
        float uT1 = momentumAt(b1, step + 1);
        float uProduct = scalar(0);
        float uProductNext = uProduct * uT1;
        float b2Power = (float) Math.pow(b2, (float) step);

        d.binary(BinaryOp.SUB, g, m, t1);
        d.affine(t1, 1f - b1, 0f, t1);
        d.binary(BinaryOp.ADD, m, t1, m);

        d.unary(UnaryOp.SQUARE, g, t1);
        d.binary(BinaryOp.SUB, t1, v, t1);
        d.affine(t1, 1f - b2, 0f, t1);
        d.binary(BinaryOp.ADD, v, t1, v);

        // m̂, dividing by the scalars as Keras does (a true division, not a multiplication by the inverse)
        d.affine(m, uT1, 0f, t1);
        d.fill(t3, 1f - uProductNext);
        d.binary(BinaryOp.DIV, t1, t3, t1);
        d.affine(g, 1f - uT, 0f, t2);
        d.fill(t3, 1f - uProduct);
        d.binary(BinaryOp.DIV, t2, t3, t2);
        d.binary(BinaryOp.ADD, t1, t2, t1);

        d.fill(t3, 1f - b2Power);
        d.binary(BinaryOp.DIV, v, t3, t2);
        d.unary(UnaryOp.SQRT, t2, t2);
        d.affine(t2, 1f, f32(epsilon), t2);
        d.affine(t1, lr, 0f, t1);
        d.binary(BinaryOp.DIV, t1, t2, t1);
        d.binary(BinaryOp.SUB, w, t1, w);
    }
}
