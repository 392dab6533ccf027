package io.rnn4j.kernels.simd.platform;

import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The kernels' own threads: a dedicated pool of known size, never the common pool (a service's
 * other work must not steal the cores a GEMM was split for, nor the other way round).
 *
 * <p>Size: {@code -Drnn4j.threads=N}, default the number of available processors. The calling
 * thread always works too, so the pool holds {@code N - 1} daemon threads, started on first use;
 * they spin for 50 µs after each job, then park.
 *
 * <p>Work is handed out as numbered chunks; a kernel splits its output into contiguous chunks
 * that do not depend on the thread count, so every output element has one writer and is computed
 * the same way whoever runs its chunk: results are bit-identical for any thread count. Work below
 * a size threshold, a single chunk, a pool of one, or a call from inside a pool thread (nested
 * parallelism) runs on the caller thread alone.
 */
public final class SimdThreads {
    private static final System.Logger LOG = System.getLogger("io.rnn4j.kernels.simd");

    /**
     * Below about this many flops a split does not pay: waking a parked thread costs some
     * microseconds, which is this much work at tens of GFLOP/s.
     */
    public static final long MIN_PARALLEL_FLOPS = 1L << 21;

    private SimdThreads() {
    }

    /** Calls of {@link #forEachChunk} that went to the pool, so far. */
    private static final LongAdder SPLITS = new LongAdder();

    /**
     * How many calls have been spread over the pool so far: a test's way to see that a path meant
     * for the caller thread alone (a batch of one) never wakes the pool.
     */
    public static long splits() {
        return SPLITS.sum();
    }

    /** Threads that work on one call, the caller included (at least 1). */
    public static int threads() {
        return Size.THREADS;
    }

    /**
     * Runs {@code body.accept(chunk)} for every chunk in {@code [0, chunks)}, each exactly once,
     * spread over at most {@link #threads()} threads, and returns when all are done. With
     * {@code flops} below {@link #MIN_PARALLEL_FLOPS} everything runs on the caller thread; pass
     * {@code Long.MAX_VALUE} to split whatever the size (e.g. a batch-1 step that keeps each half of
     * the weights in its own core's cache). Allocates one small object per call that splits.
     * Chunks must write disjoint outputs. The first exception a chunk throws is rethrown here,
     * after every started chunk has finished.
     */
    public static void forEachChunk(int chunks, long flops, IntConsumer body) {
        if (chunks <= 0) {
            return;
        }
        if (chunks == 1 || flops < MIN_PARALLEL_FLOPS || Size.THREADS == 1
                || Thread.currentThread() instanceof Worker) {
            for (int c = 0; c < chunks; c++) {
                body.accept(c);
            }
            return;
        }
        SPLITS.increment();
        Job job = new Job(chunks, body, Thread.currentThread());
        int helpers = Math.min(Size.THREADS - 1, chunks - 1);
        Pool.submit(job, helpers);
        job.run(); // the caller takes chunks too, so it finishes alone if the pool is busy
        job.awaitAll();
    }

    /** One call's chunks: whoever runs it takes the next chunk until none are left. */
    private static final class Job implements Runnable {
        private final int chunks;
        private final IntConsumer body;
        private final Thread caller;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();
        private volatile Throwable failure;

        Job(int chunks, IntConsumer body, Thread caller) {
            this.chunks = chunks;
            this.body = body;
            this.caller = caller;
        }

        @Override
        public void run() {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                try {
                    body.accept(c);
                } catch (Throwable t) {
                    if (failure == null) {
                        failure = t;
                    }
                }
                if (finished.incrementAndGet() == chunks) {
                    LockSupport.unpark(caller);
                }
            }
        }

        void awaitAll() {
            // Spin briefly (the other chunks usually end within microseconds of ours), then park.
            for (int spins = 0; finished.get() < chunks; spins++) {
                if (spins < 2000) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 50_000L);
                }
            }
            Throwable t = failure;
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }

    /**
     * The pool's threads. After a job a worker spins briefly before parking: a kernel split over
     * threads is usually followed by another (the next GEMM, the next time step), and waking a parked
     * thread costs tens of microseconds, as much as the work a split saves on a small GEMM.
     */
    private static final class Worker extends Thread {
        private static final long SPIN_NANOS = 50_000L;
        private volatile boolean sleeping;

        Worker(int id) {
            super("rnn4j-simd-" + id);
            setDaemon(true);
        }

        @Override
        public void run() {
            long lastWork = System.nanoTime();
            while (true) {
                Job job = Pool.QUEUE.poll();
                if (job != null) {
                    job.run();
                    lastWork = System.nanoTime();
                } else if (System.nanoTime() - lastWork < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    // Announce the nap, then look once more: a submitter either sees the flag and
                    // unparks us, or queued its job before our second look (both fields volatile).
                    sleeping = true;
                    if (Pool.QUEUE.isEmpty()) {
                        LockSupport.park(this);
                    }
                    sleeping = false;
                    lastWork = System.nanoTime();
                }
            }
        }
    }

    // Holder idiom (twice): the size is read on first use and the threads start on the first
    // parallel call, safely and without locking.
    private static final class Size {
        static final int THREADS = readThreads();

        private static int readThreads() {
            int cores = Runtime.getRuntime().availableProcessors();
            String value = System.getProperty("rnn4j.threads");
            if (value == null || value.isBlank()) {
                return cores;
            }
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            LOG.log(Level.WARNING, "-Drnn4j.threads=" + value + ": expected a positive integer; using " + cores);
            return cores;
        }
    }

    private static final class Pool {
        static final ConcurrentLinkedQueue<Job> QUEUE = new ConcurrentLinkedQueue<>();
        static final Worker[] WORKERS = startWorkers();

        static void submit(Job job, int helpers) {
            for (int h = 0; h < helpers; h++) {
                QUEUE.offer(job);
            }
            for (Worker w : WORKERS) {
                if (w.sleeping) {
                    LockSupport.unpark(w);
                }
            }
        }

        private static Worker[] startWorkers() {
            Worker[] workers = new Worker[Size.THREADS - 1];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = new Worker(i + 1);
                workers[i].start();
            }
            return workers;
        }
    }
}
