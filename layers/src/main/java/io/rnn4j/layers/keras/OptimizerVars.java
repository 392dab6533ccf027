package io.rnn4j.layers.keras;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.optimizers.Optimizer;
import io.rnn4j.layers.optimizers.OptimizerState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An optimizer's state as Keras 3 keeps it in {@code model.weights.h5}: {@code optimizer/vars/0}
 * the iteration count (int64 scalar), {@code /1} the learning rate (float32 scalar; absent when it
 * follows a schedule), then the slots in Keras's variable order and the optimizer-wide scalars
 * (Nadam's {@code u_product}) ({@link OptimizerState#kerasVariables()}); the {@code vars} group's {@code name} attribute is the
 * optimizer's ("adam"). Read from Keras's files and rnn4j's alike; restored into a compiled
 * model's optimizer with {@link #restore}.
 *
 * @param name       the optimizer's Keras name, or null when the file does not say (Keras before 3.8)
 * @param iterations the iteration count
 * @param rest       every variable after the iteration count, in file order (the learning rate first if
 *                   the file has it)
 */
record OptimizerVars(String name, long iterations, List<Tensor> rest) {
    /** Keras's optimizer classes' default names; a file naming another was given a name of one's own. */
    private static final Set<String> KERAS_DEFAULT_NAMES = Set.of("adam", "adamw", "sgd", "rmsprop", "adagrad",
            "adadelta", "adamax", "adafactor", "nadam", "ftrl", "lion", "lamb", "muon");

    OptimizerVars {
        rest = List.copyOf(rest);
    }

    /** Writes {@code state} under {@code optimizer/vars}; returns the slot datasets written, by path, to verify. */
    static Map<String, Tensor> write(WritableGroup root, OptimizerState state) {
        WritableGroup vars = root.putGroup("optimizer").putGroup("vars");
        vars.putAttribute("name", state.optimizer());
        vars.putDataset("0", state.iterations());
        int i = 1;
        if (!Double.isNaN(state.learningRate())) {
            vars.putDataset("1", (float) state.learningRate());
            i = 2;
        }
        Map<String, Tensor> written = new LinkedHashMap<>();
        for (Tensor t : state.kerasVariables()) {
            String key = Integer.toString(i++);
            vars.putDataset(key, WeightWriter.nested(t.toArray(), t.shape().dims()));
            written.put("optimizer/vars/" + key, t);
        }
        return written;
    }

    /**
     * Whether a file's optimizer name fits this optimizer: Keras's default names ("rmsprop"), and
     * "rm_sprop"/"adam_w", which rnn4j wrote before, name RMSprop and AdamW; a name of one's own
     * says nothing (the variables' count and shapes are checked then).
     */
    private static boolean sameOptimizer(String saved, String kerasName) {
        String a = saved.replace("_", "").toLowerCase(Locale.ROOT);
        return a.equals(kerasName.replace("_", "")) || !KERAS_DEFAULT_NAMES.contains(a);
    }

    /** The state in {@code root}'s {@code optimizer/vars}, or null when the file has none. */
    static OptimizerVars read(String file, Group root) {
        Node g = H5.read(file, "group 'optimizer/vars'", () -> WeightReader.find(root, "optimizer/vars"));
        if (!(g instanceof Group vars)) {
            return null;
        }
        Map<String, Node> children = H5.read(file, "'optimizer/vars'", vars::getChildren);
        if (children.isEmpty()) {
            return null;
        }
        List<String> keys = new ArrayList<>(children.keySet());
        for (String k : keys) {
            if (!k.matches("\\d+") || !(children.get(k) instanceof Dataset)) {
                throw new KerasFileException(file + ": 'optimizer/vars' holds '" + k
                        + "', expected datasets 0, 1, ...");
            }
        }
        keys.sort(Comparator.comparingInt(Integer::parseInt));
        Dataset first = (Dataset) children.get(keys.get(0));
        Object it = H5.read(file, "dataset 'optimizer/vars/0'", first::getData);
        if (!keys.get(0).equals("0") || !first.isScalar() || !(it instanceof Number n)) {
            throw new KerasFileException(file + ": 'optimizer/vars/0' must be the iteration count (an integer "
                    + "scalar), found " + (first.isScalar() ? it : "a dataset of shape "
                    + java.util.Arrays.toString(first.getDimensions())));
        }
        List<Tensor> rest = new ArrayList<>();
        for (String k : keys.subList(1, keys.size())) {
            rest.add(H5.tensor(file, (Dataset) children.get(k)));
        }
        String name = H5.stringAttribute(file, vars, "name");
        return new OptimizerVars(name, n.longValue(), rest);
    }

    /**
     * Restores this state into {@code optimizer} for {@code weights} (a model's weights, Keras's
     * order): the slots of the weights a built optimizer was built with, a layer frozen since
     * included, as Keras saves and loads them; an optimizer not built yet takes the trainable ones,
     * as Keras builds it with trainable_variables. The learning rate is the file's when it has one.
     *
     * @throws KerasFileException naming what does not fit: another optimizer, another number of
     *                            variables, a shape
     */
    void restore(String file, Optimizer optimizer, List<Weight> weights) {
        if (name != null && !sameOptimizer(name, optimizer.kerasName())) {
            throw new KerasFileException(file + ": the saved optimizer state is of '" + name + "', the model is "
                    + "compiled with '" + optimizer.kerasName() + "'");
        }
        OptimizerState fresh = optimizer.state(weights);
        int trainable = fresh.slots().size();
        List<String> scalarNames = List.copyOf(fresh.scalars().keySet());
        int slots = trainable * fresh.slotNames().size() + scalarNames.size();
        double lr;
        List<Tensor> slotValues;
        if (rest.size() == slots + 1 && rest.get(0).rank() == 0) {
            lr = rest.get(0).item();
            slotValues = rest.subList(1, rest.size());
        } else if (rest.size() == slots) {
            lr = Double.NaN;
            slotValues = rest;
        } else {
            throw new KerasFileException(file + ": the saved optimizer state has " + (rest.size() + 1)
                    + " variables; '" + optimizer.kerasName() + "' with slots " + fresh.slotNames() + " for "
                    + trainable + (optimizer.isBuilt() ? " weights it was built with" : " trainable weights") + (scalarNames.isEmpty() ? "" : " and " + scalarNames)
                    + " needs the iteration count, the learning rate and " + slots);
        }
        try {
            OptimizerState state = OptimizerState.fromKerasVariables(optimizer.kerasName(), iterations, lr,
                    fresh.slotNames(), fresh.slotGroups(), trainable, scalarNames, slotValues);
            optimizer.loadState(weights, state);
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(file + ": the saved optimizer state does not fit the model: "
                    + e.getMessage(), e);
        }
    }
}
