package io.rnn4j.layers.optimizers;

import io.rnn4j.engine.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of an optimizer's state, for saving it with a model and restoring it:
 * {@code opt.state(model.weights())} and {@code opt.loadState(model.weights(), state)}.
 *
 * <p>{@code slots.get(i).get(j)} is slot {@code slotNames.get(j)} of the i-th weight with slots in
 * the list given to {@link Optimizer#state} (the model's Keras {@code get_weights()} order, keeping
 * the weights the optimizer was built with, a layer frozen since included; before it is built, the
 * trainable ones). Keras 3 stores an optimizer's variables as {@code iteration},
 * {@code learning_rate} (only for a fixed rate), then the slots group by group, then the
 * optimizer-wide scalars (Nadam's {@code u_product}) — see {@link #kerasVariables()}.
 *
 * @param optimizer    the optimizer's {@link Optimizer#kerasName()}, checked on load
 * @param iterations   updates applied so far (schedules continue from here)
 * @param learningRate the fixed learning rate (a float32 value), or NaN when it follows a schedule
 * @param slotNames    Keras's names of the per-weight state ("momentum", "velocity", ...)
 * @param slotGroups   slotNames partitioned in Keras's creation order: each group's slots are
 *                     created weight by weight, interleaved, then the next group's
 * @param slots        per weight with slots, its slots in slotNames order (copies)
 * @param scalars      the optimizer-wide float32 variables by name, in Keras's order (Nadam's
 *                     {@code u_product}); empty for the other optimizers
 */
public record OptimizerState(String optimizer, long iterations, double learningRate, List<String> slotNames,
        List<List<String>> slotGroups, List<List<Tensor>> slots, Map<String, Float> scalars) {

    public OptimizerState {
        Objects.requireNonNull(optimizer, "optimizer");
        scalars = Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
        if (iterations < 0) {
            throw new IllegalArgumentException("optimizer state: iterations must be >= 0, got " + iterations);
        }
        slotNames = List.copyOf(slotNames);
        slotGroups = slotGroups.stream().<List<String>>map(List::copyOf).toList();
        slots = slots.stream().<List<Tensor>>map(List::copyOf).toList();
        if (!slotGroups.stream().flatMap(List::stream).sorted().toList().equals(slotNames.stream().sorted().toList())) {
            throw new IllegalArgumentException("optimizer state: slot groups " + slotGroups + " must partition the "
                    + "slot names " + slotNames);
        }
    }

    /** A state without optimizer-wide scalars (every optimizer but Nadam). */
    public OptimizerState(String optimizer, long iterations, double learningRate, List<String> slotNames,
            List<List<String>> slotGroups, List<List<Tensor>> slots) {
        this(optimizer, iterations, learningRate, slotNames, slotGroups, slots, Map.of());
    }

    /**
     * The tensors in Keras 3's {@code optimizer.variables} order after {@code iteration} and
     * {@code learning_rate}: for each group, for each weight, that group's slots; then each scalar
     * (a rank-0 tensor). For example Adam with amsgrad gives m₀ v₀ m₁ v₁ … then v̂₀ v̂₁ …; RMSprop
     * all velocities, then all momentums, then all average gradients; Nadam m₀ v₀ m₁ v₁ … u_product.
     */
    public List<Tensor> kerasVariables() {
        List<Tensor> out = new ArrayList<>();
        for (List<String> group : slotGroups) {
            for (List<Tensor> weightSlots : slots) {
                for (String name : group) {
                    out.add(weightSlots.get(slotNames.indexOf(name)));
                }
            }
        }
        for (float v : scalars.values()) {
            out.add(Tensor.of(new float[] {v}));
        }
        return out;
    }

    /**
     * The state with slots given in {@link #kerasVariables()} order (as read from a Keras file) turned
     * back into per-weight lists, for an optimizer without optimizer-wide scalars.
     *
     * @throws IllegalArgumentException if the count does not fit {@code weights × slots}
     */
    public static OptimizerState fromKerasVariables(String optimizer, long iterations, double learningRate,
            List<String> slotNames, List<List<String>> slotGroups, int weights, List<Tensor> variables) {
        return fromKerasVariables(optimizer, iterations, learningRate, slotNames, slotGroups, weights, List.of(),
                variables);
    }

    /**
     * The state with variables given in {@link #kerasVariables()} order (as read from a Keras file):
     * the slots turned back into per-weight lists, then one single-value tensor per scalar of
     * {@code scalarNames}.
     *
     * @throws IllegalArgumentException if the count does not fit {@code weights × slots + scalars}, or
     *                                  a scalar holds other than one value
     */
    public static OptimizerState fromKerasVariables(String optimizer, long iterations, double learningRate,
            List<String> slotNames, List<List<String>> slotGroups, int weights, List<String> scalarNames,
            List<Tensor> variables) {
        int expected = weights * slotNames.size() + scalarNames.size();
        if (variables.size() != expected) {
            throw new IllegalArgumentException("optimizer state: expected " + weights + " weights x "
                    + slotNames.size() + " slots" + (scalarNames.isEmpty() ? "" : " + " + scalarNames)
                    + " = " + expected + " variables, got " + variables.size());
        }
        Map<String, Float> scalars = new LinkedHashMap<>();
        int first = weights * slotNames.size();
        for (int i = 0; i < scalarNames.size(); i++) {
            Tensor t = variables.get(first + i);
            if (t.size() != 1) {
                throw new IllegalArgumentException("optimizer state: " + scalarNames.get(i) + " must be a scalar, "
                        + "got shape " + t.shape());
            }
            scalars.put(scalarNames.get(i), t.toArray()[0]);
        }
        Tensor[][] per = new Tensor[weights][slotNames.size()];
        int k = 0;
        for (List<String> group : slotGroups) {
            for (int w = 0; w < weights; w++) {
                for (String name : group) {
                    per[w][slotNames.indexOf(name)] = variables.get(k++);
                }
            }
        }
        List<List<Tensor>> slots = new ArrayList<>();
        for (Tensor[] p : per) {
            slots.add(List.of(p));
        }
        return new OptimizerState(optimizer, iterations, learningRate, slotNames, slotGroups, slots, scalars);
    }
}
