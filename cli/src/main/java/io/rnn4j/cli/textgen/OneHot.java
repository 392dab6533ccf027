package io.rnn4j.cli.textgen;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Tensor;

/**
 * Training pairs for next-character prediction: each input is a run of characters as one-hot
 * vectors (seqLength, vocabulary), its labels the same run shifted by one character.
 */
final class OneHot {
    private OneHot() {
    }

    /** (count, seqLength, vocab) one-hot inputs starting at each offset. */
    static Tensor inputs(Device device, int[] ids, int[] offsets, int seqLength, int vocab) {
        float[] x = new float[offsets.length * seqLength * vocab];
        for (int s = 0; s < offsets.length; s++) {
            for (int t = 0; t < seqLength; t++) {
                x[(s * seqLength + t) * vocab + ids[offsets[s] + t]] = 1f;
            }
        }
        return device.tensor(x, offsets.length, seqLength, vocab);
    }

    /** (count, seqLength) labels: the character after each input character. */
    static Tensor labels(Device device, int[] ids, int[] offsets, int seqLength) {
        float[] y = new float[offsets.length * seqLength];
        for (int s = 0; s < offsets.length; s++) {
            for (int t = 0; t < seqLength; t++) {
                y[s * seqLength + t] = ids[offsets[s] + t + 1];
            }
        }
        return device.tensor(y, offsets.length, seqLength);
    }

    /** One character as a one-hot row. */
    static float[] of(int id, int vocab) {
        float[] v = new float[vocab];
        v[id] = 1f;
        return v;
    }
}
