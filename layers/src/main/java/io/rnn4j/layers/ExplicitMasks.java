package io.rnn4j.layers;

/**
 * Which layers take Keras's explicit {@code layer(x, mask=m)}. Keras 3 passes {@code mask=} to the
 * layer's {@code call}, so a layer whose call has no {@code mask} parameter (Dense, Dropout,
 * GlobalMaxPooling1D, MultiHeadAttention, Concatenate, ...) raises Keras's TypeError "got an
 * unexpected keyword argument 'mask'": rnn4j refuses it by name instead of writing a file Keras
 * cannot load. Attention and AdditiveAttention take a list {@code [query_mask, value_mask]} there,
 * not the one mask applyWithMask gives.
 */
final class ExplicitMasks {
    private ExplicitMasks() {
    }

    /** Refuses {@code layer(x, mask=m)} for a layer whose Keras call takes no {@code mask}, naming it. */
    static void requireTakesMask(String where, Layer layer) {
        if (layer instanceof RecurrentLayer || layer instanceof Bidirectional || layer instanceof TimeDistributed
                || layer instanceof GlobalAveragePooling1D || layer instanceof Softmax
                || layer instanceof BatchNormalization || layer instanceof Lambda) {
            return;
        }
        if (layer instanceof Attention || layer instanceof AdditiveAttention) {
            throw new IllegalArgumentException(where + ": Keras's " + layer.className() + " takes its masks as a list "
                    + "[query_mask, value_mask], not one explicit mask; pass the masks on the query and value "
                    + "(an Embedding's mask_zero, Masking)");
        }
        throw new IllegalArgumentException(where + ": Keras's " + layer.className() + ".call takes no mask "
                + "argument (Keras raises TypeError: got an unexpected keyword argument 'mask'); an explicit mask "
                + "is taken by the recurrent layers, Bidirectional, TimeDistributed, GlobalAveragePooling1D, "
                + "Softmax, BatchNormalization and Lambda");
    }
}
