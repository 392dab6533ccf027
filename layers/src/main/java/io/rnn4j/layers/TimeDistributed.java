package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keras's TimeDistributed: the wrapped layer applied to every time step of (batch, timesteps, ...)
 * with the same weights — run once on (batch·timesteps, ...) and viewed back. Passes the mask on.
 *
 * <p>A BatchNormalization in training runs step by step instead, as Keras's loop over the steps
 * does: each step normalizes with its own batch statistics (masked by that step's mask) and updates
 * the moving statistics once, T updates in order. So does a SpectralNormalization in training: Keras
 * normalizes its kernel once per step, T power-iteration updates in order (each step's layer reads
 * the kernel as normalized then; the backward pass of earlier steps sees the last value, which
 * moves the input gradient by about the last normalization's change, ~1e-5 relative). For every
 * other layer, and for inference, one call on all steps gives the same numbers. The inner layer's
 * added losses are dropped (Keras runs its call, not __call__).
 */
public final class TimeDistributed extends Layer {
    private final Layer inner;

    public TimeDistributed(Layer inner) {
        super("time_distributed");
        this.inner = Objects.requireNonNull(inner, "inner");
        if (inner instanceof Operation) {
            // An operation in Keras, which TimeDistributed refuses (GetItem's key lives in a call, not a config).
            String what = inner instanceof GetItem ? "GetItem, Keras's x[key]" : inner.className();
            throw new IllegalArgumentException(where() + ": '" + inner.name() + "' (" + what + ") is an "
                    + "operation in Keras, not a layer; TimeDistributed takes a layer");
        }
    }

    public Layer inner() {
        return inner;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        if (in.rank() < 2) {
            throw new IllegalArgumentException(name() + ": expected an input (batch, timesteps, ...), got "
                    + batchless(in));
        }
        inner.build(in.tail(), device(), random);
        return outputShapeFor(in);
    }

    /** Any number of timesteps of the steps its layer takes. */
    @Override
    protected Shape acceptedShape() {
        Shape step = inner.acceptedShape();
        int[] d = new int[step.rank() + 1];
        d[0] = Shape.UNKNOWN;
        System.arraycopy(step.dims(), 0, d, 1, step.rank());
        return Shape.withUnknown(d);
    }

    /** Its layer's output for one step's shape, the time axis put back (Keras's compute_output_shape). */
    @Override
    protected Shape outputShapeFor(Shape in) {
        Shape o = inner.computeOutputShapes(List.of(in.tail())).get(0);
        int[] d = new int[o.rank() + 1];
        d[0] = in.dim(0);
        System.arraycopy(o.dims(), 0, d, 1, o.rank());
        return Shape.withUnknown(d);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext outer) {
        // Keras's TimeDistributed runs its layer's call(), not __call__, so the layer's own activity
        // losses (an ActivityRegularization's, an activity_regularizer's) are not added: the inner
        // layer gets a context whose added losses are dropped.
        CallContext ctx = new CallContext(outer.training(), outer.random());
        int b = x.dim(0);
        int t = x.dim(1);
        boolean perStep = inner instanceof BatchNormalization || inner instanceof SpectralNormalization;
        if (ctx.training() && perStep && t > 0) {
            return stepByStep(x, mask, ctx);
        }
        int[] flat = x.shape().tail().dims();
        flat[0] = b * t;
        Variable y = inner.call(Ops.reshape(x, flat), null, ctx);
        int[] out = new int[y.rank() + 1];
        out[0] = b;
        out[1] = t;
        System.arraycopy(y.shape().dims(), 1, out, 2, y.rank() - 1);
        return Ops.reshape(y, out);
    }

    /** The inner layer called on each step in turn, with that step's mask, the outputs stacked on axis 1. */
    private Variable stepByStep(Variable x, Tensor mask, CallContext ctx) {
        int b = x.dim(0);
        int t = x.dim(1);
        int[] stepShape = x.shape().tail().dims();
        stepShape[0] = b;
        float[] m = mask == null ? null : mask.toArray();
        Variable[] outputs = new Variable[t];
        for (int s = 0; s < t; s++) {
            Tensor stepMask = null;
            if (m != null) {
                float[] column = new float[b];
                for (int r = 0; r < b; r++) {
                    column[r] = m[r * t + s];
                }
                stepMask = x.device().tensor(column, b);
            }
            Variable y = inner.call(Ops.reshape(Ops.slice(x, 1, s, 1), stepShape), stepMask, ctx);
            int[] out = new int[y.rank() + 1];
            out[0] = b;
            out[1] = 1;
            System.arraycopy(y.shape().dims(), 1, out, 2, y.rank() - 1);
            outputs[s] = Ops.reshape(y, out);
        }
        return t == 1 ? outputs[0] : Ops.concat(1, outputs);
    }

    @Override
    public List<Weight> weights() {
        return inner.weights();
    }

    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return mask;
    }
}
