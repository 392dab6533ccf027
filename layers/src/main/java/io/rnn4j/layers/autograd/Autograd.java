package io.rnn4j.layers.autograd;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs functions, recording them for reverse mode, and backpropagates.
 *
 * <p>Recording is per thread: {@link #noGrad()} turns it off for the current thread until the
 * returned scope is closed, so inference on many threads at once records nothing and saves nothing.
 * Backward visits the recorded ops in reverse topological order (found iteratively: graphs over
 * long sequences must not overflow the stack), accumulates gradients with {@code +=}, and then
 * releases each op's saved tensors and graph links.
 */
public final class Autograd {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private Autograd() {
    }

    /** Whether ops on this thread are being recorded. */
    public static boolean isRecording() {
        return ENABLED.get()[0];
    }

    /**
     * Turns recording off on this thread until the scope is closed (scopes nest):
     * {@code try (var _ = Autograd.noGrad()) { ... }}.
     */
    public static Scope noGrad() {
        boolean[] flag = ENABLED.get();
        boolean previous = flag[0];
        flag[0] = false;
        return () -> flag[0] = previous;
    }

    /** A scope that restores the previous recording state on close. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Applies {@code f} to {@code inputs} (entries may be null for absent optional inputs). */
    public static Variable apply(Function f, Variable... inputs) {
        boolean record = bind(f, inputs);
        Tensor out = f.forward(values(inputs));
        if (out == null) {
            throw new IllegalStateException(f.getClass().getSimpleName() + ".forward returned null");
        }
        if (!record) {
            f.release();
            return Variable.constant(out);
        }
        return new Variable(out, true, f, 0);
    }

    /** Applies a function with several outputs; entries are null where the function computed none. */
    public static Variable[] apply(MultiFunction f, Variable... inputs) {
        boolean record = bind(f, inputs);
        Tensor[] outs = f.forward(values(inputs));
        if (outs == null || outs.length != f.outputCount()) {
            throw new IllegalStateException(f.getClass().getSimpleName() + ".forward must return "
                    + f.outputCount() + " outputs");
        }
        Variable[] result = new Variable[outs.length];
        for (int i = 0; i < outs.length; i++) {
            if (outs[i] != null) {
                result[i] = record ? new Variable(outs[i], true, f, i) : Variable.constant(outs[i]);
            }
        }
        if (!record) {
            f.release();
        }
        return result;
    }

    private static boolean bind(Op op, Variable[] inputs) {
        boolean any = false;
        for (Variable v : inputs) {
            any |= v != null && v.requiresGrad();
        }
        boolean record = any && isRecording();
        op.bind(inputs.clone(), record);
        return record;
    }

    private static Tensor[] values(Variable[] inputs) {
        Tensor[] t = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            t[i] = inputs[i] == null ? null : inputs[i].value();
        }
        return t;
    }

    static void backward(Variable root, Tensor seed) {
        backward(root, seed, null);
    }

    /**
     * Keras's {@code tape.gradient(loss, sources)} (TensorFlow backend): the gradient of {@code loss}
     * with respect to each of {@code sources}, in order, computed fresh and returned rather than
     * added to the sources' {@link Variable#grad()} (which this leaves untouched, for these and every
     * other parameter reached). A loss of several elements is differentiated as their sum, as
     * TensorFlow does for a non-scalar target. An entry is null where {@code loss} does not depend on
     * that source (TensorFlow's None), as is every entry when the loss depends on no parameter at all.
     * Like a non-persistent tape, this releases the graph: compute the loss again for more gradients.
     *
     * @throws IllegalStateException when the loss's graph was released by an earlier backward
     */
    public static List<Tensor> gradients(Variable loss, List<Variable> sources) {
        Map<Variable, Op.GradSlot> capture = new IdentityHashMap<>();
        for (Variable v : sources) {
            capture.put(java.util.Objects.requireNonNull(v, "source"), new Op.GradSlot());
        }
        if (loss.requiresGrad()) {
            backward(loss, loss.device().full(loss.shape(), 1f), capture);
        }
        List<Tensor> out = new ArrayList<>(sources.size());
        for (Variable v : sources) {
            out.add(capture.get(v).tensor);
        }
        return out;
    }

    /**
     * Backpropagates {@code seed} from {@code root}: into the parameters' own gradients, or, when
     * {@code capture} is given, into its slots alone (parameters outside it get nothing).
     */
    private static void backward(Variable root, Tensor seed, Map<Variable, Op.GradSlot> capture) {
        if (!seed.shape().equals(root.shape())) {
            throw new IllegalArgumentException("backward: seed must have the variable's shape " + root.shape()
                    + ", got " + seed.shape());
        }
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: this variable does not depend on any parameter "
                    + "(or it was computed under noGrad)");
        }
        if (root.creator == null) {
            Op.GradSlot slot = leafSlot(root, capture);
            if (slot != null) {
                accumulate(slot, seed, true);
            }
            return;
        }
        if (root.creator.inputs == null) {
            throw new IllegalStateException("backward: the graph of this variable was released by an earlier "
                    + "backward; compute it again");
        }
        List<Op> order = topologicalOrder(root.creator);
        for (Op op : order) {
            op.gradOut = new Op.GradSlot[op.outputCount()];
        }
        root.creator.gradOut[root.outputIndex] = new Op.GradSlot();
        root.creator.gradOut[root.outputIndex].tensor = seed;
        for (Op op : order) {
            Tensor[] gradOutputs = new Tensor[op.outputCount()];
            boolean any = false;
            for (int i = 0; i < gradOutputs.length; i++) {
                if (op.gradOut[i] != null) {
                    gradOutputs[i] = op.gradOut[i].tensor;
                    any = true;
                }
            }
            if (any) {
                Tensor[] grads = op.backwardAll(gradOutputs);
                for (int i = 0; i < op.inputs.length; i++) {
                    Variable in = op.inputs[i];
                    if (in == null || !op.needsGrad(i)) {
                        continue;
                    }
                    Tensor g = grads == null || i >= grads.length ? null : grads[i];
                    if (g == null) {
                        throw new IllegalStateException(op.getClass().getSimpleName()
                                + ".backward returned no gradient for input " + i + ", which needs one");
                    }
                    if (!g.shape().equals(in.shape())) {
                        throw new IllegalStateException(op.getClass().getSimpleName() + ".backward: gradient of input "
                                + i + " has shape " + g.shape() + ", the input " + in.shape());
                    }
                    if (in.creator == null) {
                        Op.GradSlot slot = leafSlot(in, capture);
                        if (slot != null) {
                            accumulate(slot, g, true);
                        }
                    } else {
                        Op.GradSlot[] slots = in.creator.gradOut;
                        if (slots[in.outputIndex] == null) {
                            slots[in.outputIndex] = new Op.GradSlot();
                        }
                        accumulate(slots[in.outputIndex], g, false);
                    }
                }
            }
            op.release();
        }
    }

    /** Where a leaf's gradient goes: its own slot, or the captured one (null: not asked for, dropped). */
    private static Op.GradSlot leafSlot(Variable leaf, Map<Variable, Op.GradSlot> capture) {
        return capture == null ? leaf.gradSlot() : capture.get(leaf);
    }

    /**
     * {@code slot += g}. The first gradient is adopted without a copy unless the slot belongs to a
     * parameter (whose gradient outlives this backward and may be added into later); a borrowed
     * tensor is never written.
     */
    private static void accumulate(Op.GradSlot slot, Tensor g, boolean copyFirst) {
        if (slot.tensor == null) {
            slot.tensor = copyFirst ? g.copy() : g;
            slot.owned = copyFirst;
        } else if (slot.owned) {
            g.device().binary(BinaryOp.ADD, slot.tensor, g, slot.tensor);
        } else {
            Tensor sum = g.device().zeros(g.shape());
            g.device().binary(BinaryOp.ADD, slot.tensor, g, sum);
            slot.tensor = sum;
            slot.owned = true;
        }
    }

    /** The ops reachable from {@code root}, each after every op that consumes its outputs. */
    private static List<Op> topologicalOrder(Op root) {
        // Iterative post-order DFS: an op is emitted after all ops producing its inputs; reversed,
        // each op comes before its producers, which is the order backward needs.
        Map<Op, Boolean> visited = new IdentityHashMap<>();
        List<Op> postOrder = new ArrayList<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Op op = (Op) frame[0];
            int next = (Integer) frame[1];
            if (next < op.inputs.length) {
                frame[1] = next + 1;
                Variable in = op.inputs[next];
                if (in != null && in.creator != null && in.creator.inputs != null
                        && visited.put(in.creator, Boolean.TRUE) == null) {
                    stack.push(new Object[] {in.creator, 0});
                }
            } else {
                stack.pop();
                postOrder.add(op);
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }
}
