package io.rnn4j.layers.autograd;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.ReduceOp;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;

/** The backward of NumPy broadcasting: sums a gradient over the axes an input was broadcast along. */
final class Broadcasting {
    private Broadcasting() {
    }

    /** {@code g} (the broadcast shape) summed down to {@code target}; g itself when no axis was broadcast. */
    static Tensor reduceTo(Tensor g, Shape target) {
        if (g.shape().equals(target)) {
            return g;
        }
        Device d = g.device();
        int rank = g.rank();
        int pad = rank - target.rank();
        Tensor t = g;
        for (int axis = 0; axis < rank; axis++) {
            int want = axis < pad ? 1 : target.dim(axis - pad);
            if (want == 1 && t.dim(axis) != 1) {
                Tensor r = d.zeros(t.shape().with(axis, 1));
                d.reduce(ReduceOp.SUM, t, axis, r);
                t = r;
            }
        }
        return t.reshape(target.dims());
    }
}
