package io.rnn4j.layers.examples;

import io.rnn4j.engine.Shape;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Cell;
import io.rnn4j.layers.RnnOutput;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The "Working with RNNs" guide's NestedCell as a Java {@link Cell}, in the flat form that runs on Keras 3
 * (whose RNN takes neither nested inputs nor a state of shape (unit_2, unit_3)): a step's input is
 * {@code input_1} (i1) and {@code input_2} (i2·i3, flattened) side by side, the states are (unit_1,) and
 * (unit_2·unit_3,), and the output is {@code [output_1, output_2_3]} flattened side by side. The weights keep
 * the guide's shapes: kernel_1 (i1, unit_1) and kernel_2_3 (i2, i3, unit_2, unit_3), whose einsum
 * {@code bij,ijkl->bkl} is one matmul with the kernel seen as (i2·i3, unit_2·unit_3).
 */
final class FlatNestedCell extends Cell {
    private final int unit1;
    private final int unit2;
    private final int unit3;
    private final int i1;
    private final int i2;
    private final int i3;
    private Weight kernel1;
    private Weight kernel23;

    FlatNestedCell(int unit1, int unit2, int unit3, int i1, int i2, int i3) {
        super("flat_nested_cell");
        this.unit1 = unit1;
        this.unit2 = unit2;
        this.unit3 = unit3;
        this.i1 = i1;
        this.i2 = i2;
        this.i3 = i3;
    }

    @Override
    public int[] stateSizes() {
        return new int[] {unit1, unit2 * unit3};
    }

    @Override
    public int outputSize() {
        return unit1 + unit2 * unit3;
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        if (in.dim(0) != i1 + i2 * i3) {
            throw new IllegalArgumentException(name() + ": expected i1 + i2·i3 = " + (i1 + i2 * i3)
                    + " features per step, got " + in.dim(0));
        }
        kernel1 = addWeight("kernel_1", Shape.of(i1, unit1), Initializers.randomUniform(), random, null, null, true);
        kernel23 = addWeight("kernel_2_3", Shape.of(i2, i3, unit2, unit3), Initializers.randomUniform(), random, null,
                null, true);
        return Shape.of(outputSize());
    }

    @Override
    public RnnOutput step(Variable x, List<Variable> states, CallContext ctx) {
        Variable[] inputs = Ops.split(x, 1, i1, i2 * i3);
        Variable output1 = Ops.matmul(inputs[0], kernel1.variable());
        Variable output23 = Ops.matmul(inputs[1], Ops.reshape(kernel23.variable(), i2 * i3, unit2 * unit3));
        return new RnnOutput(Ops.concat(1, output1, output23),
                List.of(Ops.add(states.get(0), output1), Ops.add(states.get(1), output23)));
    }
}
