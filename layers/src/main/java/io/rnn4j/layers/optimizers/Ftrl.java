package io.rnn4j.layers.optimizers;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.optimizers.schedules.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's FTRL-proximal (McMahan et al. 2013), its dense update verbatim in float32 device ops
 * (keras/src/optimizers/ftrl.py), with p = −learning_rate_power:
 * <pre>
 * l2' = λ2 + β / (2 · lr)
 * n' = n + g²
 * z += (g + 2·λ2shrink · w) − ((n'^p − n^p) / lr) · w
 * w = (clip(z, −λ1, λ1) − z) / (n'^p / lr + 2 · l2')
 * n = n'
 * </pre>
 * Defaults: learning rate 0.001, learning_rate_power −0.5, initial accumulator value 0.1, the
 * l1, l2 and l2-shrinkage strengths 0, β 0. Slots: "accumulator" (n, starting at the initial
 * accumulator value) and "linear" (z), interleaved weight by weight as Keras creates them.
 *
 * <p>n^p is a square root for Keras's default p = 0.5, n itself for p = 1 and 1 for p = 0, exactly
 * as a float32 power gives them; other powers are exp(p · ln n) from the device's ops (it has no
 * power op), within a few float32 roundings of Keras's power.
 */
public final class Ftrl extends Optimizer {
    private double learningRatePower = -0.5;
    private double initialAccumulatorValue = 0.1;
    private double l1 = 0.0;
    private double l2 = 0.0;
    private double l2Shrinkage = 0.0;
    private double beta = 0.0;

    /** Keras's {@code Ftrl()}: learning rate 0.001. */
    public Ftrl() {
        this(0.001);
    }

    /** Keras's {@code Ftrl(learning_rate=learningRate)}. */
    public Ftrl(double learningRate) {
        super(learningRate);
    }

    /** Keras's {@code Ftrl(learning_rate=schedule)}. */
    public Ftrl(LearningRateSchedule schedule) {
        super(schedule);
    }

    /**
     * How the per-coordinate rate falls with the accumulator (Keras's learning_rate_power): <= 0
     * and finite, 0 for a fixed rate.
     */
    public Ftrl learningRatePower(double p) {
        if (!(p <= 0) || Double.isInfinite(p)) {
            throw new IllegalArgumentException(kerasName() + ": learning_rate_power must be <= 0 and finite, got " + p);
        }
        this.learningRatePower = p;
        return this;
    }

    /** Where the accumulators start (Keras's initial_accumulator_value), >= 0; set before the first update. */
    public Ftrl initialAccumulatorValue(double v) {
        OptionChecks.nonNegative(kerasName(), "initial_accumulator_value", v);
        if (v != initialAccumulatorValue) {
            checkNotBuilt("initial_accumulator_value");
        }
        this.initialAccumulatorValue = v;
        return this;
    }

    /** The L1 strength λ1 (Keras's l1_regularization_strength), >= 0: |z| <= λ1 sets the weight to 0. */
    public Ftrl l1RegularizationStrength(double v) {
        this.l1 = OptionChecks.nonNegative(kerasName(), "l1_regularization_strength", v);
        return this;
    }

    /** The stabilizing L2 strength λ2 (Keras's l2_regularization_strength), >= 0. */
    public Ftrl l2RegularizationStrength(double v) {
        this.l2 = OptionChecks.nonNegative(kerasName(), "l2_regularization_strength", v);
        return this;
    }

    /**
     * The L2 penalty on the weight's magnitude, added to the gradient (Keras's
     * l2_shrinkage_regularization_strength), >= 0.
     */
    public Ftrl l2ShrinkageRegularizationStrength(double v) {
        this.l2Shrinkage = OptionChecks.nonNegative(kerasName(), "l2_shrinkage_regularization_strength", v);
        return this;
    }

    /** The paper's β (Keras's beta), >= 0: adds β / (2·lr) to the L2 strength. */
    public Ftrl beta(double v) {
        this.beta = OptionChecks.nonNegative(kerasName(), "beta", v);
        return this;
    }

    /** Keras 3's default name for Ftrl. */
    @Override
    public String kerasName() {
        return "ftrl";
    }

    @Override
    protected String kerasClassName() {
        return "Ftrl";
    }

    @Override
    protected void kerasOptions(Map<String, Object> config) {
        config.put("learning_rate_power", learningRatePower);
        config.put("initial_accumulator_value", initialAccumulatorValue);
        config.put("l1_regularization_strength", l1);
        config.put("l2_regularization_strength", l2);
        config.put("l2_shrinkage_regularization_strength", l2Shrinkage);
        config.put("beta", beta);
    }

    @Override
    protected List<String> slotNames() {
        return List.of("accumulator", "linear");
    }

    @Override
    protected List<List<String>> kerasSlotGroups() {
        return List.of(slotNames());
    }

    @Override
    protected float initialSlotValue(String name) {
        return name.equals("accumulator") ? f32(initialAccumulatorValue) : 0f;
    }

    @Override
    protected int scratchCount() {
        return 4;
    }

    @Override
    protected void update(Tensor w, Tensor g, Tensor[] s, Tensor[] scratch, float lr, long step) {
        Device d = w.device();
        Tensor accum = s[0];
        Tensor linear = s[1];
        Tensor newAccum = scratch[0];
        Tensor powNew = scratch[1];
        Tensor t3 = scratch[2];
        Tensor t4 = scratch[3];
        float p = f32(-learningRatePower);
        // Keras: l2_reg = l2 + beta / (2.0 * lr), a float32 scalar since lr is one.
        float l2Reg = f32(l2) + f32(beta) / (2f * lr);

        d.unary(UnaryOp.SQUARE, g, newAccum);
        d.binary(BinaryOp.ADD, accum, newAccum, newAccum);
        power(d, newAccum, p, powNew);
        power(d, accum, p, t3);
        d.binary(BinaryOp.SUB, powNew, t3, t3);
        d.fill(t4, lr);
        d.binary(BinaryOp.DIV, t3, t4, t3);
        d.binary(BinaryOp.MUL, t3, w, t3);
        d.affine(w, f32(2 * l2Shrinkage), 0f, t4);
        d.binary(BinaryOp.ADD, g, t4, t4);
        d.binary(BinaryOp.SUB, t4, t3, t4);
        d.binary(BinaryOp.ADD, linear, t4, linear);

        d.fill(t4, lr);
        d.binary(BinaryOp.DIV, powNew, t4, powNew);
        d.affine(powNew, 1f, 2f * l2Reg, powNew);

        d.fill(t4, -f32(l1));
        d.binary(BinaryOp.MAX, linear, t4, t3);
        d.fill(t4, f32(l1));
        d.binary(BinaryOp.MIN, t3, t4, t3);
        d.binary(BinaryOp.SUB, t3, linear, t3);
        d.binary(BinaryOp.DIV, t3, powNew, w);
        d.copy(newAccum, accum);
    }

    /** out = x^p for x >= 0 and p >= 0, with the powers Keras's defaults use exact. */
    private static void power(Device d, Tensor x, float p, Tensor out) {
        if (p == 0f) {
            d.fill(out, 1f);
        } else if (p == 0.5f) {
            d.unary(UnaryOp.SQRT, x, out);
        } else if (p == 1f) {
            d.copy(x, out);
        } else {
            d.unary(UnaryOp.LOG, x, out);
            d.affine(out, p, 0f, out);
            d.unary(UnaryOp.EXP, out, out);
        }
    }
}
