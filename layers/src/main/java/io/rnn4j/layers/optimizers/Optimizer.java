package io.rnn4j.layers.optimizers;

import io.rnn4j.engine.BinaryOp;
import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.optimizers.schedules.LearningRateSchedule;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Keras 3 optimizer. After each backward, {@link #apply} does what Keras's {@code apply} does,
 * in its order: take the trainable weights that have a gradient; clip the gradients
 * ({@link #clipnorm}, {@link #globalClipnorm} or {@link #clipvalue}); apply decoupled weight decay
 * ({@code w −= w · wd · lr}); run the subclass's update rule ({@link #update}, device ops, in
 * place); project each weight with its constraint; count the iteration.
 *
 * <p>The learning rate is a float32 value, as Keras's {@code learning_rate} variable is, or a
 * {@link LearningRateSchedule} evaluated at {@link #iterations()} before each update. Per-weight
 * state ("slots": moments, accumulators) is created on first use under Keras's names and can be
 * read and restored with {@link #state} and {@link #loadState} for saving; scratch tensors are
 * kept too, so that a step allocates nothing. Not thread-safe: one optimizer trains one model.
 */
public abstract class Optimizer {
    private double learningRate;
    private LearningRateSchedule schedule;
    private long iterations;
    private Double clipnorm;
    private Double clipvalue;
    private Double globalClipnorm;
    private Double weightDecay;
    private Pattern weightDecayExclusion;
    // package-private: SavedState reads and restores the slots, the layout and the scalars
    final Map<Weight, Entry> entries = new IdentityHashMap<>();
    List<String> builtSlotNames;
    float[] scalars;

    /**
     * What one weight holds here: its named slots, the update's scratch, and the clipping and decay
     * work tensors (made on first need, so that an optimizer without them costs nothing extra).
     */
    static final class Entry {
        final Tensor[] slots;
        final Tensor[] scratch;
        Tensor clipped;
        Tensor work;
        Tensor scalar;

        Entry(Tensor[] slots, Tensor[] scratch) {
            this.slots = slots;
            this.scratch = scratch;
        }
    }

    protected Optimizer(double learningRate) {
        this.learningRate = checkLearningRate(learningRate);
    }

    protected Optimizer(LearningRateSchedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    // ---- learning rate ----

    /**
     * The learning rate the next update uses: the fixed rate (rounded to float32, as Keras stores
     * it in a float32 variable) or the schedule's value at {@link #iterations()}.
     */
    public double learningRate() {
        return schedule != null ? (float) schedule.learningRate(iterations) : learningRate;
    }

    /**
     * Sets a fixed learning rate (callbacks do this between steps), stored as float32.
     *
     * @throws IllegalStateException when the optimizer follows a schedule (Keras refuses this too)
     */
    public void setLearningRate(double learningRate) {
        if (schedule != null) {
            throw new IllegalStateException(kerasName() + ": the learning rate follows a " + schedule
                    + "; it cannot be set to a number (give the optimizer a fixed rate instead)");
        }
        this.learningRate = checkLearningRate(learningRate);
    }

    /** Makes the learning rate follow {@code schedule} from now on, at the optimizer's iteration count. */
    public void setLearningRate(LearningRateSchedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    /** The schedule the learning rate follows, or null for a fixed rate. */
    public LearningRateSchedule schedule() {
        return schedule;
    }

    double checkLearningRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning_rate must be >= 0 and "
                    + "finite, got " + lr);
        }
        return (float) lr;
    }

    /** Whether its per-weight state exists (Keras's {@code optimizer.built}): after an update or a loaded state. */
    public boolean isBuilt() {
        return builtSlotNames != null;
    }

    /**
     * The number of values in Keras's {@code optimizer.variables}: the iteration count, the learning
     * rate unless a schedule gives it, every slot built (for the weights trainable when it was
     * built, as Keras builds them once) and, once built, the optimizer-wide scalars (Nadam's).
     */
    public long kerasVariableCount() {
        long n = schedule == null ? 2 : 1;
        for (Entry e : entries.values()) {
            for (Tensor s : e.slots) {
                n += s.size();
            }
        }
        return n + (builtSlotNames != null ? initialScalars().size() : 0);
    }

    /** The number of updates applied so far (Keras's {@code optimizer.iterations}). */
    public long iterations() {
        return iterations;
    }

    // ---- options every Keras optimizer has ----

    /** Clips each weight's gradient to L2 norm at most {@code norm} (Keras's clipnorm). */
    public Optimizer clipnorm(double norm) {
        this.clipnorm = checkClip("clipnorm", norm);
        return this;
    }

    /** Clips every gradient element to [−value, value] (Keras's clipvalue). */
    public Optimizer clipvalue(double value) {
        this.clipvalue = checkClip("clipvalue", value);
        return this;
    }

    /** Scales all gradients together so that their joint L2 norm is at most {@code norm} (Keras's global_clipnorm). */
    public Optimizer globalClipnorm(double norm) {
        this.globalClipnorm = checkClip("global_clipnorm", norm);
        return this;
    }

    private Double checkClip(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(kerasName() + ": " + name + " must be > 0 and finite, got " + v);
        }
        int others = (clipnorm != null && !name.equals("clipnorm") ? 1 : 0)
                + (clipvalue != null && !name.equals("clipvalue") ? 1 : 0)
                + (globalClipnorm != null && !name.equals("global_clipnorm") ? 1 : 0);
        if (others > 0) {
            throw new IllegalArgumentException(kerasName() + ": only one of clipnorm, clipvalue and global_clipnorm "
                    + "can be set; clipnorm=" + clipnorm + ", clipvalue=" + clipvalue + ", global_clipnorm="
                    + globalClipnorm + ", then " + name + "=" + v);
        }
        return v;
    }

    /** Decoupled weight decay: before each update {@code w −= w · wd · lr} (Keras's weight_decay). */
    public Optimizer weightDecay(double wd) {
        if (!(wd >= 0) || Double.isInfinite(wd)) {
            throw new IllegalArgumentException(kerasName() + ": weight_decay must be >= 0 and finite, got " + wd);
        }
        this.weightDecay = wd;
        return this;
    }

    /** The weight decay, or null for none. */
    public Double weightDecay() {
        return weightDecay;
    }

    /**
     * Exempts from weight decay every weight whose Keras name ("kernel", "bias", ...) contains a
     * match of one of {@code names} as a regular expression (Keras's
     * {@code exclude_from_weight_decay(var_names=...)}).
     */
    public Optimizer excludeFromWeightDecay(String... names) {
        if (names.length == 0) {
            weightDecayExclusion = null;
            return this;
        }
        weightDecayExclusion = Pattern.compile(String.join("|", names));
        return this;
    }

    // ---- what subclasses provide ----

    /** The name Keras 3 gives this optimizer by default (its class name in snake case: "adam", "sgd"). */
    public abstract String kerasName();

    /**
     * Keras 3's serialized optimizer, as a compile_config holds it: the class ("Adam") and its
     * get_config (name, learning rate — a schedule's own config when one gives it — clipping, weight
     * decay, Keras's fixed EMA and accumulation options, then the optimizer's own). Empty when a
     * schedule of one's own gives the learning rate.
     */
    public final Optional<KerasConfig> kerasConfig() {
        if (schedule != null && schedule.kerasConfig().isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", kerasName());
        c.put("learning_rate", schedule != null ? schedule.kerasConfig().get() : (double) (float) learningRate);
        c.put("weight_decay", weightDecay);
        c.put("clipnorm", clipnorm);
        c.put("global_clipnorm", globalClipnorm);
        c.put("clipvalue", clipvalue);
        c.put("use_ema", false);
        c.put("ema_momentum", 0.99);
        c.put("ema_overwrite_frequency", null);
        c.put("loss_scale_factor", null);
        c.put("gradient_accumulation_steps", null);
        kerasOptions(c);
        return Optional.of(new KerasConfig(kerasClassName(), c));
    }

    /** Keras's class name ("Adam", "RMSprop"). */
    protected abstract String kerasClassName();

    /** Adds this optimizer's own get_config entries, with Keras's names, in Keras's order. */
    protected abstract void kerasOptions(Map<String, Object> config);

    /**
     * The state kept per weight, under Keras's names ("momentum", "velocity"), in the order Keras
     * creates it. Fixed at the first update: options that change it must be set before.
     */
    protected abstract List<String> slotNames();

    /** How many scratch tensors {@link #update} needs (of {@link #scratchShape}: the weight's by default). */
    protected abstract int scratchCount();

    /**
     * The shape of slot {@code name} for a weight of shape {@code weight}: the weight's own by
     * default; Adafactor's factored accumulators drop an axis.
     */
    protected Shape slotShape(String name, Shape weight) {
        return weight;
    }

    /** The shape of scratch tensor {@code i} for a weight of shape {@code weight}: the weight's own by default. */
    protected Shape scratchShape(int i, Shape weight) {
        return weight;
    }

    /** The initial value of slot {@code name} (zeros; Adagrad starts its accumulator elsewhere). */
    protected float initialSlotValue(String name) {
        return 0f;
    }

    /**
     * The optimizer-wide float32 variables Keras creates after the slots, with their initial values,
     * in Keras's order (Nadam's {@code u_product}, 1.0); none by default. Keras saves them after
     * every slot.
     */
    protected Map<String, Float> initialScalars() {
        return Map.of();
    }

    /**
     * Advances the optimizer-wide scalars once per step, before the per-weight updates, as Keras's
     * {@code _backend_update_step} does for Nadam; nothing by default.
     *
     * @param scalars the {@link #initialScalars()} values, in that order, updated in place
     * @param step    Keras's {@code local_step}: iterations + 1
     */
    protected void beforeUpdates(float[] scalars, long step) {
    }

    /** The current value of the i-th optimizer-wide scalar (see {@link #initialScalars()}). */
    protected final float scalar(int i) {
        return scalars()[i];
    }

    /**
     * Updates {@code param} in place from {@code grad} (already clipped).
     *
     * @param slots   the {@link #slotNames()} tensors, of {@link #slotShape} (param's shape by default), kept
     *                between steps
     * @param scratch {@link #scratchCount()} tensors of {@link #scratchShape} (param's shape by default), free
     *                for temporaries
     * @param lr      the learning rate of this step, as float32
     * @param step    Keras's {@code local_step}: iterations + 1
     */
    protected abstract void update(Tensor param, Tensor grad, Tensor[] slots, Tensor[] scratch, float lr, long step);

    /**
     * Groups of {@link #slotNames()} in Keras's variable order: Keras creates each group's slots
     * weight by weight (interleaved), group after group. One group per slot unless overridden.
     */
    protected List<List<String>> kerasSlotGroups() {
        List<List<String>> groups = new ArrayList<>();
        for (String s : slotNames()) {
            groups.add(List.of(s));
        }
        return groups;
    }

    /** Refuses to change the slot layout once the first update created the slots. */
    protected final void checkNotBuilt(String option) {
        if (builtSlotNames != null) {
            throw new IllegalStateException(kerasName() + ": set " + option + " before the first update (the "
                    + "optimizer's state is already built as " + builtSlotNames + ")");
        }
    }

    // ---- the step ----

    /**
     * One optimizer step over {@code weights} with the gradients backward accumulated in them
     * ({@code variable().grad()}); frozen ones and those without a gradient are skipped. The first
     * call builds the slots of every trainable one, as Keras's fit does before its first step.
     *
     * @throws IllegalArgumentException before anything is updated, when a trainable weight is not one
     *     the optimizer was built with (a layer unfrozen since, another model's): Keras refuses it too
     */
    public void apply(List<Weight> weights) {
        List<Weight> trainable = weights.stream().filter(Weight::trainable).toList();
        if (!isBuilt()) {
            build(trainable);  // Keras's fit builds the optimizer with model.trainable_variables first
        }
        checkKnown("apply", trainable);
        List<Weight> active = new ArrayList<>();
        List<Tensor> grads = new ArrayList<>();
        for (Weight w : trainable) {
            if (w.variable().grad() != null) {
                active.add(w);
                grads.add(w.variable().grad());
            }
        }
        step(active, grads.toArray(Tensor[]::new));
    }

    /**
     * Keras's {@code optimizer.apply(grads, trainable_variables)}: one step updating {@code weights[i]}
     * with {@code grads[i]} (from {@link io.rnn4j.layers.model.Gradients#of}, say), clipped and decayed
     * as every step is. As in Keras, a null gradient leaves its weight out of the step, and the weights
     * given are updated whether or not their layer is frozen (pass {@code trainableWeights()}). The first
     * call builds the optimizer for every weight given, null gradient or not (their slots count in
     * {@link #kerasVariableCount} and are saved); later calls may pass only weights it was built with.
     *
     * @throws IllegalArgumentException before anything is updated: lists of different sizes, no
     *     gradient at all (Keras's "No gradients provided for any variable."), or a gradient whose
     *     shape or device is not its weight's, naming the weight; a weight the optimizer was not built
     *     with (Keras's "Unknown variable: ..."), naming it
     */
    public void apply(List<Tensor> grads, List<Weight> weights) {
        if (grads.size() != weights.size()) {
            throw new IllegalArgumentException(kerasName() + ".apply: got " + grads.size() + " gradients for "
                    + weights.size() + " weights; give one gradient (or null) per weight, in the same order");
        }
        if (grads.isEmpty()) {
            return;  // Keras: an empty list is a no-op, the iteration count included
        }
        List<Weight> active = new ArrayList<>();
        List<Tensor> given = new ArrayList<>();
        for (int i = 0; i < grads.size(); i++) {
            Tensor g = grads.get(i);
            if (g == null) {
                continue;
            }
            Weight w = weights.get(i);
            if (!g.shape().equals(w.shape())) {
                throw new IllegalArgumentException(kerasName() + ".apply: the gradient of weight " + w.path()
                        + " has shape " + g.shape() + ", the weight " + w.shape());
            }
            if (g.device() != w.value().device()) {
                throw new IllegalArgumentException(kerasName() + ".apply: the gradient of weight " + w.path()
                        + " lives on " + g.device().name() + ", the weight on " + w.value().device().name());
            }
            active.add(w);
            given.add(g);
        }
        if (!isBuilt()) {
            build(weights);  // Keras builds slots for every weight given, gradient or not
        }
        checkKnown("apply", weights);
        if (active.isEmpty()) {
            throw new IllegalArgumentException(kerasName() + ".apply: No gradients provided for any variable "
                    + "(every gradient is null: the loss depends on none of the " + weights.size() + " weights)");
        }
        step(active, given.toArray(Tensor[]::new));
    }

    /**
     * Keras's {@code build}: the slots of every one of {@code weights}, in their order (those of a
     * weight that gets no gradient stay at their initial value until one comes).
     */
    private void build(List<Weight> weights) {
        builtSlotNames();
        for (Weight w : weights) {
            entry(w);
        }
    }

    /** Keras's {@code _check_variables_are_known}: only the weights it was built with can be updated. */
    private void checkKnown(String op, List<Weight> weights) {
        for (Weight w : weights) {
            if (!entries.containsKey(w)) {
                throw new IllegalArgumentException(kerasName() + "." + op + ": Unknown variable: " + w.path()
                        + " (shape " + w.shape() + "; it was built with " + entries.size() + " weights). This "
                        + "optimizer can only be called for the variables it was originally built with. When working "
                        + "with a new set of variables, you should recreate a new optimizer instance.");
            }
        }
    }

    /** Clipping, weight decay, the update rule and constraints over {@code active}, then the iteration count. */
    private void step(List<Weight> active, Tensor[] gradients) {
        long step = iterations + 1;
        float lr = (float) learningRate();
        Tensor[] grads = Clipping.clip(this, active, gradients, clipnorm, clipvalue, globalClipnorm);
        if (weightDecay != null) {
            float wd = (float) (double) weightDecay;
            for (Weight w : active) {
                if (weightDecayExclusion == null || !weightDecayExclusion.matcher(w.name()).find()) {
                    Tensor param = w.value();
                    Tensor work = workOf(w);
                    Device d = param.device();
                    d.affine(param, wd, 0f, work);
                    d.affine(work, lr, 0f, work);
                    d.binary(BinaryOp.SUB, param, work, param);
                }
            }
        }
        if (!active.isEmpty()) {  // Keras skips _backend_update_step, Nadam's u_product with it, when no gradient came
            beforeUpdates(scalars(), step);
        }
        for (int i = 0; i < active.size(); i++) {
            Weight w = active.get(i);
            Entry e = entry(w);
            update(w.value(), grads[i], e.slots, e.scratch, lr, step);
            if (w.constraint() != null) {
                w.constraint().apply(w.value());
            }
        }
        iterations++;
    }

    /** Where the clipped gradient of {@code w} goes. */
    Tensor clippedOf(Weight w) {
        Entry e = entry(w);
        if (e.clipped == null) {
            e.clipped = w.value().device().zeros(w.shape());
        }
        return e.clipped;
    }

    /** A weight-shaped temporary for clipping and weight decay. */
    Tensor workOf(Weight w) {
        Entry e = entry(w);
        if (e.work == null) {
            e.work = w.value().device().zeros(w.shape());
        }
        return e.work;
    }

    /** A scalar temporary on the weight's device. */
    Tensor scalarOf(Weight w) {
        Entry e = entry(w);
        if (e.scalar == null) {
            e.scalar = w.value().device().zeros(Shape.of());
        }
        return e.scalar;
    }

    Entry entry(Weight w) {
        Entry e = entries.get(w);
        if (e == null) {
            List<String> names = builtSlotNames();
            Tensor param = w.value();
            Device d = param.device();
            Shape shape = param.shape();
            Tensor[] slots = new Tensor[names.size()];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = d.full(slotShape(names.get(i), shape), initialSlotValue(names.get(i)));
            }
            Tensor[] scratch = new Tensor[scratchCount()];
            for (int i = 0; i < scratch.length; i++) {
                scratch[i] = d.zeros(scratchShape(i, shape));
            }
            e = new Entry(slots, scratch);
            entries.put(w, e);
        }
        return e;
    }

    List<String> builtSlotNames() {
        if (builtSlotNames == null) {
            builtSlotNames = List.copyOf(slotNames());
        }
        return builtSlotNames;
    }

    /** The optimizer-wide scalars, made with their initial values when first needed. */
    float[] scalars() {
        if (scalars == null) {
            Map<String, Float> init = initialScalars();
            scalars = new float[init.size()];
            int i = 0;
            for (float v : init.values()) {
                scalars[i++] = v;
            }
        }
        return scalars;
    }

    // ---- state, for saving ----

    /**
     * A copy of this optimizer's state for {@code weights} (pass the model's {@code weights()}):
     * iterations, the fixed learning rate, and the slots of each weight it holds slots for (once
     * built, those it was built with, a layer frozen since included; before, the trainable ones).
     * Slots not yet created (no update so far) come as their initial values, as Keras builds them.
     *
     * @throws IllegalArgumentException when the optimizer was built with weights not among {@code weights}
     */
    public OptimizerState state(List<Weight> weights) {
        return SavedState.take(this, weights);
    }

    /**
     * Restores a state taken with {@link #state} (possibly from a file) for the weights of
     * {@code weights} it holds slots for (once built, those it was built with, a layer frozen since
     * included; before, the trainable ones, which it is built with then): everything is checked
     * before anything is written.
     *
     * @throws IllegalArgumentException naming what differs: the optimizer, its slots, the number
     *                                  of weights, a weight's shape
     */
    public void loadState(List<Weight> weights, OptimizerState state) {
        SavedState.load(this, weights, state);
    }

    // ---- what SavedState restores besides the slots and the scalars ----

    /** Sets the iteration count and, unless NaN or a schedule gives it, the fixed learning rate. */
    void restoreCounters(long iterations, double learningRate) {
        this.iterations = iterations;
        if (!Double.isNaN(learningRate) && schedule == null) {
            this.learningRate = checkLearningRate(learningRate);
        }
    }

    /** The fixed learning rate saved with the state: NaN when a schedule gives it. */
    double savedLearningRate() {
        return schedule != null ? Double.NaN : learningRate;
    }

    /** Keras casts Python-float hyperparameters to the variable's float32. */
    protected static float f32(double v) {
        return (float) v;
    }
}
