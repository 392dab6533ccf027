package io.rnn4j.layers.optimizers;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.optimizers.schedules.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's SGD, its update verbatim in float32 device ops:
 * <pre>
 * no momentum: w −= g · lr
 * momentum:    m = −g · lr + m · μ;  w += m  (nesterov: w += −g · lr + m · μ)
 * </pre>
 * Defaults: learning rate 0.01, momentum 0, nesterov off. Slot: "momentum" (only with momentum).
 */
public final class SGD extends Optimizer {
    private double momentum;
    private boolean nesterov;

    public SGD() {
        this(0.01);
    }

    public SGD(double learningRate) {
        super(learningRate);
    }

    public SGD(LearningRateSchedule schedule) {
        super(schedule);
    }

    public SGD momentum(double mu) {
        if (!(mu >= 0 && mu <= 1)) {
            throw new IllegalArgumentException("sgd: momentum must be in [0, 1], got " + mu);
        }
        if ((mu == 0) != (momentum == 0)) {
            checkNotBuilt("momentum");
        }
        this.momentum = mu;
        return this;
    }

    public SGD nesterov(boolean on) {
        this.nesterov = on;
        return this;
    }

    @Override
    protected String kerasClassName() {
        return "SGD";
    }

    @Override
    protected void kerasOptions(Map<String, Object> config) {
        config.put("momentum", momentum);
        config.put("nesterov", nesterov);
    }

    /** Keras 3's default name (its constructor's {@code name="sgd"}). */
    @Override
    public String kerasName() {
        return "sgd";
    }

    @Override
    protected List<String> slotNames() {
        return momentum == 0 ? List.of() : List.of("momentum");
    }

    @Override
    protected int scratchCount() {
        return 2;
    }

    @Override
    protected void update(Tensor w, Tensor g, Tensor[] s, Tensor[] scratch, float lr, long step) {
        Device d = w.device();
        Tensor t1 = scratch[0];
        if (momentum == 0) {
            d.affine(g, lr, 0f, t1);
            d.binary(BinaryOp.SUB, w, t1, w);
            return;
        }
        Tensor m = s[0];
        Tensor t2 = scratch[1];
        float mu = f32(momentum);
        d.affine(g, -lr, 0f, t1);
        d.affine(m, mu, 0f, m);
        d.binary(BinaryOp.ADD, t1, m, m);
        if (nesterov) {
            d.affine(m, mu, 0f, t2);
            d.binary(BinaryOp.ADD, t1, t2, t2);
            d.binary(BinaryOp.ADD, w, t2, w);
        } else {
            d.binary(BinaryOp.ADD, w, m, w);
        }
    }
}
