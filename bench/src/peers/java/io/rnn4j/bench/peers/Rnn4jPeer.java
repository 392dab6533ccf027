package io.rnn4j.bench.peers;

import io.rnn4j.bench.CaseData;
import io.rnn4j.engine.Devices;
import io.rnn4j.engine.RnnCase;
import io.rnn4j.engine.Tensor;

/** rnn4j itself on one device, through the same code the JMH benchmarks use ({@link CaseData}). */
final class Rnn4jPeer implements PeerSystem {
    private final String device;
    private final String name;

    Rnn4jPeer(String device) {
        this(device, "rnn4j-" + device);
    }

    /** rnn4j on {@code device} under another name: a mode chosen by this JVM's flags (see Peers). */
    Rnn4jPeer(String device, String name) {
        this.device = device;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Prepared prepare(RnnCase c, int threads) {
        // The thread count reached rnn4j as -Drnn4j.threads in this JVM's command line (see Peers).
        CaseData data = new CaseData(c, Devices.get(device), c.training);
        return new Prepared() {
            @Override
            public void run() {
                data.forward();
                if (c.training) {
                    data.backward();
                }
                data.device.synchronize();
            }

            @Override
            public double[] checksums() {
                run();
                double[] out = RnnCase.checksums(data.output.toArray(), c.batch, c.steps, c.units);
                if (!c.training) {
                    return out;
                }
                Tensor[] g = {data.dWeights.kernel(), data.dWeights.recurrentKernel(), data.dWeights.bias(), data.dx};
                double[] all = new double[6];
                System.arraycopy(out, 0, all, 0, 2);
                for (int i = 0; i < 4; i++) {
                    all[2 + i] = Sums.of(g[i].toArray());
                }
                return all;
            }

            @Override
            public void close() {
                data.close();
            }
        };
    }
}
