package io.rnn4j.bench.peers;

import io.rnn4j.engine.RnnCase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/** What the two TensorFlow peers share: sessions with a thread count, host arrays in and out. */
final class Tf {
    private Tf() {
    }

    /** A session on {@code graph} whose op pools have {@code threads} threads. */
    static Session session(Graph graph, int threads) {
        ConfigProto config = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(threads)
                .setInterOpParallelismThreads(threads)
                .build();
        return new Session(graph, config);
    }

    static TFloat32 tensor(float[] data, long... dims) {
        return TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(data, true, false));
    }

    static float[] read(TFloat32 t) {
        float[] out = new float[Math.toIntExact(t.shape().size())];
        t.copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    /**
     * A case's graph ready to run: its inputs fed on every run (so TF cannot fold them into
     * constants), its time-major output sequence fetched, and for a training case the gradients
     * after it. Closing it closes the fed tensors, the session and the graph.
     */
    static final class Run implements PeerSystem.Prepared {
        private final RnnCase rnnCase;
        private final Graph graph;
        private final Session session;
        private final Operand<TFloat32> output;
        private final Map<Operand<TFloat32>, TFloat32> feeds = new LinkedHashMap<>();
        private final List<Operand<?>> gradients = new ArrayList<>();
        private Function<float[][], double[]> gradientSums;

        /** {@code output}: the (steps, batch, units) output sequence of {@code rnnCase}. */
        Run(RnnCase rnnCase, Graph graph, Session session, Operand<TFloat32> output) {
            this.rnnCase = rnnCase;
            this.graph = graph;
            this.session = session;
            this.output = output;
        }

        /** Feeds {@code value} to {@code placeholder} on every run; the run owns it from now on. */
        Run feed(Operand<TFloat32> placeholder, TFloat32 value) {
            feeds.put(placeholder, value);
            return this;
        }

        /**
         * Fetches {@code fetched} too (a training case); {@code sums} turns their values, in that
         * order, into the sums of dL/dW, dL/dU, dL/db and dL/dx.
         */
        Run gradients(List<? extends Operand<?>> fetched, Function<float[][], double[]> sums) {
            gradients.addAll(fetched);
            gradientSums = sums;
            return this;
        }

        private Session.Runner runner() {
            Session.Runner r = session.runner();
            feeds.forEach(r::feed);
            r.fetch(output);
            gradients.forEach(r::fetch);
            return r;
        }

        @Override
        public void run() {
            try (Result r = runner().run()) {
                r.size();
            }
        }

        @Override
        public double[] checksums() {
            try (Result r = runner().run()) {
                double[] sums = Sums.timeMajor(read((TFloat32) r.get(0)), rnnCase.steps, rnnCase.batch, rnnCase.units);
                if (gradients.isEmpty()) {
                    return sums;
                }
                float[][] values = new float[gradients.size()][];
                for (int i = 0; i < values.length; i++) {
                    values[i] = read((TFloat32) r.get(1 + i));
                }
                return Sums.concat(sums, gradientSums.apply(values));
            }
        }

        @Override
        public void close() {
            feeds.values().forEach(TFloat32::close);
            session.close();
            graph.close();
        }
    }
}
