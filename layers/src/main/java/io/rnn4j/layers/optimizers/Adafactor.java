package io.rnn4j.layers.optimizers;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.optimizers.schedules.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's Adafactor (Shazeer and Stern 2018), its update verbatim in float32 device ops
 * (keras/src/optimizers/adafactor.py). Per weight w of gradient g, at step t:
 * <pre>
 * ρ = min(lr, 1/√t)                     α = max(ε2, rms(w)) · ρ          β = 1 − t^beta_2_decay
 * G = g² + ε1
 * rank ≥ 2: r = β·r + (1−β)·mean(G, axis −1)      c = β·c + (1−β)·mean(G, axis −2)
 *           v = (r / mean(r, axis −1))[..., :, None] · c[..., None, :]
 * rank &lt; 2: v = β·v + (1−β)·G
 * u = g / √v        û = u / max(1, rms(u) / clip_threshold)        w −= α · û
 * </pre>
 * where rms(x) = √mean(x²) over all of x, taken on w after weight decay. So the second moment of
 * a matrix (of the last two axes of a higher-rank weight) is kept factored: a row accumulator r
 * (the weight's shape without its last axis) and a column accumulator c (without its second to
 * last); v is rebuilt from them at every step.
 *
 * <p>Slots, in Keras's variable order, interleaved weight by weight: "r", "c" (Keras names both
 * after the weight) and "velocity" (the weight's shape). For a weight of rank 0 or 1 Keras does
 * not factor, but still creates r and c as placeholders: scalars holding 0 that no step touches;
 * they are kept here (as float32 zeros of shape ()) so that saved states line up with Keras's.
 *
 * <p>relative_step is kept for get_config only: Keras's ρ takes min(lr, 1/√t) whatever its value
 * (relative_step=True applies the same min once more to a fixed rate, which changes nothing).
 * Defaults: learning rate 0.001, beta_2_decay −0.8, epsilon_1 1e-30, epsilon_2 1e-3,
 * clip_threshold 1.0, relative_step true.
 */
public final class Adafactor extends Optimizer {
    private static final int ROW = 2;
    private static final int COLUMN = 3;
    private static final int ROW_MEAN = 4;
    private static final int SCALAR = 5;

    private double beta2Decay = -0.8;
    private double epsilon1 = 1e-30;
    private double epsilon2 = 1e-3;
    private double clipThreshold = 1.0;
    private boolean relativeStep = true;

    /** Keras's {@code Adafactor()}: learning rate 0.001. */
    public Adafactor() {
        this(0.001);
    }

    /** Keras's {@code Adafactor(learning_rate=learningRate)}. */
    public Adafactor(double learningRate) {
        super(learningRate);
    }

    /** Keras's {@code Adafactor(learning_rate=schedule)}. */
    public Adafactor(LearningRateSchedule schedule) {
        super(schedule);
    }

    /**
     * How fast the second-moment decay β = 1 − t^beta_2_decay approaches 1 (Keras's beta_2_decay),
     * <= 0 and finite: a positive value would make β negative and the second moment negative.
     */
    public Adafactor beta2Decay(double d) {
        this.beta2Decay = OptionChecks.nonPositive(kerasName(), "beta_2_decay", d);
        return this;
    }

    /** Added to g² before it is accumulated (Keras's epsilon_1), >= 0 and finite. */
    public Adafactor epsilon1(double e) {
        this.epsilon1 = OptionChecks.nonNegative(kerasName(), "epsilon_1", e);
        return this;
    }

    /** The least weight RMS the step scales with (Keras's epsilon_2), >= 0 and finite. */
    public Adafactor epsilon2(double e) {
        this.epsilon2 = OptionChecks.nonNegative(kerasName(), "epsilon_2", e);
        return this;
    }

    /**
     * The RMS above which the update u is scaled down (Keras's clip_threshold; Adafactor's own,
     * apart from clipnorm, clipvalue and global_clipnorm), > 0 and finite.
     */
    public Adafactor clipThreshold(double c) {
        this.clipThreshold = OptionChecks.positive(kerasName(), "clip_threshold", c);
        return this;
    }

    /**
     * Keras's relative_step, kept for get_config: in Keras 3 the step size is min(lr, 1/√t) either
     * way (see the class comment).
     */
    public Adafactor relativeStep(boolean r) {
        this.relativeStep = r;
        return this;
    }

    /** Keras 3's default name for Adafactor. */
    @Override
    public String kerasName() {
        return "adafactor";
    }

    @Override
    protected String kerasClassName() {
        return "Adafactor";
    }

    @Override
    protected void kerasOptions(Map<String, Object> config) {
        config.put("beta_2_decay", beta2Decay);
        config.put("epsilon_1", epsilon1);
        config.put("epsilon_2", epsilon2);
        config.put("clip_threshold", clipThreshold);
        config.put("relative_step", relativeStep);
    }

    @Override
    protected List<String> slotNames() {
        return List.of("r", "c", "velocity");
    }

    @Override
    protected List<List<String>> kerasSlotGroups() {
        return List.of(slotNames());
    }

    /** r drops the last axis, c the second to last; both are placeholder scalars below rank 2, as in Keras. */
    @Override
    protected Shape slotShape(String name, Shape weight) {
        return switch (name) {
            case "r" -> weight.rank() >= 2 ? weight.without(-1) : Shape.of();
            case "c" -> weight.rank() >= 2 ? weight.without(-2) : Shape.of();
            default -> weight;
        };
    }

    @Override
    protected int scratchCount() {
        return 6;
    }

    /**
     * Two of the weight's shape (G, then u; and a work tensor), the row and column means (of r's
     * and c's shapes), the mean of r along its last axis (kept as size 1), and a scalar.
     */
    @Override
    protected Shape scratchShape(int i, Shape weight) {
        boolean factored = weight.rank() >= 2;
        return switch (i) {
            case ROW -> slotShape("r", weight);
            case COLUMN -> slotShape("c", weight);
            case ROW_MEAN -> factored ? weight.without(-1).with(-1, 1) : Shape.of();
            case SCALAR -> Shape.of();
            default -> weight;
        };
    }

    @Override
    protected void update(Tensor w, Tensor g, Tensor[] s, Tensor[] scratch, float lr, long step) {
        Device d = w.device();
        Tensor sq = scratch[0];
        Tensor work = scratch[1];
        Tensor scalar = scratch[SCALAR];
        float t = (float) step;
        float rho = Math.min(lr, 1f / (float) Math.sqrt(t));
        float alpha = Math.max(f32(epsilon2), rms(d, w, work, scalar)) * rho;
        float beta = 1f - (float) Math.pow(t, f32(beta2Decay));  // a float32 power, as ops.power(local_step, ...)

        d.unary(UnaryOp.SQUARE, g, sq);
        d.affine(sq, 1f, f32(epsilon1), sq);
        Tensor v = s[2];
        if (w.rank() >= 2) {
            Tensor r = s[0];
            Tensor c = s[1];
            Tensor rowMean = scratch[ROW];
            Tensor columnMean = scratch[COLUMN];
            int rows = w.dim(-2);
            int columns = w.dim(-1);
            mean(d, sq, -1, columns, rowMean, scalar);
            decay(d, r, rowMean, beta);
            mean(d, sq, -2, rows, columnMean, scalar);
            decay(d, c, columnMean, beta);
            // v = (r / mean(r, -1))[..., :, None] · c[..., None, :], the outer product of the factors
            mean(d, r, -1, rows, scratch[ROW_MEAN], scalar);
            d.binary(BinaryOp.DIV, r, scratch[ROW_MEAN], rowMean);
            d.binary(BinaryOp.MUL, rowMean.reshape(w.shape().with(-1, 1).dims()),
                    c.reshape(w.shape().with(-2, 1).dims()), v);
        } else {
            decay(d, v, sq, beta);
        }

        Tensor u = sq;
        d.unary(UnaryOp.SQRT, v, work);
        d.binary(BinaryOp.DIV, g, work, u);
        // û = u / max(1, rms(u) / clip_threshold): a division, as Keras's, not a product with its inverse
        d.fill(scalar, Math.max(1f, rms(d, u, work, scalar) / f32(clipThreshold)));
        d.binary(BinaryOp.DIV, u, scalar, u);
        d.affine(u, alpha, 0f, u);
        d.binary(BinaryOp.SUB, w, u, w);
    }

    /** {@code acc = β·acc + (1−β)·x}, as Keras's two products and a sum; x is overwritten. */
    private static void decay(Device d, Tensor acc, Tensor x, float beta) {
        d.affine(acc, beta, 0f, acc);
        d.affine(x, 1f - beta, 0f, x);
        d.binary(BinaryOp.ADD, acc, x, acc);
    }

    /** {@code out = mean(x, axis)} as JAX's mean: the sum, then divided by the count (n, x's length there). */
    private static void mean(Device d, Tensor x, int axis, int n, Tensor out, Tensor scalar) {
        d.reduce(ReduceOp.SUM, x, axis, out);
        d.fill(scalar, n);
        d.binary(BinaryOp.DIV, out, scalar, out);
    }

    /** √mean(x²) over all of x (Keras's {@code _rms}), through {@code work} (x's shape) and scalar {@code sum}. */
    private static float rms(Device d, Tensor x, Tensor work, Tensor sum) {
        d.unary(UnaryOp.SQUARE, x, work);
        d.reduce(ReduceOp.SUM, work.reshape(Math.toIntExact(work.size())), 0, sum);
        return (float) Math.sqrt(sum.item() / (float) x.size());
    }
}
