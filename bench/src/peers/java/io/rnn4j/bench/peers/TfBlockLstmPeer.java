package io.rnn4j.bench.peers;

import io.rnn4j.engine.RnnCase;
import io.rnn4j.engine.RnnCell;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.BlockLSTM;
import org.tensorflow.op.nn.BlockLSTMGrad;
import org.tensorflow.types.TFloat32;

/**
 * TensorFlow's fused LSTM kernel, BlockLSTMV2 (the op Keras's LSTM falls back to on CPUs), with
 * BlockLSTMGradV2 for the training case. It takes one weight matrix {@code [W; U]} of (D+H)×4H in
 * Keras's gate order i, f, c, o, no forget bias and no cell clipping (0 turns clipping off); time-
 * major inputs. LSTM cases only.
 */
final class TfBlockLstmPeer implements PeerSystem {

    @Override
    public String name() {
        return "tf-blocklstm";
    }

    @Override
    public Prepared prepare(RnnCase c, int threads) {
        if (c.cell != RnnCell.LSTM) {
            return null;
        }
        int b = c.batch;
        int t = c.steps;
        int d = c.inputSize;
        int h = c.units;
        Graph g = new Graph();
        Ops tf = Ops.create(g);
        Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(t, b, d)));
        Placeholder<TFloat32> w = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(d + h, 4L * h)));
        Placeholder<TFloat32> bias = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(4L * h)));
        var seqLen = tf.constant((long) t);
        var zerosBh = tf.zeros(tf.constant(new int[] {b, h}), TFloat32.class);
        var zerosH = tf.zeros(tf.constant(new int[] {h}), TFloat32.class);
        BlockLSTM<TFloat32> lstm = tf.nn.blockLSTM(seqLen, x, zerosBh, zerosBh, w, zerosH, zerosH, zerosH, bias,
                BlockLSTM.cellClip(0f), BlockLSTM.usePeephole(false));
        BlockLSTMGrad<TFloat32> grad = null;
        if (c.training) {
            // L = sum(h): dL/dh is 1 at every step, nothing flows into the cell states from outside.
            var ones = tf.fill(tf.constant(new int[] {t, b, h}), tf.constant(1f));
            var noCs = tf.zeros(tf.constant(new int[] {t, b, h}), TFloat32.class);
            grad = tf.nn.blockLSTMGrad(seqLen, x, zerosBh, zerosBh, w, zerosH, zerosH, zerosH, bias, lstm.i(),
                    lstm.cs(), lstm.f(), lstm.o(), lstm.ci(), lstm.co(), lstm.h(), noCs, ones, false);
        }
        Session session = Tf.session(g, threads);
        float[][] wv = c.weightValues();
        float[] wu = new float[(d + h) * 4 * h];
        System.arraycopy(wv[0], 0, wu, 0, wv[0].length);
        System.arraycopy(wv[1], 0, wu, wv[0].length, wv[1].length);
        Tf.Run run = new Tf.Run(c, g, session, lstm.h())
                .feed(x, Tf.tensor(Layouts.timeMajor(c.inputValues(), b, t, d), t, b, d))
                .feed(w, Tf.tensor(wu, d + h, 4L * h))
                .feed(bias, Tf.tensor(wv[2], 4L * h));
        if (grad == null) {
            return run;
        }
        // BlockLSTM's weight gradient is that of [W; U]: its first D rows are dL/dW, the rest dL/dU.
        return run.gradients(List.of(grad.wGrad(), grad.bGrad(), grad.xGrad()), values -> {
            float[] dwu = values[0];
            double dw = 0;
            double du = 0;
            for (int i = 0; i < dwu.length; i++) {
                if (i < d * 4 * h) {
                    dw += dwu[i];
                } else {
                    du += dwu[i];
                }
            }
            return new double[] {dw, du, Sums.of(values[1]), Sums.of(values[2])};
        });
    }
}
