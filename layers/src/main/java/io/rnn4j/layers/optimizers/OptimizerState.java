package io.rnn4j.layers.optimizers;

import io.rnn4j.engine.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of an optimizer's state, for saving it with a model and restoring it:
 * {@code opt.state(model.weights())} and {@code opt.loadState(model.weights(), state)}.
 *
 * <p>{@code slots.get(i).get(j)} is slot {@code slotNames.get(j)} of the i-th trainable weight of
 * the list given to {@link Optimizer#state} (the model's Keras {@code get_weights()} order with
 * frozen weights left out). Keras 3 stores an optimizer's variables as {@code iteration},
 * {@code learning_rate} (only for a fixed rate), then the slots group by group — see
 * {@link #kerasVariables()}.
 *
 * @param optimizer    the optimizer's {@link Optimizer#kerasName()}, checked on load
 * @param iterations   updates applied so far (schedules continue from here)
 * @param learningRate the fixed learning rate (a float32 value), or NaN when it follows a schedule
 * @param slotNames    Keras's names of the per-weight state ("momentum", "velocity", ...)
 * @param slotGroups   slotNames partitioned in Keras's creation order: each group's slots are
 *                     created weight by weight, interleaved, then the next group's
 * @param slots        per trainable weight, its slots in slotNames order (copies)
 */
public record OptimizerState(String optimizer, long iterations, double learningRate, List<String> slotNames,
        List<List<String>> slotGroups, List<List<Tensor>> slots) {

    public OptimizerState {
        Objects.requireNonNull(optimizer, "optimizer");
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

    /**
     * The slot tensors in Keras 3's {@code optimizer.variables} order after {@code iteration} and
     * {@code learning_rate}: for each group, for each weight, that group's slots. For example
     * Adam with amsgrad gives m₀ v₀ m₁ v₁ … then v̂₀ v̂₁ …; RMSprop all velocities, then all
     * momentums, then all average gradients.
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
        return out;
    }

    /**
     * The state with slots given in {@link #kerasVariables()} order (as read from a Keras file) turned
     * back into per-weight lists.
     *
     * @throws IllegalArgumentException if the count does not fit {@code weights × slots}
     */
    public static OptimizerState fromKerasVariables(String optimizer, long iterations, double learningRate,
            List<String> slotNames, List<List<String>> slotGroups, int weights, List<Tensor> variables) {
        if (variables.size() != weights * slotNames.size()) {
            throw new IllegalArgumentException("optimizer state: expected " + weights + " weights x "
                    + slotNames.size() + " slots = " + weights * slotNames.size() + " variables, got "
                    + variables.size());
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
        return new OptimizerState(optimizer, iterations, learningRate, slotNames, slotGroups, slots);
    }
}
