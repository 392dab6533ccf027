package io.rnn4j.layers;

import io.rnn4j.layers.constraints.Constraint;
import io.rnn4j.layers.initializers.Initializer;
import io.rnn4j.layers.initializers.Initializers;
import io.rnn4j.layers.regularizers.Regularizer;
import java.util.Objects;

/**
 * The LSTM options of Keras's ConvLSTM layers — ConvLSTMCell's activations, weights' initializers,
 * regularizers and constraints, dropouts, and RNN's return_sequences, return_state, go_backwards,
 * stateful and zero_output_for_mask — with Keras 3's defaults (keras/src/layers/rnn/conv_lstm.py,
 * rnn.py). Kept apart from {@link ConvLSTM}, which adds the convolutions and runs the layer, only to
 * keep each file small. An option cannot change once the layer is built.
 *
 * @param <L> the layer's own type, returned by the options for chaining
 */
abstract sealed class ConvLstmOptions<L extends ConvLstmOptions<L>> extends Layer implements GateOptions<L>
        permits ConvLSTM {
    private Activation activation = Activation.TANH;
    private Activation recurrentActivation = Activation.SIGMOID;
    private boolean useBias = true;
    private boolean unitForgetBias = true;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Initializer recurrentInitializer = Initializers.orthogonal();
    private Initializer biasInitializer = Initializers.zeros();
    private Regularizer kernelRegularizer;
    private Regularizer recurrentRegularizer;
    private Regularizer biasRegularizer;
    private Constraint kernelConstraint;
    private Constraint recurrentConstraint;
    private Constraint biasConstraint;
    private float dropout;
    private float recurrentDropout;
    private boolean returnSequences;
    private boolean returnState;
    private boolean goBackwards;
    private boolean stateful;
    private boolean zeroOutputForMask;

    ConvLstmOptions(String kerasPrefix) {
        super(kerasPrefix);
    }

    @Override
    @SuppressWarnings("unchecked")
    public L named(String newName) {
        super.named(newName);
        return (L) this;
    }

    @SuppressWarnings("unchecked")
    final L self() {
        return (L) this;
    }

    // ---- the LSTM's options (Keras's argument names in the messages) ----

    /** Keras's activation (σ in {@link ConvLSTM}'s formulas: the candidate and the output of c); tanh by default. */
    @Override
    public L activation(Activation a) {
        requireNotBuilt("activation");
        this.activation = Objects.requireNonNull(a, "activation");
        return self();
    }

    /** Keras's activation by name ("tanh", "relu", ...); an unknown name is refused naming this layer. */
    public L activation(String kerasName) {
        return activation(Activations.named(kerasName, name()));
    }

    /** Keras's recurrent_activation (σr in {@link ConvLSTM}'s formulas: the gates i, f, o); sigmoid by default. */
    public L recurrentActivation(Activation a) {
        requireNotBuilt("recurrent_activation");
        this.recurrentActivation = Objects.requireNonNull(a, "recurrent_activation");
        return self();
    }

    /** Keras's recurrent_activation by name ("sigmoid", ...); an unknown name is refused naming this layer. */
    public L recurrentActivation(String kerasName) {
        return recurrentActivation(Activations.named(kerasName, name()));
    }

    /** Keras's use_bias: whether the bias of 4·filters is added; true by default. */
    @Override
    public L useBias(boolean on) {
        requireNotBuilt("use_bias");
        this.useBias = on;
        return self();
    }

    /** Keras's unit_forget_bias: the bias's forget block starts at 1, the rest from bias_initializer; on by default. */
    public L unitForgetBias(boolean on) {
        requireNotBuilt("unit_forget_bias");
        this.unitForgetBias = on;
        return self();
    }

    /** Keras's kernel_initializer; glorot_uniform by default. */
    @Override
    public L kernelInitializer(Initializer i) {
        requireNotBuilt("kernel_initializer");
        this.kernelInitializer = Objects.requireNonNull(i, "kernel_initializer");
        return self();
    }

    /** Keras's recurrent_initializer; orthogonal by default. */
    @Override
    public L recurrentInitializer(Initializer i) {
        requireNotBuilt("recurrent_initializer");
        this.recurrentInitializer = Objects.requireNonNull(i, "recurrent_initializer");
        return self();
    }

    /** Keras's bias_initializer; zeros by default (unit_forget_bias applies on top of it). */
    @Override
    public L biasInitializer(Initializer i) {
        requireNotBuilt("bias_initializer");
        this.biasInitializer = Objects.requireNonNull(i, "bias_initializer");
        return self();
    }

    /** A regularizer of the kernel, or null for none. */
    @Override
    public L kernelRegularizer(Regularizer r) {
        requireNotBuilt("kernel_regularizer");
        this.kernelRegularizer = r;
        return self();
    }

    /** A regularizer of the recurrent kernel, or null for none. */
    @Override
    public L recurrentRegularizer(Regularizer r) {
        requireNotBuilt("recurrent_regularizer");
        this.recurrentRegularizer = r;
        return self();
    }

    /** A regularizer of the bias, or null for none. */
    @Override
    public L biasRegularizer(Regularizer r) {
        requireNotBuilt("bias_regularizer");
        this.biasRegularizer = r;
        return self();
    }

    /** A constraint on the kernel, or null for none. */
    @Override
    public L kernelConstraint(Constraint c) {
        requireNotBuilt("kernel_constraint");
        this.kernelConstraint = c;
        return self();
    }

    /** A constraint on the recurrent kernel, or null for none. */
    @Override
    public L recurrentConstraint(Constraint c) {
        requireNotBuilt("recurrent_constraint");
        this.recurrentConstraint = c;
        return self();
    }

    /** A constraint on the bias, or null for none. */
    @Override
    public L biasConstraint(Constraint c) {
        requireNotBuilt("bias_constraint");
        this.biasConstraint = c;
        return self();
    }

    /**
     * Keras's dropout: the fraction of the input dropped in training, by four masks (one per gate)
     * fixed over the time steps. Clamped to [0, 1] as Keras does; 0 and 1 drop nothing (Keras
     * applies it only strictly between).
     *
     * @throws IllegalArgumentException for NaN
     */
    @Override
    public L dropout(double rate) {
        requireNotBuilt("dropout");
        this.dropout = clamped("dropout", rate);
        return self();
    }

    /** Keras's recurrent_dropout: as {@link #dropout(double)}, on h before its recurrent convolution. */
    @Override
    public L recurrentDropout(double rate) {
        requireNotBuilt("recurrent_dropout");
        this.recurrentDropout = clamped("recurrent_dropout", rate);
        return self();
    }

    /** The float32 rate kept, clamped as Keras clamps the number it was given. */
    private float clamped(String option, double rate) {
        if (Double.isNaN(rate)) {
            throw new IllegalArgumentException(where() + ": " + option + " must be a number in [0, 1], got NaN");
        }
        return (float) Math.min(1.0, Math.max(0.0, rate));
    }

    /** Keras's return_sequences: output every step's h (batch, time, new_spatial..., filters), not only the last. */
    public L returnSequences(boolean on) {
        requireNotBuilt("return_sequences");
        this.returnSequences = on;
        return self();
    }

    /** Keras's return_state: the final h and c follow the output. */
    public L returnState(boolean on) {
        requireNotBuilt("return_state");
        this.returnState = on;
        return self();
    }

    /** Keras's go_backwards: process the time steps (and the mask) from the last. */
    public L goBackwards(boolean on) {
        requireNotBuilt("go_backwards");
        this.goBackwards = on;
        return self();
    }

    /** Keras's stateful: each call starts from the previous call's final states. */
    public L stateful(boolean on) {
        requireNotBuilt("stateful");
        this.stateful = on;
        return self();
    }

    /** Keras's zero_output_for_mask (an RNN option): masked steps output zeros instead of the previous output. */
    public L zeroOutputForMask(boolean on) {
        requireNotBuilt("zero_output_for_mask");
        this.zeroOutputForMask = on;
        return self();
    }

    /** Copies every option here onto {@code target}, going backwards as asked (for {@link ConvLSTM#copy}). */
    final void copyOptionsTo(ConvLstmOptions<?> target, boolean backwards) {
        ConvLstmOptions<?> t = target;
        t.activation = activation;
        t.recurrentActivation = recurrentActivation;
        t.useBias = useBias;
        t.unitForgetBias = unitForgetBias;
        t.kernelInitializer = kernelInitializer;
        t.recurrentInitializer = recurrentInitializer;
        t.biasInitializer = biasInitializer;
        t.kernelRegularizer = kernelRegularizer;
        t.recurrentRegularizer = recurrentRegularizer;
        t.biasRegularizer = biasRegularizer;
        t.kernelConstraint = kernelConstraint;
        t.recurrentConstraint = recurrentConstraint;
        t.biasConstraint = biasConstraint;
        t.dropout = dropout;
        t.recurrentDropout = recurrentDropout;
        t.returnSequences = returnSequences;
        t.returnState = returnState;
        t.goBackwards = backwards;
        t.stateful = stateful;
        t.zeroOutputForMask = zeroOutputForMask;
    }

    // ---- what the options are ----

    /** The activation (Keras's activation: the candidate and the output of c). */
    public Activation activation() {
        return activation;
    }

    /** The gates' activation (Keras's recurrent_activation). */
    public Activation recurrentActivation() {
        return recurrentActivation;
    }

    /** Whether a bias is added (Keras's use_bias). */
    public boolean useBias() {
        return useBias;
    }

    /** Whether the forget block of the bias starts at 1 (Keras's unit_forget_bias). */
    public boolean unitForgetBias() {
        return unitForgetBias;
    }

    /** The kernel's initializer (Keras's kernel_initializer). */
    public Initializer kernelInitializer() {
        return kernelInitializer;
    }

    /** The recurrent kernel's initializer (Keras's recurrent_initializer). */
    public Initializer recurrentInitializer() {
        return recurrentInitializer;
    }

    /** The bias initializer as configured (unit_forget_bias applies on top of it). */
    public Initializer biasInitializer() {
        return biasInitializer;
    }

    /** The kernel regularizer, or null. */
    public Regularizer kernelRegularizer() {
        return kernelRegularizer;
    }

    /** The recurrent kernel regularizer, or null. */
    public Regularizer recurrentRegularizer() {
        return recurrentRegularizer;
    }

    /** The bias regularizer, or null. */
    public Regularizer biasRegularizer() {
        return biasRegularizer;
    }

    /** The kernel constraint, or null. */
    public Constraint kernelConstraint() {
        return kernelConstraint;
    }

    /** The recurrent kernel constraint, or null. */
    public Constraint recurrentConstraint() {
        return recurrentConstraint;
    }

    /** The bias constraint, or null. */
    public Constraint biasConstraint() {
        return biasConstraint;
    }

    /** The input dropout rate, clamped to [0, 1]. */
    public float dropout() {
        return dropout;
    }

    /** The recurrent dropout rate, clamped to [0, 1]. */
    public float recurrentDropout() {
        return recurrentDropout;
    }

    /** Whether every step's output is returned (Keras's return_sequences). */
    public boolean returnSequences() {
        return returnSequences;
    }

    /** Whether the final h and c follow the output (Keras's return_state). */
    public boolean returnState() {
        return returnState;
    }

    /** Whether the time steps are processed from the last (Keras's go_backwards). */
    public boolean goBackwards() {
        return goBackwards;
    }

    /** Whether each call starts from the previous call's final states (Keras's stateful). */
    public boolean stateful() {
        return stateful;
    }

    /** Whether masked steps output zeros (Keras's zero_output_for_mask). */
    public boolean zeroOutputForMask() {
        return zeroOutputForMask;
    }
}
