package io.rnn4j.bench.peers;

import org.tensorflow.Graph;
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
}
