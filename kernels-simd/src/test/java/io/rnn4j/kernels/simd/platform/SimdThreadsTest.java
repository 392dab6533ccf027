package io.rnn4j.kernels.simd.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The kernels' pool: every chunk runs exactly once, small or nested work stays on the caller, errors surface. */
class SimdThreadsTest {
    private static final long BIG = SimdThreads.MIN_PARALLEL_FLOPS;

    @Test
    void runsEveryChunkExactlyOnce() {
        for (int chunks : new int[] {1, 2, 3, 17, 1000}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(chunks);
            SimdThreads.forEachChunk(chunks, BIG, runs::incrementAndGet);
            for (int c = 0; c < chunks; c++) {
                assertThat(runs.get(c)).as("chunk %d of %d", c, chunks).isEqualTo(1);
            }
        }
    }

    @Test
    void smallWorkStaysOnTheCallerThread() {
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        SimdThreads.forEachChunk(8, BIG - 1, c -> seen.add(Thread.currentThread()));
        assertThat(seen).containsExactly(Thread.currentThread());
    }

    @Test
    void largeWorkUsesAtMostThePoolSize() {
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        SimdThreads.forEachChunk(64, BIG, c -> {
            seen.add(Thread.currentThread());
            spin();
        });
        assertThat(seen.size()).isBetween(1, SimdThreads.threads());
        assertThat(SimdThreads.threads()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void twoChunksRunConcurrentlyWhenThePoolHasTwoThreads() {
        assumeTrue(SimdThreads.threads() >= 2, "needs -Drnn4j.threads >= 2 (this JVM: " + SimdThreads.threads() + ")");
        CountDownLatch both = new CountDownLatch(2);
        SimdThreads.forEachChunk(2, BIG, c -> {
            both.countDown();
            try {
                assertThat(both.await(10, TimeUnit.SECONDS)).as("the other chunk started on another thread").isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void nestedCallsRunInlineAndFinish() {
        AtomicIntegerArray runs = new AtomicIntegerArray(4 * 5);
        SimdThreads.forEachChunk(4, BIG, outer -> SimdThreads.forEachChunk(5, BIG,
                inner -> runs.incrementAndGet(outer * 5 + inner)));
        for (int i = 0; i < 20; i++) {
            assertThat(runs.get(i)).isEqualTo(1);
        }
    }

    @Test
    void aFailingChunkIsRethrownAfterTheOthersFinish() {
        AtomicIntegerArray runs = new AtomicIntegerArray(8);
        assertThatThrownBy(() -> SimdThreads.forEachChunk(8, BIG, c -> {
            runs.incrementAndGet(c);
            if (c == 3) {
                throw new IllegalStateException("chunk 3 failed");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("chunk 3 failed");
        for (int c = 0; c < 8; c++) {
            assertThat(runs.get(c)).isEqualTo(1);
        }
    }

    private static void spin() {
        long end = System.nanoTime() + 200_000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
