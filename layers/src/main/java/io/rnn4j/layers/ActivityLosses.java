package io.rnn4j.layers;

import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.List;
import java.util.Set;

/**
 * Keras's {@code activity_regularizer} as Keras 3's {@code Layer.__call__} applies it (layer.py,
 * "Record activity regularizer loss"): after the call, for each output tensor, the regularizer's
 * penalty of the output divided by the output's batch size (divide_no_nan: nothing for an empty
 * batch; a scalar output is not divided) is added to the pass's losses ({@link CallContext#addLoss}),
 * which fit and evaluate add to the compiled loss. Kept apart from {@link Layer} so the layer's
 * call path stays one line.
 */
final class ActivityLosses {
    private ActivityLosses() {
    }

    /**
     * {@code r}, refused for a model: a model runs its layers, not through Layer.call, so its own
     * activity regularizer would never apply here.
     */
    static Regularizer accepted(Layer layer, Regularizer r) {
        if (r != null && Set.of("Sequential", "Functional").contains(layer.className())) {
            throw new IllegalArgumentException(layer.where() + ": rnn4j does not apply an activity_regularizer on a "
                    + "model; set it on the model's layers");
        }
        return r;
    }

    /** Adds {@code layer}'s activity losses for {@code outputs} to {@code ctx}; nothing if it has no regularizer. */
    static void add(Layer layer, List<Variable> outputs, CallContext ctx) {
        Regularizer r = layer.activityRegularizer();
        if (r == null || ctx == null) {
            return;
        }
        for (Variable y : outputs) {
            if (y == null) {
                continue;
            }
            Variable loss = r.penalty(y);
            if (y.rank() > 0) {
                if (y.dim(0) == 0) {
                    continue; // divide_no_nan(0, 0) = 0
                }
                Variable batch = Variable.constant(y.device().tensor(new float[] {y.dim(0)}));
                loss = Ops.div(Ops.reshape(loss, 1), batch);
            }
            ctx.addLoss(loss);
        }
    }
}
