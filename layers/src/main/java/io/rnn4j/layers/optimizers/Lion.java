package io.rnn4j.layers.optimizers;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.optimizers.schedules.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's Lion (Chen et al. 2023), its update verbatim in float32 device ops
 * (keras/src/optimizers/lion.py):
 * <pre>
 * w −= lr · sign(m · β1 + g · (1 − β1))
 * m = m · β2 + g · (1 − β2)
 * </pre>
 * where β1 and β2 are float32 values (1 − β1 is computed in float32) and sign(0) = 0.
 * Defaults: learning rate 0.001, β1 0.9, β2 0.99. Slot: "momentum".
 */
public final class Lion extends Optimizer {
    /** 2^127: twice applied it takes the smallest subnormal past 1, so hard_tanh of the product is the sign. */
    private static final float SIGN_SCALE = 0x1p127f;

    private double beta1 = 0.9;
    private double beta2 = 0.99;

    /** Keras's {@code Lion()}: learning rate 0.001. */
    public Lion() {
        this(0.001);
    }

    /** Keras's {@code Lion(learning_rate=learningRate)}. */
    public Lion(double learningRate) {
        super(learningRate);
    }

    /** Keras's {@code Lion(learning_rate=schedule)}. */
    public Lion(LearningRateSchedule schedule) {
        super(schedule);
    }

    /**
     * How much of the momentum goes into the update's sign (Keras's beta_1), in (0, 1]: Keras
     * refuses 0, with which Lion degenerates to SignSGD.
     */
    public Lion beta1(double b) {
        if (!(b > 0 && b <= 1)) {
            throw new IllegalArgumentException(kerasName() + ": beta_1 must be in (0, 1] (0 degenerates to "
                    + "SignSGD), got " + b);
        }
        this.beta1 = b;
        return this;
    }

    /** The decay of the momentum (Keras's beta_2), in [0, 1]. */
    public Lion beta2(double b) {
        this.beta2 = OptionChecks.closedUnitInterval(kerasName(), "beta_2", b);
        return this;
    }

    /** Keras 3's default name for Lion. */
    @Override
    public String kerasName() {
        return "lion";
    }

    @Override
    protected String kerasClassName() {
        return "Lion";
    }

    @Override
    protected void kerasOptions(Map<String, Object> config) {
        config.put("beta_1", beta1);
        config.put("beta_2", beta2);
    }

    @Override
    protected List<String> slotNames() {
        return List.of("momentum");
    }

    @Override
    protected int scratchCount() {
        return 2;
    }

    @Override
    protected void update(Tensor w, Tensor g, Tensor[] s, Tensor[] scratch, float lr, long step) {
        Device d = w.device();
        Tensor m = s[0];
        Tensor t1 = scratch[0];
        Tensor t2 = scratch[1];
        float b1 = f32(beta1);
        float b2 = f32(beta2);

        d.affine(m, b1, 0f, t1);
        d.affine(g, 1f - b1, 0f, t2);
        d.binary(BinaryOp.ADD, t1, t2, t1);
        sign(d, t1);
        d.affine(t1, lr, 0f, t1);
        d.binary(BinaryOp.SUB, w, t1, w);

        d.affine(m, b2, 0f, m);
        d.affine(g, 1f - b2, 0f, t2);
        d.binary(BinaryOp.ADD, m, t2, m);
    }

    /**
     * sign(x) in place from the device's ops (it has no sign op): scaled by 2^254 every nonzero
     * float is at least 1 in magnitude (or infinite), which hard_tanh clips to ±1; 0 stays 0, NaN NaN.
     */
    private static void sign(Device d, Tensor x) {
        d.affine(x, SIGN_SCALE, 0f, x);
        d.affine(x, SIGN_SCALE, 0f, x);
        d.unary(UnaryOp.HARD_TANH, x, x);
    }
}
