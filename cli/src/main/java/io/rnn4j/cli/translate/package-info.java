/**
 * {@code rnn4j translate}: an encoder-decoder GRU with attention, built with the functional API,
 * that rewrites dates written in many languages and formats (java.time's locale data) as ISO
 * dates, with greedy decoding and the attention drawn as text.
 */
package io.rnn4j.cli.translate;
