package io.rnn4j.layers.optimizers;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.optimizers.schedules.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's Adam, its update verbatim in float32 device ops:
 * <pre>
 * alpha = lr · sqrt(1 − β2^t) / (1 − β1^t)
 * m += (g − m) · (1 − β1)
 * v += (g² − v) · (1 − β2)
 * v̂ = max(v̂, v) (amsgrad only; then v̂ replaces v below)
 * w −= (m · alpha) / (sqrt(v) + ε)
 * </pre>
 * Defaults: learning rate 0.001, β1 0.9, β2 0.999, ε 1e-7 (Keras 3; tf.keras also used 1e-7).
 * Slots: "momentum" (m) and "velocity" (v), and "velocity_hat" (v̂) with amsgrad.
 */
public sealed class Adam extends Optimizer permits AdamW {
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-7;
    private boolean amsgrad;

    public Adam() {
        this(0.001);
    }

    public Adam(double learningRate) {
        super(learningRate);
    }

    public Adam(LearningRateSchedule schedule) {
        super(schedule);
    }

    public Adam beta1(double b) {
        this.beta1 = checkBeta(b, "beta_1");
        return this;
    }

    public Adam beta2(double b) {
        this.beta2 = checkBeta(b, "beta_2");
        return this;
    }

    public Adam epsilon(double e) {
        if (!(e >= 0)) {
            throw new IllegalArgumentException(kerasName() + ": epsilon must be >= 0, got " + e);
        }
        this.epsilon = e;
        return this;
    }

    /** AMSGrad: divide by the running maximum of v (set before the first update). */
    public Adam amsgrad(boolean on) {
        if (on != amsgrad) {
            checkNotBuilt("amsgrad");
        }
        this.amsgrad = on;
        return this;
    }

    private double checkBeta(double b, String name) {
        if (!(b >= 0 && b < 1)) {
            throw new IllegalArgumentException(kerasName() + ": " + name + " must be in [0, 1), got " + b);
        }
        return b;
    }

    @Override
    public String kerasName() {
        return "adam";
    }

    @Override
    protected String kerasClassName() {
        return "Adam";
    }

    @Override
    protected void kerasOptions(Map<String, Object> config) {
        config.put("beta_1", beta1);
        config.put("beta_2", beta2);
        config.put("epsilon", epsilon);
        config.put("amsgrad", amsgrad);
    }

    @Override
    protected List<String> slotNames() {
        return amsgrad ? List.of("momentum", "velocity", "velocity_hat") : List.of("momentum", "velocity");
    }

    @Override
    protected List<List<String>> kerasSlotGroups() {
        List<String> first = List.of("momentum", "velocity");
        return amsgrad ? List.of(first, List.of("velocity_hat")) : List.of(first);
    }

    @Override
    protected int scratchCount() {
        return 2;
    }

    @Override
    protected void update(Tensor w, Tensor g, Tensor[] s, Tensor[] scratch, float lr, long step) {
        Device d = w.device();
        Tensor m = s[0];
        Tensor v = s[1];
        Tensor t1 = scratch[0];
        Tensor t2 = scratch[1];
        float b1Power = (float) Math.pow(f32(beta1), step);
        float b2Power = (float) Math.pow(f32(beta2), step);
        float alpha = lr * (float) Math.sqrt(1f - b2Power) / (1f - b1Power);

        d.binary(BinaryOp.SUB, g, m, t1);
        d.affine(t1, f32(1 - beta1), 0f, t1);
        d.binary(BinaryOp.ADD, m, t1, m);

        d.unary(UnaryOp.SQUARE, g, t1);
        d.binary(BinaryOp.SUB, t1, v, t1);
        d.affine(t1, f32(1 - beta2), 0f, t1);
        d.binary(BinaryOp.ADD, v, t1, v);

        Tensor second = v;
        if (amsgrad) {
            Tensor vHat = s[2];
            d.binary(BinaryOp.MAX, vHat, v, vHat);
            second = vHat;
        }
        d.affine(m, alpha, 0f, t1);
        d.unary(UnaryOp.SQRT, second, t2);
        d.affine(t2, 1f, f32(epsilon), t2);
        d.binary(BinaryOp.DIV, t1, t2, t1);
        d.binary(BinaryOp.SUB, w, t1, w);
    }
}
