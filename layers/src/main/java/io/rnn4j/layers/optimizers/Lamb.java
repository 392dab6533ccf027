package io.rnn4j.layers.optimizers;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.optimizers.schedules.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's Lamb (layer-wise adaptive moments, You et al. 2019), its update verbatim in float32
 * device ops (keras/src/optimizers/lamb.py). Per weight, at step t:
 * <pre>
 * m += (g − m) · (1 − β1)
 * v += (g² − v) · (1 − β2)
 * r = (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + ε)
 * ratio = ‖w‖ / ‖r‖ when both norms are > 0, else 1     (L2 norms over the whole weight)
 * w −= (ratio · lr) · r
 * </pre>
 * As in Keras, 1 − β1 and 1 − β2 are computed in double and then rounded to float32, while β^t is
 * a float32 power; ‖w‖ is taken after weight decay, before the update. A NaN norm compares false,
 * so it gives ratio 1, as Keras's {@code where(greater(norm, 0), ...)} does. Defaults: learning
 * rate 0.001, β1 0.9, β2 0.999, ε 1e-7. Slots: "momentum" and "velocity", interleaved weight by
 * weight as Keras creates them.
 */
public final class Lamb extends Optimizer {
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-7;

    /** Keras's {@code Lamb()}: learning rate 0.001. */
    public Lamb() {
        this(0.001);
    }

    /** Keras's {@code Lamb(learning_rate=learningRate)}. */
    public Lamb(double learningRate) {
        super(learningRate);
    }

    /** Keras's {@code Lamb(learning_rate=schedule)}. */
    public Lamb(LearningRateSchedule schedule) {
        super(schedule);
    }

    /** The decay of the first moment (Keras's beta_1), in [0, 1). */
    public Lamb beta1(double b) {
        this.beta1 = OptionChecks.unitInterval(kerasName(), "beta_1", b);
        return this;
    }

    /** The decay of the second moment (Keras's beta_2), in [0, 1). */
    public Lamb beta2(double b) {
        this.beta2 = OptionChecks.unitInterval(kerasName(), "beta_2", b);
        return this;
    }

    /** Added to sqrt(v̂) before dividing (Keras's epsilon), >= 0 and finite. */
    public Lamb epsilon(double e) {
        this.epsilon = OptionChecks.nonNegative(kerasName(), "epsilon", e);
        return this;
    }

    /** Keras 3's default name for Lamb. */
    @Override
    public String kerasName() {
        return "lamb";
    }

    @Override
    protected String kerasClassName() {
        return "Lamb";
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
        // a scalar view into the third scratch tensor: the norms' sums and the bias corrections,
        // so that a step allocates nothing
        Tensor scalar = scratch[2].reshape(Math.toIntExact(scratch[2].size())).slice(0);
        float b1Power = (float) Math.pow(f32(beta1), (float) step);
        float b2Power = (float) Math.pow(f32(beta2), (float) step);

        d.binary(BinaryOp.SUB, g, m, t1);
        d.affine(t1, f32(1 - beta1), 0f, t1);
        d.binary(BinaryOp.ADD, m, t1, m);

        d.unary(UnaryOp.SQUARE, g, t1);
        d.binary(BinaryOp.SUB, t1, v, t1);
        d.affine(t1, f32(1 - beta2), 0f, t1);
        d.binary(BinaryOp.ADD, v, t1, v);

        // the update r, dividing by the bias corrections as Keras does (not multiplying by their inverses)
        d.fill(scalar, 1f - b1Power);
        d.binary(BinaryOp.DIV, m, scalar, t1);
        d.fill(scalar, 1f - b2Power);
        d.binary(BinaryOp.DIV, v, scalar, t2);
        d.unary(UnaryOp.SQRT, t2, t2);
        d.affine(t2, 1f, f32(epsilon), t2);
        d.binary(BinaryOp.DIV, t1, t2, t1);

        float wNorm = (float) Math.sqrt(sumOfSquares(d, w, t2, scalar));
        float rNorm = (float) Math.sqrt(sumOfSquares(d, t1, t2, scalar));
        float ratio = wNorm > 0 ? (rNorm > 0 ? wNorm / rNorm : 1f) : 1f;
        d.affine(t1, ratio * lr, 0f, t1);
        d.binary(BinaryOp.SUB, w, t1, w);
    }

    /** Σx² over all of x, through {@code work} (x's shape) into {@code sum} (a scalar). */
    private static float sumOfSquares(Device d, Tensor x, Tensor work, Tensor sum) {
        d.unary(UnaryOp.SQUARE, x, work);
        d.reduce(ReduceOp.SUM, work.reshape(Math.toIntExact(work.size())), 0, sum);
        return sum.item();
    }
}
