package io.rnn4j.layers.optimizers;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.optimizers.schedules.LearningRateSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's RMSprop, its update verbatim in float32 device ops:
 * <pre>
 * v = ρ·v + (1 − ρ)·g²
 * centered:  ḡ = ρ·ḡ + (1 − ρ)·g;  d = (v − ḡ²) + ε     otherwise d = v + ε
 * inc = (lr·g) / sqrt(d)
 * momentum μ > 0:  m = μ·m + inc;  w −= m               otherwise w −= inc
 * </pre>
 * Defaults: learning rate 0.001, ρ 0.9, momentum 0, ε 1e-7, not centered. Slots: "velocity",
 * "momentum" (with momentum), "average_gradient" (centered), each its own group as Keras builds them.
 */
public final class RMSprop extends Optimizer {
    private double rho = 0.9;
    private double momentum;
    private double epsilon = 1e-7;
    private boolean centered;

    public RMSprop() {
        this(0.001);
    }

    public RMSprop(double learningRate) {
        super(learningRate);
    }

    public RMSprop(LearningRateSchedule schedule) {
        super(schedule);
    }

    /** The discount of the running mean of g² (Keras's rho). */
    public RMSprop rho(double r) {
        if (!(r >= 0 && r <= 1)) {
            throw new IllegalArgumentException(kerasName() + ": rho must be in [0, 1], got " + r);
        }
        this.rho = r;
        return this;
    }

    /** Plain (not Nesterov) momentum on the increments; set before the first update. */
    public RMSprop momentum(double mu) {
        if (!(mu >= 0 && mu <= 1)) {
            throw new IllegalArgumentException(kerasName() + ": momentum must be in [0, 1], got " + mu);
        }
        if ((mu > 0) != (momentum > 0)) {
            checkNotBuilt("momentum");
        }
        this.momentum = mu;
        return this;
    }

    public RMSprop epsilon(double e) {
        if (!(e >= 0) || Double.isInfinite(e)) {
            throw new IllegalArgumentException(kerasName() + ": epsilon must be >= 0 and finite, got " + e);
        }
        this.epsilon = e;
        return this;
    }

    /** Divide by the estimated variance of g instead of its second moment; set before the first update. */
    public RMSprop centered(boolean on) {
        if (on != centered) {
            checkNotBuilt("centered");
        }
        this.centered = on;
        return this;
    }

    @Override
    protected String kerasClassName() {
        return "RMSprop";
    }

    @Override
    protected void kerasOptions(Map<String, Object> config) {
        config.put("rho", rho);
        config.put("momentum", momentum);
        config.put("epsilon", epsilon);
        config.put("centered", centered);
    }

    /** Keras 3's default name for RMSprop (its constructor's {@code name="rmsprop"}). */
    @Override
    public String kerasName() {
        return "rmsprop";
    }

    @Override
    protected List<String> slotNames() {
        List<String> names = new ArrayList<>(List.of("velocity"));
        if (momentum > 0) {
            names.add("momentum");
        }
        if (centered) {
            names.add("average_gradient");
        }
        return names;
    }

    @Override
    protected int scratchCount() {
        return 2;
    }

    @Override
    protected void update(Tensor w, Tensor g, Tensor[] s, Tensor[] scratch, float lr, long step) {
        Device d = w.device();
        Tensor v = s[0];
        Tensor t1 = scratch[0];
        Tensor t2 = scratch[1];
        float r = f32(rho);
        float oneMinusRho = f32(1 - rho);

        d.affine(v, r, 0f, v);
        d.unary(UnaryOp.SQUARE, g, t1);
        d.affine(t1, oneMinusRho, 0f, t1);
        d.binary(BinaryOp.ADD, v, t1, v);

        if (centered) {
            Tensor avg = s[momentum > 0 ? 2 : 1];
            d.affine(avg, r, 0f, avg);
            d.affine(g, oneMinusRho, 0f, t1);
            d.binary(BinaryOp.ADD, avg, t1, avg);
            d.unary(UnaryOp.SQUARE, avg, t1);
            d.binary(BinaryOp.SUB, v, t1, t1);
            d.affine(t1, 1f, f32(epsilon), t1);
        } else {
            d.affine(v, 1f, f32(epsilon), t1);
        }
        d.unary(UnaryOp.SQRT, t1, t1);
        d.affine(g, lr, 0f, t2);
        d.binary(BinaryOp.DIV, t2, t1, t2);

        if (momentum > 0) {
            Tensor m = s[1];
            d.affine(m, f32(momentum), 0f, m);
            d.binary(BinaryOp.ADD, m, t2, m);
            d.binary(BinaryOp.SUB, w, m, w);
        } else {
            d.binary(BinaryOp.SUB, w, t2, w);
        }
    }
}
