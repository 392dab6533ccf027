package io.rnn4j.layers;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/**
 * Keras's Multiply: the elementwise product of its inputs. As Keras 3 does with masks, a masked
 * position of an input counts as 1 in the product, and when every input has a mask the output is
 * 0 where none of them is set.
 */
public final class Multiply extends Merge {

    public Multiply() {
        super("multiply");
    }

    @Override
    Variable merge(List<Variable> inputs, List<Tensor> masks) {
        boolean allMasked = masks.stream().allMatch(m -> m != null);
        Variable out = null;
        Tensor or = null;
        for (int i = 0; i < inputs.size(); i++) {
            Variable x = inputs.get(i);
            Tensor m = masks.get(i);
            if (m != null) {
                Device d = m.device();
                Tensor keep = expandMask(m, x);
                Tensor fill = d.zeros(keep.shape());
                d.affine(keep, -1f, 1f, fill);
                // where(mask, x, 1) = x·mask + (1 − mask) for a 0/1 mask.
                x = Ops.add(Ops.mul(x, Variable.constant(keep)), Variable.constant(fill));
                if (allMasked) {
                    if (or == null) {
                        or = keep;
                    } else {
                        Tensor both = d.zeros(Device.broadcastShape("mask", or.shape(), keep.shape()));
                        d.binary(BinaryOp.MAX, or, keep, both);
                        or = both;
                    }
                }
            }
            out = out == null ? x : Ops.mul(out, x);
        }
        return or == null ? out : Ops.mul(out, Variable.constant(or));
    }
}
