package io.rnn4j.layers;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Keras's StackedRNNCells: cells run one after the other within each step, each fed the previous
 * one's output. The states are every cell's in turn (Keras's flattened state_size), the output the
 * last cell's; weights are the cells' in order. {@code new RNN(a, b)} stacks {@code a} and {@code b}.
 */
public final class StackedRNNCells extends Cell {
    private final List<Cell> cells;

    public StackedRNNCells(Cell... cells) {
        this(List.of(cells));
    }

    public StackedRNNCells(List<? extends Cell> cells) {
        super("stacked_rnn_cells");
        if (cells.isEmpty()) {
            throw new IllegalArgumentException(name() + ": needs at least one cell");
        }
        for (Cell c : cells) {
            if (c.isBuilt()) {
                throw new IllegalArgumentException(name() + ": cell '" + c.name() + "' is already built");
            }
        }
        this.cells = List.copyOf(cells);
    }

    public List<Cell> cells() {
        return cells;
    }

    /** An unbuilt stack of copies of the cells, of this one's name. */
    @Override
    public StackedRNNCells copy() {
        StackedRNNCells c = new StackedRNNCells(cells.stream().map(Cell::copy).toList());
        c.rename(name());
        c.trainable(trainable());
        return c;
    }

    @Override
    public int[] stateSizes() {
        List<Integer> all = new ArrayList<>();
        for (Cell c : cells) {
            for (int s : c.stateSizes()) {
                all.add(s);
            }
        }
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public int outputSize() {
        return cells.get(cells.size() - 1).outputSize();
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        Shape step = in;
        for (Cell c : cells) {
            c.build(step, device(), random);
            step = c.outputShape();
        }
        return step;
    }

    @Override
    public List<Weight> weights() {
        List<Weight> all = new ArrayList<>();
        for (Cell c : cells) {
            all.addAll(c.weights());
        }
        return all;
    }

    @Override
    public RnnOutput step(Variable x, List<Variable> states, CallContext ctx) {
        Variable in = x;
        List<Variable> next = new ArrayList<>();
        int from = 0;
        for (Cell c : cells) {
            int n = c.stateSizes().length;
            RnnOutput o = c.step(in, states.subList(from, from + n), ctx);
            in = o.output();
            next.addAll(o.states());
            from += n;
        }
        return new RnnOutput(in, next);
    }

    @Override
    public List<Variable> initialState(int batch, Device device) {
        List<Variable> all = new ArrayList<>();
        for (Cell c : cells) {
            all.addAll(c.initialState(batch, device));
        }
        return all;
    }

    @Override
    protected void resetDropoutMasks() {
        for (Cell c : cells) {
            c.resetDropoutMasks();
        }
    }
}
