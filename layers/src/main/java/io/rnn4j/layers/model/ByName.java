package io.rnn4j.layers.model;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.SymbolicTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keras's dicts keyed by input or output name ({@code fit({"title": ..., "body": ...}, {"priority": ...})},
 * {@code loss={"priority": ...}}), put in the model's input or output order for the list-taking methods;
 * and the names a {@link Model}'s outputs are known by there and in the logs.
 */
final class ByName {
    private ByName() {
    }

    /**
     * The values of {@code byName} in the order of {@code names}; every name must be there and no other key
     * (a Keras dict with a key the model lacks raises too; rnn4j also refuses a missing one rather than guess).
     *
     * @throws IllegalArgumentException naming the missing or unknown keys and the model's names
     */
    static <T> List<T> inOrder(String where, String what, List<String> names, Map<String, T> byName) {
        Objects.requireNonNull(byName, what);
        List<String> unknown = byName.keySet().stream().filter(k -> !names.contains(k)).sorted().toList();
        List<String> missing = names.stream().filter(n -> !byName.containsKey(n)).toList();
        if (!unknown.isEmpty() || !missing.isEmpty()) {
            throw new IllegalArgumentException(where + ": " + what + " are keyed by the model's names " + names
                    + (unknown.isEmpty() ? "" : "; unknown " + unknown) + (missing.isEmpty() ? "" : "; missing "
                    + missing));
        }
        List<T> out = new ArrayList<>(names.size());
        for (String n : names) {
            out.add(Objects.requireNonNull(byName.get(n), () -> where + ": " + what + " '" + n + "' is null"));
        }
        return out;
    }

    /** Each output named after its layer (with the output's index when a layer gives several, as needed). */
    static List<String> outputNames(List<SymbolicTensor> outputs) {
        List<String> names = new ArrayList<>();
        for (SymbolicTensor t : outputs) {
            String n = t.layer().name();
            names.add(names.contains(n) || t.node().outputs().size() > 1 && t.index() > 0 ? n + "_" + t.index() : n);
        }
        return List.copyOf(names);
    }

    /** {@code x} keyed by the names of {@code model}'s Inputs, in input order, for {@code model.<method>}. */
    static List<Tensor> inputs(Model model, String method, Map<String, Tensor> x) {
        return inOrder(model.name() + "." + method, "inputs", model.inputs().stream().map(Layer::name).toList(), x);
    }

    /** {@code byName} keyed by {@code model}'s {@link Model#outputNames()}, in output order. */
    static <T> List<T> perOutput(Model model, String method, String what, Map<String, T> byName) {
        return inOrder(model.name() + "." + method, what, model.outputNames(), byName);
    }
}
