package io.rnn4j.layers;

import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/**
 * Keras's SimpleRNNCell: {@code h' = activation((x·W + b) + h·U)}; state h, output h'. Weights
 * kernel (D, H), recurrent_kernel (H, H), bias (H). See {@link GateCell} for the options.
 */
public final class SimpleRNNCell extends GateCell<SimpleRNNCell> {

    /**
     * Keras's {@code SimpleRNNCell(units)} with Keras's defaults for every other option.
     *
     * @param units Keras's units: the size of the state and the output
     * @throws IllegalArgumentException for units below 1
     */
    public SimpleRNNCell(int units) {
        super("simple_rnn_cell", units);
    }

    @Override
    SimpleRNNCell newOfSameKind() {
        return new SimpleRNNCell(units());
    }

    @Override
    int gates() {
        return 1;
    }

    @Override
    public int[] stateSizes() {
        return new int[] {units()};
    }

    @Override
    public RnnOutput step(Variable x, List<Variable> states, CallContext ctx) {
        Variable h = Ops.matmul(droppedInput(x, ctx), kernel());
        if (bias() != null) {
            h = Ops.add(h, bias());
        }
        Variable out = activation().apply(Ops.add(h, Ops.matmul(droppedState(states.get(0), ctx), recurrentKernel())));
        return new RnnOutput(out, List.of(out));
    }
}
