package io.rnn4j.kernels.cuda;

import io.rnn4j.engine.RnnSpec;
import java.lang.System.Logger.Level;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-step forward sequences replayed from CUDA graphs. A sequence that does not fit the
 * persistent kernel costs one or two launches per step, each several microseconds of host time;
 * the second time the same call comes (same spec, shapes and tensor addresses: a loop over
 * batches in reused tensors), its launches are captured into a graph, and from then on one
 * {@code cuGraphLaunch} replays them all.
 *
 * <p>A graph refers to memory by address: the caller's tensors, whose contents are read when the
 * graph runs (new data in the same tensors is fine), and the sequence's scratch memory, which the
 * graph keeps until it is evicted (at most {@link #CAPACITY} graphs, least recently used first).
 * If a capture fails, graphs are switched off for this backend (logged once) and the call runs
 * directly.
 */
final class SequenceGraphs implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.rnn4j.kernels.cuda");
    /** Graphs kept at most. */
    static final int CAPACITY = 8;
    /** Calls remembered as seen once (a key seen twice is captured). */
    private static final int SEEN = 64;

    /** Everything a captured forward depends on besides the contents of memory. */
    record Key(RnnSpec spec, int batch, int steps, long x, long mask, long drop, long kernel, long recurrent,
            long bias, long h0, long c0, long out, long hLast, long cLast, long workspace, long gemmConfig) {
    }

    private final CudaContext ctx;
    private final LinkedHashMap<Key, CudaContext.Graph> graphs = new LinkedHashMap<>(16, 0.75f, true);
    private final LinkedHashMap<Key, Boolean> seen = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
            return size() > SEEN;
        }
    };
    private boolean enabled;
    private long replays;
    private long captures;

    SequenceGraphs(CudaContext ctx, boolean enabled) {
        this.ctx = ctx;
        this.enabled = enabled;
    }

    void enable(boolean on) {
        if (!on) {
            clear();
        }
        this.enabled = on;
    }

    /** Graph launches so far (tests check that replays happen). */
    long replays() {
        return replays;
    }

    /** Graphs captured so far. */
    long captures() {
        return captures;
    }

    /**
     * Queues the work of {@code body} for {@code key}: replayed from its graph, captured into one
     * (the key's second call), or run directly.
     */
    void run(Key key, Runnable body) {
        if (!enabled) {
            body.run();
            return;
        }
        CudaContext.Graph graph = graphs.get(key);
        if (graph != null) {
            ctx.launch(graph);
            replays++;
            return;
        }
        if (seen.remove(key) == null) {
            seen.put(key, Boolean.TRUE);
            body.run();
            return;
        }
        ctx.beginCapture();
        try {
            body.run();
            graph = ctx.endCapture(true);
        } catch (RuntimeException e) {
            ctx.endCapture(false);
            enabled = false;
            LOG.log(Level.WARNING, "rnn4j cuda: capturing a per-step sequence into a CUDA graph failed on "
                    + ctx.deviceName + "; running sequences without graphs: " + e.getMessage());
            body.run();
            return;
        }
        captures++;
        graphs.put(key, graph);
        if (graphs.size() > CAPACITY) {
            Iterator<CudaContext.Graph> eldest = graphs.values().iterator();
            ctx.destroy(eldest.next());
            eldest.remove();
        }
        ctx.launch(graph);
        replays++;
    }

    private void clear() {
        for (CudaContext.Graph g : graphs.values()) {
            ctx.destroy(g);
        }
        graphs.clear();
        seen.clear();
    }

    /** Destroys every graph (the context must still be open). */
    @Override
    public void close() {
        clear();
    }
}
