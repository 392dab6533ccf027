/**
 * Plumbing shared by the layers module's packages (not exported): atomic file writes used by model
 * and weights saving, so that a crash never leaves half a file; the comparison masks of the
 * piecewise activation layers, shared by their forward and by stepping.
 */
package io.rnn4j.layers.internal;
