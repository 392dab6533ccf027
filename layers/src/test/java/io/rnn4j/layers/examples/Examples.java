package io.rnn4j.layers.examples;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.losses.Ctc;
import io.rnn4j.layers.model.History;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * What the ported Keras examples share: seeded synthetic data, reading a summary's rows, starting a
 * Java-built model from a Keras file's weights, comparing a fit's history with Keras's and decoding CTC
 * outputs greedily.
 */
final class Examples {
    private Examples() {
    }

    /** Standard normal values of the given shape, from {@code seed}. */
    static Tensor gaussian(long seed, int... dims) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.of(v, dims);
    }

    /**
     * The summary's table rows as {name (class), output shape, params}, one per layer, with cells
     * that wrapped over several lines joined back as rich wraps them (a space between the parts).
     */
    static List<List<String>> rows(String summary) {
        return rows(summary, 3);
    }

    /** As {@link #rows(String)}, keeping the first {@code columns} cells (4: with a functional model's "Connected to"). */
    static List<List<String>> rows(String summary, int columns) {
        List<List<String>> rows = new java.util.ArrayList<>();
        List<StringBuilder> cells = null;
        for (String line : summary.lines().toList()) {
            if (line.startsWith("│")) {
                String[] parts = line.substring(1).split("│", -1);
                if (cells == null) {
                    cells = new java.util.ArrayList<>();
                    for (int i = 0; i < parts.length - 1; i++) {
                        cells.add(new StringBuilder());
                    }
                }
                for (int i = 0; i < parts.length - 1; i++) {
                    String p = parts[i].strip();
                    if (!p.isEmpty()) {
                        cells.get(i).append(cells.get(i).isEmpty() ? "" : " ").append(p);
                    }
                }
            } else if (cells != null) {
                // A rule (├ or └) ends a row.
                rows.add(cells.stream().map(StringBuilder::toString).limit(columns).collect(Collectors.toList()));
                cells = null;
            }
        }
        return rows;
    }

    /** The summary's "Total params", "Trainable params" and "Non-trainable params" lines. */
    static List<String> totals(String summary) {
        return summary.lines().filter(l -> l.startsWith(" Total params:") || l.startsWith(" Trainable params:")
                || l.startsWith(" Non-trainable params:")).map(String::strip).toList();
    }

    /** Gives {@code to} the Keras file's weights, in Keras's model.weights order, count and shapes checked. */
    static void copyWeights(List<Weight> from, List<Weight> to) {
        assertThat(to).hasSameSizeAs(from);
        for (int i = 0; i < from.size(); i++) {
            assertThat(to.get(i).value().shape()).as("weight %d (%s)", i, from.get(i).path())
                    .isEqualTo(from.get(i).value().shape());
            to.get(i).set(from.get(i).value());
        }
    }

    /**
     * Each epoch's {@code keys} in a row against Keras's history, saved as an (epochs, keys) array: as many
     * epochs as Keras ran, each key logged.
     */
    static void assertHistory(String what, History h, double[] want, String... keys) {
        assertThat(h.epochs() * keys.length).as(what + ": epochs x logs").isEqualTo(want.length);
        float[] got = new float[want.length];
        for (int e = 0; e < h.epochs(); e++) {
            for (int k = 0; k < keys.length; k++) {
                assertThat(h.get(keys[k])).as(what + ": logged " + keys[k]).isNotNull();
                got[e * keys.length + k] = h.get(keys[k]).get(e).floatValue();
            }
        }
        assertClose(what + " " + Arrays.toString(keys), got, want);
    }

    /**
     * Keras's {@code ctc_decode(softmax, lengths, strategy="greedy")} over every step of each sample: the
     * best path's labels, repeats merged, -1 after the end.
     *
     * @param maskIndex the blank: 0 as the keras-io examples call ops.ctc_decode, -1 (the last class) where
     *                  the CTC loss trained it there
     */
    static int[][] greedyDecode(Tensor softmax, int maskIndex) {
        int[] lengths = new int[softmax.shape().dim(0)];
        Arrays.fill(lengths, softmax.shape().dim(1));
        return Ctc.decode(softmax, lengths, "greedy", 100, 1, true, maskIndex).labels()[0];
    }
}
