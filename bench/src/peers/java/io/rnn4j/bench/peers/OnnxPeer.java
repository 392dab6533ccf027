package io.rnn4j.bench.peers;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.rnn4j.engine.RnnCase;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * ONNX Runtime on a model with one RNN/LSTM/GRU node built in code ({@link OnnxModel}). ONNX
 * wants gate-major weights (G·H × D) in its own gate order — LSTM i,o,f,c; GRU z,r,h (as Keras);
 * a bias of input and recurrent halves; GRU with linear_before_reset=1, which is Keras's
 * reset_after. Inference only: training cases are not run.
 */
final class OnnxPeer implements PeerSystem {
    private static final int[] LSTM_ORDER = {0, 3, 1, 2};

    @Override
    public String name() {
        return "onnxruntime";
    }

    @Override
    public Prepared prepare(RnnCase c, int threads) throws Exception {
        if (c.training) {
            return null;
        }
        int b = c.batch;
        int t = c.steps;
        int d = c.inputSize;
        int h = c.units;
        int gates = c.cell.gates();
        int gh = gates * h;
        float[][] wv = c.weightValues();
        int[] order = switch (c.cell) {
            case LSTM -> LSTM_ORDER;
            case GRU -> new int[] {0, 1, 2};
            case SIMPLE -> new int[] {0};
        };
        float[] bias = new float[2 * gh];
        switch (c.cell) {
            case GRU -> {
                System.arraycopy(wv[2], 0, bias, 0, 2 * gh); // rows: input bias, recurrent bias
            }
            default -> System.arraycopy(Layouts.permuteGateColumns(wv[2], 1, h, order), 0, bias, 0, gh);
        }
        String op = switch (c.cell) {
            case SIMPLE -> "RNN";
            case LSTM -> "LSTM";
            case GRU -> "GRU";
        };
        byte[] model = OnnxModel.recurrent(op, t, b, d, h, gates, Layouts.gateMajor(wv[0], d, h, order),
                Layouts.gateMajor(wv[1], h, h, order), bias, true);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        // As OMP_WAIT_POLICY=PASSIVE for the others (see Peers): no busy-waiting pool threads on a
        // machine shared by more threads than cores.
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        OrtSession session = env.createSession(model, options);
        OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(Layouts.timeMajor(c.inputValues(), b, t, d)),
                new long[] {t, b, d});
        Map<String, OnnxTensor> inputs = Map.of("X", x);
        return new Prepared() {
            @Override
            public void run() throws Exception {
                try (OrtSession.Result r = session.run(inputs)) {
                    r.size();
                }
            }

            @Override
            public double[] checksums() throws Exception {
                try (OrtSession.Result r = session.run(inputs)) {
                    FloatBuffer y = ((OnnxTensor) r.get("Y").orElseThrow()).getFloatBuffer();
                    float[] out = new float[y.remaining()];
                    y.get(out);
                    return Sums.timeMajor(out, t, b, h);
                }
            }

            @Override
            public void close() throws Exception {
                x.close();
                session.close();
                options.close();
            }
        };
    }
}
