package io.rnn4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.model.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * DESIGN.md's bar that predict on a built model is safe from many threads at once: every input,
 * predicted concurrently {@code rounds} times from a pool of {@code threads}, gives the bits it
 * gave predicted alone.
 */
final class ConcurrentPredict {
    private ConcurrentPredict() {
    }

    /** Predicts each input alone, then all of them {@code rounds} times from {@code threads} threads. */
    static void assertSameBitsAsAlone(String what, Sequential m, List<Tensor> inputs, int threads, int rounds)
            throws Exception {
        List<float[]> alone = new ArrayList<>();
        for (Tensor x : inputs) {
            alone.add(m.predict(x).toArray());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<float[]>> got = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                for (Tensor x : inputs) {
                    got.add(pool.submit(() -> m.predict(x).toArray()));
                }
            }
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).get()).as("%s: input %d predicted from %d threads", what, i % inputs.size(),
                        threads).isEqualTo(alone.get(i % inputs.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
