package io.rnn4j.bench.peers;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.recurrent.RNN;
import ai.djl.training.GradientCollector;
import io.rnn4j.engine.RnnCase;

/**
 * PyTorch through DJL: the fused {@code torch.rnn_tanh / lstm / gru} kernels that DJL's
 * NDArrayEx calls, batch-first. PyTorch wants gate-major weights ({@code w_ih} G·H × D,
 * {@code w_hh} G·H × H) and two biases; its LSTM gate order i,f,g,o is Keras's, its GRU order is
 * r,z,n (Keras: z,r,h) and its GRU is Keras's reset_after. Keras's single LSTM/RNN bias goes to
 * {@code b_ih} with {@code b_hh} zero. Training cases run autograd on sum(outputs).
 *
 * <p>The native library comes from the pytorch-native-cpu jar on the class path ({@code
 * ai.djl.offline=true}: nothing is downloaded); threads from {@code ai.djl.pytorch.num_threads},
 * set by {@link Peers} for this JVM.
 */
final class DjlTorchPeer implements PeerSystem {
    private NDManager manager;

    @Override
    public String name() {
        return "pytorch-djl";
    }

    @Override
    public Prepared prepare(RnnCase c, int threads) {
        if (manager == null) {
            manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        }
        NDManager m = manager.newSubManager();
        int b = c.batch;
        int t = c.steps;
        int d = c.inputSize;
        int h = c.units;
        int gh = c.cell.gates() * h;
        float[][] wv = c.weightValues();
        int[] order = switch (c.cell) {
            case GRU -> new int[] {1, 0, 2};
            case LSTM -> new int[] {0, 1, 2, 3};
            case SIMPLE -> new int[] {0};
        };
        NDArray x = m.create(c.inputValues(), new Shape(b, t, d));
        NDArray wih = m.create(Layouts.gateMajor(wv[0], d, h, order), new Shape(gh, d));
        NDArray whh = m.create(Layouts.gateMajor(wv[1], h, h, order), new Shape(gh, h));
        float[] bih;
        float[] bhh;
        if (c.cell == io.rnn4j.engine.RnnCell.GRU) {
            bih = Layouts.permuteGateColumns(Layouts.row(wv[2], 0, gh), 1, h, order);
            bhh = Layouts.permuteGateColumns(Layouts.row(wv[2], 1, gh), 1, h, order);
        } else {
            bih = Layouts.permuteGateColumns(wv[2], 1, h, order);
            bhh = new float[gh];
        }
        NDArray bIh = m.create(bih, new Shape(gh));
        NDArray bHh = m.create(bhh, new Shape(gh));
        NDArray h0 = m.zeros(new Shape(1, b, h));
        NDArray c0 = m.zeros(new Shape(1, b, h));
        NDList params = new NDList(wih, whh, bIh, bHh);
        if (c.training) {
            for (NDArray p : new NDArray[] {x, wih, whh, bIh, bHh}) {
                p.setRequiresGradient(true);
            }
        }
        return new Prepared() {
            private NDList forward() {
                NDArrayEx ex = x.getNDArrayInternal();
                return switch (c.cell) {
                    case LSTM -> ex.lstm(x, new NDList(h0, c0), params, true, 1, 0.0, c.training, false, true);
                    case GRU -> ex.gru(x, h0, params, true, 1, 0.0, c.training, false, true);
                    case SIMPLE -> ex.rnn(x, h0, params, true, 1, RNN.Activation.TANH, 0.0, c.training, false, true);
                };
            }

            /** Runs once; returns the output (B, T, H) when {@code read}, and leaves gradients when training. */
            private float[] once(boolean read) {
                if (!c.training) {
                    try (NDList out = forward()) {
                        return read ? out.get(0).toFloatArray() : null;
                    }
                }
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector();
                        NDList out = forward();
                        NDArray loss = out.get(0).sum()) {
                    gc.backward(loss);
                    return read ? out.get(0).toFloatArray() : null;
                }
            }

            @Override
            public void run() {
                once(false);
            }

            @Override
            public double[] checksums() {
                float[] y = once(true);
                double[] sums = RnnCase.checksums(y, b, t, h);
                if (!c.training) {
                    return sums;
                }
                double db = Sums.of(bIh.getGradient().toFloatArray());
                if (c.cell == io.rnn4j.engine.RnnCell.GRU) {
                    db += Sums.of(bHh.getGradient().toFloatArray());
                }
                return Sums.concat(sums, Sums.of(wih.getGradient().toFloatArray()),
                        Sums.of(whh.getGradient().toFloatArray()), db, Sums.of(x.getGradient().toFloatArray()));
            }

            @Override
            public void close() {
                m.close();
            }
        };
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }
}
