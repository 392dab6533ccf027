package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras's GlobalAveragePooling1D: the mean over the steps of {@code (batch, steps, features)}
 * ("channels_last", the default) or {@code (batch, features, steps)} ("channels_first"), giving
 * {@code (batch, features)}, or the steps axis kept as 1 with keepdims.
 *
 * <p>With a Keras mask (an Embedding's mask_zero, Masking, a recurrent layer returning sequences)
 * masked steps are left out: the sum of the unmasked steps over their count, as Keras 3's
 * {@code call}. A row whose steps are all masked is 0/0, NaN, as in Keras. The output carries no
 * mask (Keras's compute_mask returns None).
 */
public final class GlobalAveragePooling1D extends GlobalPooling1D {

    /** Keras's defaults: channels_last, keepdims false. */
    public GlobalAveragePooling1D() {
        this(DataFormat.CHANNELS_LAST, false);
    }

    /**
     * @param dataFormat "channels_last" or "channels_first" (any case; null is channels_last)
     * @param keepdims   whether the steps axis is kept with length 1
     * @throws IllegalArgumentException for another data_format, naming the layer
     */
    public GlobalAveragePooling1D(String dataFormat, boolean keepdims) {
        super("global_average_pooling1d", dataFormat, keepdims);
    }

    @Override
    protected Variable forward(Variable x, Tensor mask, CallContext ctx) {
        int steps = stepsAxis();
        if (mask == null) {
            return Ops.mean(x, steps, keepdims());
        }
        checkMask(mask, x.shape());
        Device d = x.device();
        int batch = x.dim(0);
        Tensor m = mask.reshape(steps == 1 ? new int[] {batch, x.dim(1), 1} : new int[] {batch, 1, x.dim(2)});
        Tensor count = d.zeros(batch, 1, 1);
        d.reduce(ReduceOp.SUM, m, steps, count);
        // Keras's where(mask, x, 0): a masked step holding NaN or ±∞ is left out too, and gets no gradient.
        Variable kept = Ops.where(m, x, Variable.constant(d.zeros(x.shape())));
        Variable sum = Ops.sum(kept, steps, keepdims());
        return Ops.div(sum, Variable.constant(keepdims() ? count : count.reshape(batch, 1)));
    }

    /** No mask after pooling, as Keras. */
    @Override
    public Tensor computeMask(Variable x, Tensor mask) {
        return null;
    }
}
