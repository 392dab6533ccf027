package io.rnn4j.layers.optimizers;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.optimizers.schedules.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's Adamax (Adam with the infinity norm), its update verbatim in float32 device ops
 * (keras/src/optimizers/adamax.py):
 * <pre>
 * m += (g − m) · (1 − β1)
 * u = max(β2 · u, |g|)
 * w −= (lr · m) / ((1 − β1^t) · (u + ε))
 * </pre>
 * Defaults: learning rate 0.001, β1 0.9, β2 0.999, ε 1e-7. Slots: "momentum" (m) and "norm" (u),
 * interleaved weight by weight as Keras creates them.
 */
public final class Adamax extends Optimizer {
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-7;

    /** Keras's {@code Adamax()}: learning rate 0.001. */
    public Adamax() {
        this(0.001);
    }

    /** Keras's {@code Adamax(learning_rate=learningRate)}. */
    public Adamax(double learningRate) {
        super(learningRate);
    }

    /** Keras's {@code Adamax(learning_rate=schedule)}. */
    public Adamax(LearningRateSchedule schedule) {
        super(schedule);
    }

    /** The decay of the first moment (Keras's beta_1), in [0, 1). */
    public Adamax beta1(double b) {
        this.beta1 = OptionChecks.unitInterval(kerasName(), "beta_1", b);
        return this;
    }

    /** The decay of the infinity norm (Keras's beta_2), in [0, 1). */
    public Adamax beta2(double b) {
        this.beta2 = OptionChecks.unitInterval(kerasName(), "beta_2", b);
        return this;
    }

    /** Added to the norm before dividing (Keras's epsilon), >= 0 and finite. */
    public Adamax epsilon(double e) {
        this.epsilon = OptionChecks.nonNegative(kerasName(), "epsilon", e);
        return this;
    }

    /** Keras 3's default name for Adamax. */
    @Override
    public String kerasName() {
        return "adamax";
    }

    @Override
    protected String kerasClassName() {
        return "Adamax";
    }

    @Override
    protected void kerasOptions(Map<String, Object> config) {
        config.put("beta_1", beta1);
        config.put("beta_2", beta2);
        config.put("epsilon", epsilon);
    }

    @Override
    protected List<String> slotNames() {
        return List.of("momentum", "norm");
    }

    @Override
    protected List<List<String>> kerasSlotGroups() {
        return List.of(slotNames());
    }

    @Override
    protected int scratchCount() {
        return 2;
    }

    @Override
    protected void update(Tensor w, Tensor g, Tensor[] s, Tensor[] scratch, float lr, long step) {
        Device d = w.device();
        Tensor m = s[0];
        Tensor u = s[1];
        Tensor t1 = scratch[0];
        Tensor t2 = scratch[1];
        // Keras: beta_1_power = power(float32(beta_1), float32(iterations + 1)); (1 - beta_1) stays a Python float.
        float b1Power = (float) Math.pow(f32(beta1), (float) step);

        d.binary(BinaryOp.SUB, g, m, t1);
        d.affine(t1, f32(1 - beta1), 0f, t1);
        d.binary(BinaryOp.ADD, m, t1, m);

        d.affine(u, f32(beta2), 0f, u);
        d.unary(UnaryOp.ABS, g, t1);
        d.binary(BinaryOp.MAX, u, t1, u);

        d.affine(m, lr, 0f, t1);
        d.affine(u, 1f, f32(epsilon), t2);
        d.affine(t2, 1f - b1Power, 0f, t2);
        d.binary(BinaryOp.DIV, t1, t2, t1);
        d.binary(BinaryOp.SUB, w, t1, w);
    }
}
