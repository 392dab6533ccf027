/**
 * {@code rnn4j sentiment}: Embedding(mask_zero) → Bidirectional(LSTM) → Dense(sigmoid) on the
 * 3,000 labelled review sentences of the UCI Sentiment Labelled Sentences set; held-out accuracy,
 * and the sentences given on the command line classified.
 */
package io.rnn4j.cli.sentiment;
