package io.rnn4j.layers.optimizers;

import io.rnn4j.layers.optimizers.schedules.LearningRateSchedule;
import java.util.Locale;

/**
 * The optimizers with Keras 3's defaults (SGD, Adam, AdamW, RMSprop, Adagrad, Adamax, Nadam, Adadelta,
 * Lion, Ftrl, Lamb, Adafactor): {@code Optimizers.adam()}, {@code Optimizers.sgd(0.1)},
 * {@code Optimizers.rmsprop(new ExponentialDecay(1e-3, 1000, 0.9))}. Options common to all
 * (clipnorm, clipvalue, global_clipnorm, weight_decay) are on {@link Optimizer}.
 */
public final class Optimizers {
    private Optimizers() {
    }

    /**
     * The optimizer Keras's {@code keras.optimizers.get(name)} gives for a name, with its defaults:
     * "adam", "adamw", "sgd", "rmsprop", "adagrad", "adamax", "nadam", "adadelta", "lion", "ftrl", "lamb" or
     * "adafactor", in any case.
     *
     * @throws IllegalArgumentException for another name, listing these
     */
    public static Optimizer get(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "adam" -> adam();
            case "adamw" -> adamW();
            case "sgd" -> sgd();
            case "rmsprop" -> rmsprop();
            case "adagrad" -> adagrad();
            case "adamax" -> adamax();
            case "nadam" -> nadam();
            case "adadelta" -> adadelta();
            case "lion" -> lion();
            case "ftrl" -> ftrl();
            case "lamb" -> lamb();
            case "adafactor" -> adafactor();
            default -> throw new IllegalArgumentException("optimizer '" + name + "' is not one rnn4j has (adam, adamw, "
                    + "sgd, rmsprop, adagrad, adamax, nadam, adadelta, lion, ftrl, lamb, adafactor)");
        };
    }

    /** Adam with learning rate 0.001, β1 0.9, β2 0.999, ε 1e-7. */
    public static Adam adam() {
        return new Adam();
    }

    /**
     * Keras's {@code Adam(learning_rate=learningRate)}, the other options at their defaults.
     *
     * @throws IllegalArgumentException for a negative or non-finite learning rate
     */
    public static Adam adam(double learningRate) {
        return new Adam(learningRate);
    }

    /**
     * Keras's {@code Adam(learning_rate=schedule)}: the rate follows the schedule step by step; the
     * other options at their defaults.
     */
    public static Adam adam(LearningRateSchedule schedule) {
        return new Adam(schedule);
    }

    /** AdamW with learning rate 0.001, weight decay 0.004, β1 0.9, β2 0.999, ε 1e-7. */
    public static AdamW adamW() {
        return new AdamW();
    }

    /**
     * Keras's {@code AdamW(learning_rate=learningRate)}, weight decay 0.004 and the other options at
     * their defaults.
     *
     * @throws IllegalArgumentException for a negative or non-finite learning rate
     */
    public static AdamW adamW(double learningRate) {
        return new AdamW(learningRate);
    }

    /**
     * Keras's {@code AdamW(learning_rate=schedule)}: the rate follows the schedule step by step; weight
     * decay 0.004 and the other options at their defaults.
     */
    public static AdamW adamW(LearningRateSchedule schedule) {
        return new AdamW(schedule);
    }

    /** SGD with learning rate 0.01, no momentum. */
    public static SGD sgd() {
        return new SGD();
    }

    /**
     * Keras's {@code SGD(learning_rate=learningRate)}, no momentum.
     *
     * @throws IllegalArgumentException for a negative or non-finite learning rate
     */
    public static SGD sgd(double learningRate) {
        return new SGD(learningRate);
    }

    /** Keras's {@code SGD(learning_rate=schedule)}: the rate follows the schedule step by step; no momentum. */
    public static SGD sgd(LearningRateSchedule schedule) {
        return new SGD(schedule);
    }

    /** RMSprop with learning rate 0.001, ρ 0.9, no momentum, ε 1e-7, not centered. */
    public static RMSprop rmsprop() {
        return new RMSprop();
    }

    /**
     * Keras's {@code RMSprop(learning_rate=learningRate)}, the other options at their defaults.
     *
     * @throws IllegalArgumentException for a negative or non-finite learning rate
     */
    public static RMSprop rmsprop(double learningRate) {
        return new RMSprop(learningRate);
    }

    /**
     * Keras's {@code RMSprop(learning_rate=schedule)}: the rate follows the schedule step by step; the
     * other options at their defaults.
     */
    public static RMSprop rmsprop(LearningRateSchedule schedule) {
        return new RMSprop(schedule);
    }

    /** Adagrad with learning rate 0.001, initial accumulator value 0.1, ε 1e-7. */
    public static Adagrad adagrad() {
        return new Adagrad();
    }

    /**
     * Keras's {@code Adagrad(learning_rate=learningRate)}, the other options at their defaults.
     *
     * @throws IllegalArgumentException for a negative or non-finite learning rate
     */
    public static Adagrad adagrad(double learningRate) {
        return new Adagrad(learningRate);
    }

    /**
     * Keras's {@code Adagrad(learning_rate=schedule)}: the rate follows the schedule step by step; the
     * other options at their defaults.
     */
    public static Adagrad adagrad(LearningRateSchedule schedule) {
        return new Adagrad(schedule);
    }

    /** Adamax with learning rate 0.001, β1 0.9, β2 0.999, ε 1e-7. */
    public static Adamax adamax() {
        return new Adamax();
    }

    /**
     * Keras's {@code Adamax(learning_rate=learningRate)}, the other options at their defaults.
     *
     * @throws IllegalArgumentException for a negative or non-finite learning rate
     */
    public static Adamax adamax(double learningRate) {
        return new Adamax(learningRate);
    }

    /**
     * Keras's {@code Adamax(learning_rate=schedule)}: the rate follows the schedule step by step; the
     * other options at their defaults.
     */
    public static Adamax adamax(LearningRateSchedule schedule) {
        return new Adamax(schedule);
    }

    /** Nadam with learning rate 0.001, β1 0.9, β2 0.999, ε 1e-7. */
    public static Nadam nadam() {
        return new Nadam();
    }

    /**
     * Keras's {@code Nadam(learning_rate=learningRate)}, the other options at their defaults.
     *
     * @throws IllegalArgumentException for a negative or non-finite learning rate
     */
    public static Nadam nadam(double learningRate) {
        return new Nadam(learningRate);
    }

    /**
     * Keras's {@code Nadam(learning_rate=schedule)}: the rate follows the schedule step by step; the
     * other options at their defaults.
     */
    public static Nadam nadam(LearningRateSchedule schedule) {
        return new Nadam(schedule);
    }

    /** Adadelta with learning rate 0.001, ρ 0.95, ε 1e-7. */
    public static Adadelta adadelta() {
        return new Adadelta();
    }

    /**
     * Keras's {@code Adadelta(learning_rate=learningRate)}, the other options at their defaults.
     *
     * @throws IllegalArgumentException for a negative or non-finite learning rate
     */
    public static Adadelta adadelta(double learningRate) {
        return new Adadelta(learningRate);
    }

    /**
     * Keras's {@code Adadelta(learning_rate=schedule)}: the rate follows the schedule step by step; the
     * other options at their defaults.
     */
    public static Adadelta adadelta(LearningRateSchedule schedule) {
        return new Adadelta(schedule);
    }

    /** Lion with learning rate 0.001, β1 0.9, β2 0.99. */
    public static Lion lion() {
        return new Lion();
    }

    /**
     * Keras's {@code Lion(learning_rate=learningRate)}, the other options at their defaults.
     *
     * @throws IllegalArgumentException for a negative or non-finite learning rate
     */
    public static Lion lion(double learningRate) {
        return new Lion(learningRate);
    }

    /**
     * Keras's {@code Lion(learning_rate=schedule)}: the rate follows the schedule step by step; the
     * other options at their defaults.
     */
    public static Lion lion(LearningRateSchedule schedule) {
        return new Lion(schedule);
    }

    /** Ftrl with learning rate 0.001, learning_rate_power −0.5, initial accumulator value 0.1, no
     * regularization, β 0. */
    public static Ftrl ftrl() {
        return new Ftrl();
    }

    /**
     * Keras's {@code Ftrl(learning_rate=learningRate)}, the other options at their defaults.
     *
     * @throws IllegalArgumentException for a negative or non-finite learning rate
     */
    public static Ftrl ftrl(double learningRate) {
        return new Ftrl(learningRate);
    }

    /**
     * Keras's {@code Ftrl(learning_rate=schedule)}: the rate follows the schedule step by step; the
     * other options at their defaults.
     */
    public static Ftrl ftrl(LearningRateSchedule schedule) {
        return new Ftrl(schedule);
    }

    /** Lamb with learning rate 0.001, β1 0.9, β2 0.999, ε 1e-7. */
    public static Lamb lamb() {
        return new Lamb();
    }

    /**
     * Keras's {@code Lamb(learning_rate=learningRate)}, the other options at their defaults.
     *
     * @throws IllegalArgumentException for a negative or non-finite learning rate
     */
    public static Lamb lamb(double learningRate) {
        return new Lamb(learningRate);
    }

    /**
     * Keras's {@code Lamb(learning_rate=schedule)}: the rate follows the schedule step by step; the
     * other options at their defaults.
     */
    public static Lamb lamb(LearningRateSchedule schedule) {
        return new Lamb(schedule);
    }

    /**
     * Adafactor with learning rate 0.001, beta_2_decay −0.8, epsilon_1 1e-30, epsilon_2 1e-3,
     * clip_threshold 1.0, relative_step true.
     */
    public static Adafactor adafactor() {
        return new Adafactor();
    }

    /**
     * Keras's {@code Adafactor(learning_rate=learningRate)}, the other options at their defaults.
     *
     * @throws IllegalArgumentException for a negative or non-finite learning rate
     */
    public static Adafactor adafactor(double learningRate) {
        return new Adafactor(learningRate);
    }

    /**
     * Keras's {@code Adafactor(learning_rate=schedule)}: the rate follows the schedule step by step
     * (the step size is still at most 1/√t); the other options at their defaults.
     */
    public static Adafactor adafactor(LearningRateSchedule schedule) {
        return new Adafactor(schedule);
    }
}
