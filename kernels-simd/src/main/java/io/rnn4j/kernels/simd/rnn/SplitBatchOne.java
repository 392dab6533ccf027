package io.rnn4j.kernels.simd.rnn;

import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.kernels.simd.gemm.Gemv;
import io.rnn4j.kernels.simd.gemm.PackedMatrix;
import io.rnn4j.kernels.simd.gemm.Sgemm;
import io.rnn4j.kernels.simd.math.Activations;
import io.rnn4j.kernels.simd.platform.FreeList;
import io.rnn4j.kernels.simd.platform.SimdConstants;
import io.rnn4j.kernels.simd.platform.SimdThreads;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Opt-in ({@code -Drnn4j.simd.splitBatchOne=true}): one batch-1 inference sequence on two threads.
 * A batch-1 step is bound by streaming U from cache; split by units, each thread owns the gate
 * columns of its half of the units (packed once, about half of U, so on a machine with a cache
 * per core each half stays in its own core's L2), computes those units' gates and state, and the
 * two meet at one spinning barrier per step, after which both read the whole new h. The input
 * projection is split the same way (each thread projects its own units' gate columns), so nothing
 * runs on one thread alone but the start. The per-column sums are the same as in the one-thread
 * kernel's products, so results are bit-identical to it.
 *
 * <p>Covered: LSTM, GRU with reset_after, SimpleRNN, forward without a training workspace (GRU
 * with reset_before needs all of r before its second product: a second barrier, not done). The
 * two threads must run at once: if the pool's thread does not join within {@link #JOIN_NANOS}
 * (it is busy elsewhere), the caller runs the ordinary one-thread kernel instead, so the opt-in can
 * never deadlock. Spinning costs a core per thread: meant for latency-bound services with cores
 * to spare, not for loaded machines.
 */
final class SplitBatchOne {
    /** Whether the mode is on: read once, from {@code -Drnn4j.simd.splitBatchOne}. */
    static final boolean ENABLED = Boolean.getBoolean("rnn4j.simd.splitBatchOne");
    /** How long the first thread waits for the second before running alone. */
    static final long JOIN_NANOS = 200_000L;

    private static final int SOLO = Integer.MIN_VALUE / 2;
    /** Split runs are reused, buffers and all: a call allocates nothing once its sizes have been seen. */
    private static final FreeList<SplitBatchOne> FREE = new FreeList<>(FreeList.defaultSize(), SplitBatchOne::new);

    private RnnCall q;
    private CellKernel kernel;
    private int units;
    private int width;
    private int gates;
    /** The units split: [0, cut) and [cut, H). */
    private int cut;
    private long joinNanos;
    /** h before and after the step, alternating: step s reads h[s % 2] and writes h[(s + 1) % 2]. */
    private final float[][] h = {new float[0], new float[0]};
    private final Half[] halves = {new Half(), new Half()};
    /** The body each of the two threads runs: made once, so a call does not allocate a lambda. */
    private final IntConsumer body = this::half;
    private final AtomicInteger joined = new AtomicInteger();
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile boolean failed;

    private SplitBatchOne() {
    }

    /** One thread's working rows, grown to the largest half seen. */
    private static final class Half {
        float[] g = new float[0];
        float[] recur = new float[0];
        float[] c = new float[0];
        float[] ac = new float[0];
        float[] hd = new float[0];
        /** This half's input projection, T × G·w: each gate block's columns of its units. */
        float[] xw = new float[0];
        final float[] scratch = Activations.scratch();

        void size(int gates, int w, int units, int steps) {
            if (xw.length < steps * gates * w) {
                xw = new float[steps * gates * w];
            }
            if (g.length < gates * w) {
                g = new float[gates * w];
                recur = new float[gates * w];
            }
            if (c.length < w) {
                c = new float[w];
                ac = new float[w];
            }
            if (hd.length < units) {
                hd = new float[units];
            }
        }
    }

    /** Whether this call qualifies: opted in, batch 1, inference, a covered cell, two threads, two halves. */
    static boolean applies(RnnCall q) {
        boolean cell = q.cell == RnnCell.LSTM || q.cell == RnnCell.SIMPLE
                || (q.cell == RnnCell.GRU && q.spec.resetAfter());
        return ENABLED && cell && q.batch == 1 && !q.training() && SimdThreads.threads() >= 2
                && q.units >= 2 * SimdConstants.LANES;
    }

    /**
     * Runs the sequence split over two threads, or alone when the second does not come (see the
     * class comment); returns whether it was split.
     */
    static boolean forward(RnnCall q, CellKernel kernel) {
        return forward(q, kernel, JOIN_NANOS);
    }

    /** The same with another wait for the second thread (tests on loaded machines wait longer). */
    static boolean forward(RnnCall q, CellKernel kernel, long joinNanos) {
        SplitBatchOne split = FREE.borrow();
        try {
            return split.run(q, kernel, joinNanos);
        } finally {
            split.q = null; // a pooled run must not keep the call's arrays alive
            split.kernel = null;
            FREE.giveBack(split);
        }
    }

    private boolean run(RnnCall q, CellKernel kernel, long joinNanos) {
        this.q = q;
        this.kernel = kernel;
        this.joinNanos = joinNanos;
        this.units = q.units;
        this.width = q.width;
        this.gates = q.cell.gates();
        int lanes = SimdConstants.LANES;
        this.cut = Math.max(lanes, Math.round(units / 2f / lanes) * lanes);
        joined.set(0);
        arrived.set(0);
        failed = false;
        for (int i = 0; i < 2; i++) {
            if (h[i].length < units) {
                h[i] = new float[units];
            }
        }
        Arrays.fill(h[0], 0, units, 0f);
        kernel.initial(q.h0, q.h0Off, 0, 1, h[0]);
        // Each chunk is one half; Long.MAX_VALUE flops: always offered to the pool.
        SimdThreads.forEachChunk(2, Long.MAX_VALUE, body);
        return joined.get() == 2;
    }

    /** One thread's part: join, then the whole sequence for units of half {@code part}. */
    private void half(int part) {
        int order = joined.getAndIncrement();
        if (order == 0) {
            long deadline = System.nanoTime() + joinNanos;
            while (joined.get() < 2) {
                if (System.nanoTime() > deadline && joined.compareAndSet(1, SOLO)) {
                    kernel.forward(0, 1); // the other thread never came: the one-thread kernel
                    return;
                }
                Thread.onSpinWait();
            }
        } else if (order != 1) {
            return; // arrived after the first went solo
        }
        try {
            run(part, part == 0 ? 0 : cut, part == 0 ? cut : units);
        } catch (RuntimeException | Error e) {
            failed = true;
            throw e;
        }
    }

    /** Units [u0, u1) through every step, in the buffers of half {@code part}. */
    private void run(int part, int u0, int u1) {
        int w = u1 - u0;
        Gemv u = PackedWeights.gemvUnits(q.recurrentKernel, units, gates, units, u0, u1);
        Half mine = halves[part];
        mine.size(gates, w, units, q.steps);
        int gw = gates * w;
        float[] xw = mine.xw;
        project(u0, u1, xw);
        float[] g = mine.g;
        float[] recur = mine.recur;
        float[] c = mine.c;
        float[] ac = mine.ac;
        float[] hd = q.drop == null ? null : mine.hd;
        float[] scratch = mine.scratch;
        if (q.c0 != null) {
            System.arraycopy(q.c0, q.c0Off + u0, c, 0, w);
        } else {
            Arrays.fill(c, 0, w, 0f);
        }
        UnaryOp act = q.spec.activation();
        UnaryOp rec = q.spec.recurrentActivation();
        boolean started = false;
        for (int s = 0; s < q.steps; s++) {
            int t = q.time(s);
            float[] hp = h[s % 2];
            float[] hn = h[(s + 1) % 2];
            int out = kernel.outRow(0, s) + u0;
            if (!q.used(0, t)) {
                System.arraycopy(hp, u0, hn, u0, w);
                if (started && !q.spec.zeroOutputForMask()) {
                    System.arraycopy(hp, u0, q.out, out, w);
                } else {
                    Arrays.fill(q.out, out, out + w, 0f);
                }
            } else {
                float[] a = hp;
                if (hd != null) {
                    Lanes.mul(hp, 0, q.drop, q.dropOff, hd, 0, units);
                    a = hd;
                }
                int xo = t * gw;
                switch (q.cell) {
                    case LSTM -> {
                        u.multiply(a, 0, g, 0, false);
                        for (int k = 0; k < 4; k++) {
                            Lanes.addTo(g, k * w, xw, xo + k * w, w);
                        }
                        if (LstmGates.applies(act, rec)) {
                            LstmGates.step(g, 0, c, 0, hn, u0, q.out, out, w, ac, null, 0, null, 0);
                        } else {
                            Activations.apply(rec, g, 0, g, 0, 2 * w, scratch);
                            Activations.apply(act, g, 2 * w, g, 2 * w, w, scratch);
                            Activations.apply(rec, g, 3 * w, g, 3 * w, w, scratch);
                            LstmKernel.updateCell(g, 0, c, 0, w);
                            Activations.apply(act, c, 0, ac, 0, w, scratch);
                            LstmKernel.hidden(g, 3 * w, ac, 0, hn, u0, q.out, out, w);
                        }
                    }
                    case GRU -> {
                        // The one-thread kernel's operations in its order, so the sums round alike.
                        if (GruGates.applies(act, rec, q.bias != null)) {
                            // The step's projection row is read once, so the pass consumes it in place.
                            u.multiply(a, 0, recur, 0, false);
                            GruGates.step(xw, xo, recur, 0, q.bias, q.biasOff + width + u0, units, hp, u0, hn, u0,
                                    q.out, out, w, null, 0, null, 0);
                        } else {
                            if (q.bias != null) { // recur = h·U + b1 for this half's units
                                for (int k = 0; k < 3; k++) {
                                    System.arraycopy(q.bias, q.biasOff + width + k * units + u0, recur, k * w, w);
                                }
                            }
                            u.multiply(a, 0, recur, 0, q.bias != null);
                            for (int k = 0; k < 3; k++) {
                                System.arraycopy(xw, xo + k * w, g, k * w, w);
                            }
                            Lanes.addTo(g, 0, recur, 0, 2 * w);
                            Activations.apply(rec, g, 0, g, 0, 2 * w, scratch);
                            GruKernel.candidate(g, 0, recur, 2 * w, w);
                            Activations.apply(act, g, 2 * w, g, 2 * w, w, scratch);
                            GruKernel.interpolate(g, 0, hp, u0, hn, u0, q.out, out, w);
                        }
                    }
                    case SIMPLE -> {
                        u.multiply(a, 0, g, 0, false);
                        Lanes.addTo(g, 0, xw, xo, w);
                        Activations.apply(act, g, 0, g, 0, w, scratch);
                        System.arraycopy(g, 0, hn, u0, w);
                        System.arraycopy(g, 0, q.out, out, w);
                    }
                }
                started = true;
            }
            barrier(s);
        }
        float[] last = h[q.steps % 2];
        if (q.lastH != null) {
            System.arraycopy(last, u0, q.lastH, q.lastHOff + u0, w);
        }
        if (q.lastC != null) {
            System.arraycopy(c, 0, q.lastC, q.lastCOff + u0, w);
        }
    }

    /**
     * This half's input projection: {@code xw[t] = x[t]·W + b} over the columns of units [u0, u1)
     * of every gate block, on this thread, so the projection is split like the steps. Bias first
     * and the GEMM added to it, as the one-thread kernel's projection, so each element is the
     * same sum in the same order.
     */
    private void project(int u0, int u1, float[] xw) {
        int w = u1 - u0;
        int gw = gates * w;
        float beta = 0f;
        if (q.bias != null) {
            for (int t = 0; t < q.steps; t++) {
                for (int k = 0; k < gates; k++) {
                    System.arraycopy(q.bias, q.biasOff + k * units + u0, xw, t * gw + k * w, w);
                }
            }
            beta = 1f;
        }
        PackedMatrix wHalf = PackedWeights.gemmUnits(q.kernel, q.inputs, gates, units, u0, u1);
        Sgemm.gemm(false, q.steps, 1f, q.xs, q.xOff, q.inputs, wHalf, beta, xw, 0, gw, 1);
    }

    /**
     * Both halves have written step s: a count that only grows, so no reset between steps. The
     * atomic increment publishes this thread's writes of h; reading the count sees the other's.
     */
    private void barrier(int s) {
        int target = 2 * (s + 1);
        arrived.incrementAndGet();
        for (int spins = 0; arrived.get() < target; spins++) {
            if (failed) {
                throw new IllegalStateException("simd: the other half of a split batch-1 sequence failed");
            }
            if ((spins & 0xFFFF) == 0xFFFF) {
                Thread.yield(); // a descheduled partner on a loaded machine
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
