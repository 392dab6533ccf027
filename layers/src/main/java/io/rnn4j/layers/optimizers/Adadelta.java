package io.rnn4j.layers.optimizers;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.optimizers.schedules.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's Adadelta (Zeiler 2012, with a learning rate), its update verbatim in float32 device ops
 * (keras/src/optimizers/adadelta.py):
 * <pre>
 * a_g = ρ · a_g + (1 − ρ) · g²
 * Δ = −(sqrt(a_Δ + ε) · g) / sqrt(a_g + ε)      (a_Δ as before this step)
 * a_Δ = ρ · a_Δ + (1 − ρ) · Δ²
 * w += lr · Δ
 * </pre>
 * Defaults: learning rate 0.001 (Keras's; the paper's form is 1.0), ρ 0.95, ε 1e-7. Slots:
 * "accumulated_grad" and "accumulated_delta_var", interleaved weight by weight as Keras creates them.
 */
public final class Adadelta extends Optimizer {
    private double rho = 0.95;
    private double epsilon = 1e-7;

    /** Keras's {@code Adadelta()}: learning rate 0.001. */
    public Adadelta() {
        this(0.001);
    }

    /** Keras's {@code Adadelta(learning_rate=learningRate)}. */
    public Adadelta(double learningRate) {
        super(learningRate);
    }

    /** Keras's {@code Adadelta(learning_rate=schedule)}. */
    public Adadelta(LearningRateSchedule schedule) {
        super(schedule);
    }

    /** The decay of both running averages (Keras's rho), in [0, 1]. */
    public Adadelta rho(double r) {
        this.rho = OptionChecks.closedUnitInterval(kerasName(), "rho", r);
        return this;
    }

    /** Added inside both square roots (Keras's epsilon), >= 0 and finite. */
    public Adadelta epsilon(double e) {
        this.epsilon = OptionChecks.nonNegative(kerasName(), "epsilon", e);
        return this;
    }

    /** Keras 3's default name for Adadelta. */
    @Override
    public String kerasName() {
        return "adadelta";
    }

    @Override
    protected String kerasClassName() {
        return "Adadelta";
    }

    @Override
    protected void kerasOptions(Map<String, Object> config) {
        config.put("rho", rho);
        config.put("epsilon", epsilon);
    }

    @Override
    protected List<String> slotNames() {
        return List.of("accumulated_grad", "accumulated_delta_var");
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
        Tensor accGrad = s[0];
        Tensor accDelta = s[1];
        Tensor t1 = scratch[0];
        Tensor t2 = scratch[1];
        float r = f32(rho);
        float oneMinusRho = f32(1 - rho);
        float eps = f32(epsilon);

        d.affine(accDelta, 1f, eps, t1);
        d.unary(UnaryOp.SQRT, t1, t1);
        d.binary(BinaryOp.MUL, t1, g, t1);

        d.affine(accGrad, r, 0f, accGrad);
        d.unary(UnaryOp.SQUARE, g, t2);
        d.affine(t2, oneMinusRho, 0f, t2);
        d.binary(BinaryOp.ADD, accGrad, t2, accGrad);

        // t1 = −Δ: the sign only flips, so Δ² and w + lr·Δ = w − lr·(−Δ) are Keras's bits.
        d.affine(accGrad, 1f, eps, t2);
        d.unary(UnaryOp.SQRT, t2, t2);
        d.binary(BinaryOp.DIV, t1, t2, t1);

        d.affine(accDelta, r, 0f, accDelta);
        d.unary(UnaryOp.SQUARE, t1, t2);
        d.affine(t2, oneMinusRho, 0f, t2);
        d.binary(BinaryOp.ADD, accDelta, t2, accDelta);

        d.affine(t1, lr, 0f, t1);
        d.binary(BinaryOp.SUB, w, t1, w);
    }
}
