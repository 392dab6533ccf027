package io.rnn4j.layers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks of the recurrent states a layer is given ({@code initial_state}) or returns
 * ({@code return_state}), shared by the recurrent layers, Bidirectional and RNN(cell): a list of
 * states of sizes {@code sizes}, each (batch, size).
 */
final class States {
    private States() {
    }

    /** Symbolic states (no batch dimension): none, or one of {@code (sizes[i],)} each. */
    static void checkShapes(String layer, List<Shape> states, int[] sizes) {
        for (int i = 0; i < states.size(); i++) {
            // A state is (batch, size): an input of higher rank is a second sequence, Keras's nested inputs
            // rnn((input_1, input_2)), which Keras 3's RNN does not run either (its guide's NestedCell fails).
            if (states.get(i).rank() > 1) {
                throw new IllegalArgumentException(layer + ": input " + (i + 1) + " is " + Layer.batchless(states.get(i))
                        + ", not an initial state (batch, size): a recurrent layer takes one sequence and then its "
                        + "initial states; nested inputs (Keras's rnn((input_1, input_2))) are not supported, as in "
                        + "Keras 3: join the inputs' features per step (Reshape, Concatenate) and split them in the cell");
            }
        }
        if (!states.isEmpty() && states.size() != sizes.length) {
            throw countError(layer, states.size(), sizes);
        }
        for (int i = 0; i < states.size(); i++) {
            if (!states.get(i).equals(Shape.of(sizes[i]))) {
                throw new IllegalArgumentException(layer + ": initial_state[" + i + "] must be (batch, " + sizes[i]
                        + "), got " + Layer.batchless(states.get(i)));
            }
        }
    }

    /** States of a batch of {@code batch}: exactly one of {@code (batch, sizes[i])} each. */
    static void check(String layer, List<Variable> states, int batch, int[] sizes) {
        if (states.size() != sizes.length) {
            throw countError(layer, states.size(), sizes);
        }
        for (int i = 0; i < states.size(); i++) {
            Variable s = states.get(i);
            if (s == null || !s.shape().equals(Shape.of(batch, sizes[i]))) {
                throw new IllegalArgumentException(layer + ": initial_state[" + i + "] must be (batch, units) = "
                        + Shape.of(batch, sizes[i]) + ", got " + (s == null ? "null" : s.shape()));
            }
        }
    }

    private static IllegalArgumentException countError(String layer, int given, int[] sizes) {
        return new IllegalArgumentException(layer + ": initial_state must hold " + sizes.length + " state"
                + (sizes.length == 1 ? "" : "s") + " (one per entry of state_size " + java.util.Arrays.toString(sizes)
                + "), got " + given);
    }

    /** {@code first} followed, when {@code returnState}, by one {@code (size,)} per state. */
    static List<Shape> withStates(List<Shape> first, boolean returnState, int[] sizes) {
        List<Shape> out = new ArrayList<>(first);
        for (int i = 0; returnState && i < sizes.length; i++) {
            out.add(Shape.of(sizes[i]));
        }
        return out;
    }

    /** {@code n} copies of {@code units}. */
    static int[] uniform(int n, int units) {
        int[] s = new int[n];
        java.util.Arrays.fill(s, units);
        return s;
    }

    /** x then the states, for applying a layer with {@code initial_state}. */
    static Symbolic[] withInputs(Symbolic x, List<? extends Symbolic> states) {
        Symbolic[] all = new Symbolic[1 + states.size()];
        all[0] = x;
        for (int i = 0; i < states.size(); i++) {
            all[i + 1] = states.get(i);
        }
        return all;
    }

    /**
     * The mask a recurrent layer's call uses: Keras 3 fills a call's mask only when it has a single
     * tensor argument (layer.py, Layer.__call__), so with initial_state the incoming mask is not
     * applied (tf.keras 2 applied it); it is still passed on with return_sequences.
     */
    static Tensor callMask(List<Variable> inputs, List<Tensor> masks) {
        return inputs.size() > 1 ? null : masks.get(0);
    }
}
