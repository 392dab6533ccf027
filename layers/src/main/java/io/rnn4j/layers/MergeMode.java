package io.rnn4j.layers;

/** How {@link Bidirectional} combines its two outputs (Keras's merge_mode). */
public enum MergeMode {
    /** Joined along the last axis (Keras's default). */
    CONCAT,
    SUM,
    MUL,
    /** The mean of the two. */
    AVE,
    /** Not combined: two outputs (Keras's None). */
    NONE
}
