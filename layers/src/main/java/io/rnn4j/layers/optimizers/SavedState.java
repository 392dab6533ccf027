package io.rnn4j.layers.optimizers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Weight;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Takes and restores an {@link Optimizer}'s {@link OptimizerState}: its iteration count, fixed
 * learning rate, per-weight slots and optimizer-wide scalars. Kept apart from the update step,
 * which it shares only the per-weight slots with (package-private fields of the optimizer).
 */
final class SavedState {
    private SavedState() {
    }

    /** {@link Optimizer#state}: a copy of the state of {@code opt} for {@code weights}. */
    static OptimizerState take(Optimizer opt, List<Weight> weights) {
        List<String> names = slotLayout(opt);
        List<List<Tensor>> slots = new ArrayList<>();
        for (Weight w : slotWeights(opt, "state", weights)) {
            Optimizer.Entry e = opt.entries.get(w);
            List<Tensor> mine = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                mine.add(e != null ? e.slots[i].copy()
                        : w.value().device().full(opt.slotShape(names.get(i), w.shape()),
                                opt.initialSlotValue(names.get(i))));
            }
            slots.add(List.copyOf(mine));
        }
        List<List<String>> groups = new ArrayList<>();
        for (List<String> g : opt.kerasSlotGroups()) {
            groups.add(List.copyOf(g));
        }
        return new OptimizerState(opt.kerasName(), opt.iterations(), opt.savedLearningRate(), names,
                List.copyOf(groups), List.copyOf(slots), scalarState(opt));
    }

    /** {@link Optimizer#loadState}: everything is checked before anything is written. */
    static void load(Optimizer opt, List<Weight> weights, OptimizerState state) {
        Objects.requireNonNull(state, "state");
        String name = opt.kerasName();
        if (!state.optimizer().equals(name)) {
            throw new IllegalArgumentException(name + ".loadState: the state is of optimizer '"
                    + state.optimizer() + "'");
        }
        List<String> names = slotLayout(opt);
        if (!state.slotNames().equals(names)) {
            throw new IllegalArgumentException(name + ".loadState: expected slots " + names + ", the state has "
                    + state.slotNames() + " (were options such as momentum, amsgrad or centered different?)");
        }
        List<Weight> trainable = slotWeights(opt, "loadState", weights);
        if (state.slots().size() != trainable.size()) {
            throw new IllegalArgumentException(name + ".loadState: expected slots for " + trainable.size()
                    + (opt.isBuilt() ? " weights (those it was built with)" : " trainable weights") + ", the state has "
                    + state.slots().size());
        }
        for (int i = 0; i < trainable.size(); i++) {
            Weight w = trainable.get(i);
            List<Tensor> s = state.slots().get(i);
            if (s.size() != names.size()) {
                throw new IllegalArgumentException(name + ".loadState: weight " + w.path() + " needs "
                        + names.size() + " slots, the state has " + s.size());
            }
            for (int j = 0; j < s.size(); j++) {
                Shape want = opt.slotShape(names.get(j), w.shape());
                if (s.get(j) == null || !s.get(j).shape().equals(want)) {
                    throw new IllegalArgumentException(name + ".loadState: slot '" + names.get(j) + "' of "
                            + w.path() + " must have shape " + want + ", got "
                            + (s.get(j) == null ? "null" : s.get(j).shape()));
                }
            }
        }
        Map<String, Float> initialScalars = opt.initialScalars();
        if (!List.copyOf(state.scalars().keySet()).equals(List.copyOf(initialScalars.keySet()))) {
            throw new IllegalArgumentException(name + ".loadState: expected the optimizer-wide variables "
                    + initialScalars.keySet() + ", the state has " + state.scalars().keySet());
        }
        if (!Double.isNaN(state.learningRate()) && opt.schedule() == null) {
            opt.checkLearningRate(state.learningRate());
        }
        opt.builtSlotNames();
        float[] sc = opt.scalars();
        int k = 0;
        for (float v : state.scalars().values()) {
            sc[k++] = v;
        }
        for (int i = 0; i < trainable.size(); i++) {
            Weight w = trainable.get(i);
            Optimizer.Entry e = opt.entry(w);
            for (int j = 0; j < names.size(); j++) {
                Tensor src = state.slots().get(i).get(j).to(w.value().device());
                w.value().device().copy(src, e.slots[j]);
            }
        }
        opt.restoreCounters(state.iterations(), state.learningRate());
    }

    /**
     * The weights whose slots {@link Optimizer#state} and {@link Optimizer#loadState} cover, in the
     * order of {@code weights}: once built, those it was built with, a layer frozen since included
     * (Keras keeps their slots in {@code optimizer.variables} and saves them); before, the trainable
     * ones, as Keras builds it with {@code trainable_variables}.
     */
    static List<Weight> slotWeights(Optimizer opt, String op, List<Weight> weights) {
        if (!opt.isBuilt()) {
            return weights.stream().filter(Weight::trainable).toList();
        }
        List<Weight> built = weights.stream().filter(opt.entries::containsKey).distinct().toList();
        if (built.size() != opt.entries.size()) {
            throw new IllegalArgumentException(opt.kerasName() + "." + op + ": the optimizer was built with "
                    + opt.entries.size() + " weights, " + built.size() + " of them among the " + weights.size()
                    + " given");
        }
        return built;
    }

    /** The slot names of the state: those it was built with, or those it would build now. */
    private static List<String> slotLayout(Optimizer opt) {
        return opt.builtSlotNames != null ? opt.builtSlotNames : List.copyOf(opt.slotNames());
    }

    /** The optimizer-wide scalars by name, in Keras's order: their values, initial ones before any update. */
    private static Map<String, Float> scalarState(Optimizer opt) {
        Map<String, Float> out = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Float> e : opt.initialScalars().entrySet()) {
            out.put(e.getKey(), opt.scalars != null ? opt.scalars[i++] : e.getValue());
        }
        return out;
    }
}
