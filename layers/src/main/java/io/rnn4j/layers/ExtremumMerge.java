package io.rnn4j.layers;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/**
 * Maximum and Minimum: a binary op folded over the inputs in order, with masks as Keras 3's
 * {@code Merge._apply_merge_op_and_or_mask} (keras/src/layers/merging/base_merge.py) treats them,
 * since neither op has an identity element to stand for a masked value: at each input, a masked
 * position of the new input takes the running result's value, and a masked position of the running
 * result takes the new input's; so each output is the op over the inputs unmasked there, and the
 * first input's value where all are masked. The running mask is the OR of the masks while every
 * input so far has one, else there is none.
 */
abstract class ExtremumMerge extends Merge {

    ExtremumMerge(String kerasPrefix) {
        super(kerasPrefix);
    }

    /** The op on two values (ties go to {@code running}, the first argument, as TensorFlow's gradient). */
    abstract Variable op(Variable running, Variable next);

    @Override
    final Variable merge(List<Variable> inputs, List<Tensor> masks) {
        Variable out = null;
        Tensor outMask = null;
        for (int i = 0; i < inputs.size(); i++) {
            Variable x = inputs.get(i);
            Tensor m = masks.get(i) == null ? null : expandMask(masks.get(i), x);
            if (out == null) {
                out = x;
                outMask = m;
                continue;
            }
            if (m != null) {
                x = Ops.where(m, x, out);
            }
            if (outMask != null) {
                out = Ops.where(outMask, out, x);
            }
            outMask = m != null && outMask != null ? or(outMask, m) : null;
            out = op(out, x);
        }
        return out;
    }

    private static Tensor or(Tensor a, Tensor b) {
        Device d = a.device();
        Tensor out = d.zeros(Device.broadcastShape("mask", a.shape(), b.shape()));
        d.binary(BinaryOp.MAX, a, b, out);
        return out;
    }
}
