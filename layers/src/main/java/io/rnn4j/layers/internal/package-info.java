/**
 * Plumbing shared by the layers module's packages (not exported): atomic file writes used by model
 * and weights saving, so that a crash never leaves half a file; the comparison masks of the
 * piecewise activation layers, shared by their forward and by stepping, and the not-zero mask of a
 * cast to bool (Embedding's mask_zero, bool Inputs, explicit masks, any/all); the string hashes
 * (FarmHash Fingerprint64, SipHash-2-4) that Keras's hashing layers run through TensorFlow.
 */
package io.rnn4j.layers.internal;
