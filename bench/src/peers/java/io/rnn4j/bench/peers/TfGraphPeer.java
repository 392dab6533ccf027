package io.rnn4j.bench.peers;

import io.rnn4j.engine.RnnCase;
import io.rnn4j.engine.RnnCell;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TFloat32;

/**
 * TensorFlow running Keras's cell formulas as a graph of TF ops: the input projection of all
 * timesteps as one MatMul, then per step {@code h·U}, the gate activations and the state update,
 * unrolled over the sequence. Training cases add TF's graph gradients of sum(outputs). Weights and
 * inputs are fed as placeholders on every run (so TF cannot fold them into constants).
 */
final class TfGraphPeer implements PeerSystem {

    @Override
    public String name() {
        return "tf-keras-graph";
    }

    @Override
    public Prepared prepare(RnnCase c, int threads) {
        Graph g = new Graph();
        Ops tf = Ops.create(g);
        int b = c.batch;
        int t = c.steps;
        int d = c.inputSize;
        int h = c.units;
        int gh = c.cell.gates() * h;
        boolean gru = c.cell == RnnCell.GRU;
        Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(t, b, d)));
        Placeholder<TFloat32> w = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(d, gh)));
        Placeholder<TFloat32> u = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(h, gh)));
        Placeholder<TFloat32> bias = tf.placeholder(TFloat32.class,
                Placeholder.shape(gru ? Shape.of(2, gh) : Shape.of(gh)));
        Operand<TFloat32> inputBias = bias;
        Operand<TFloat32> recurrentBias = null;
        if (gru) {
            List<org.tensorflow.Output<TFloat32>> rows = tf.unstack(bias, 2L, Unstack.axis(0L)).output();
            inputBias = rows.get(0);
            recurrentBias = rows.get(1);
        }
        // All timesteps' input projections at once: (T·B, D)·(D, G·H) + b, then one (B, G·H) per step.
        Operand<TFloat32> xw = tf.math.add(tf.linalg.matMul(tf.reshape(x, tf.constant(new int[] {t * b, d})), w),
                inputBias);
        List<org.tensorflow.Output<TFloat32>> steps = tf.unstack(tf.reshape(xw, tf.constant(new int[] {t, b, gh})),
                (long) t, Unstack.axis(0L)).output();
        Operand<TFloat32> state = tf.zeros(tf.constant(new int[] {b, h}), TFloat32.class);
        Operand<TFloat32> cell = state;
        Operand<TFloat32> one = tf.constant(1f);
        List<Operand<TFloat32>> outputs = new ArrayList<>();
        for (int s = 0; s < t; s++) {
            Operand<TFloat32> hu = tf.linalg.matMul(state, u);
            switch (c.cell) {
                case SIMPLE -> state = tf.math.tanh(tf.math.add(steps.get(s), hu));
                case LSTM -> {
                    List<org.tensorflow.Output<TFloat32>> z = tf.split(tf.constant(1), tf.math.add(steps.get(s), hu), 4L)
                            .output();
                    Operand<TFloat32> i = tf.math.sigmoid(z.get(0));
                    Operand<TFloat32> f = tf.math.sigmoid(z.get(1));
                    Operand<TFloat32> cc = tf.math.tanh(z.get(2));
                    Operand<TFloat32> o = tf.math.sigmoid(z.get(3));
                    cell = tf.math.add(tf.math.mul(f, cell), tf.math.mul(i, cc));
                    state = tf.math.mul(o, tf.math.tanh(cell));
                }
                case GRU -> {
                    List<org.tensorflow.Output<TFloat32>> xs = tf.split(tf.constant(1), steps.get(s), 3L).output();
                    List<org.tensorflow.Output<TFloat32>> rs = tf.split(tf.constant(1),
                            tf.math.add(hu, recurrentBias), 3L).output();
                    Operand<TFloat32> z = tf.math.sigmoid(tf.math.add(xs.get(0), rs.get(0)));
                    Operand<TFloat32> r = tf.math.sigmoid(tf.math.add(xs.get(1), rs.get(1)));
                    Operand<TFloat32> n = tf.math.tanh(tf.math.add(xs.get(2), tf.math.mul(r, rs.get(2))));
                    state = tf.math.add(tf.math.mul(z, state), tf.math.mul(tf.math.sub(one, z), n));
                }
                default -> throw new IllegalStateException("unknown cell " + c.cell);
            }
            outputs.add(state);
        }
        Operand<TFloat32> out = tf.stack(outputs);
        Gradients grads = null;
        if (c.training) {
            Operand<TFloat32> loss = tf.sum(out, tf.constant(new int[] {0, 1, 2}));
            grads = tf.gradients(loss, List.of(w, u, bias, x));
        }
        Session session = Tf.session(g, threads);
        float[][] wv = c.weightValues();
        Tf.Run run = new Tf.Run(c, g, session, out)
                .feed(x, Tf.tensor(Layouts.timeMajor(c.inputValues(), b, t, d), t, b, d))
                .feed(w, Tf.tensor(wv[0], d, gh))
                .feed(u, Tf.tensor(wv[1], h, gh))
                .feed(bias, gru ? Tf.tensor(wv[2], 2, gh) : Tf.tensor(wv[2], gh));
        if (grads == null) {
            return run;
        }
        List<Operand<?>> dy = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            dy.add(grads.dy(i));
        }
        return run.gradients(dy, values -> new double[] {Sums.of(values[0]), Sums.of(values[1]), Sums.of(values[2]),
            Sums.of(values[3])});
    }
}
