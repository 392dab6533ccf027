package io.rnn4j.kernels.simd;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The GEMM's right operand is packed once and kept with its storage when the same B is multiplied
 * again (a layer's weights): the cached packing must give the bits of the per-call packing, follow
 * writes to B, and keep views of one storage apart.
 */
class RepeatedGemmOperandTest {
    private static final long SEED = 0x6e_44L;

    @Test
    void aRepeatedOperandGivesTheSameBitsAndFollowsWrites() {
        try (Device d = Devices.wrap(new SimdBackend())) {
            SplittableRandom rnd = new SplittableRandom(SEED);
            for (boolean transB : new boolean[] {false, true}) {
                int m = 13;
                int n = 71; // past two panels at every width, with a tail
                int k = 37;
                Tensor a = d.tensor(random(rnd, m * k), m, k);
                Tensor b = transB ? d.tensor(random(rnd, n * k), n, k) : d.tensor(random(rnd, k * n), k, n);
                float[] first = product(d, a, b, transB, m, n);
                float[] second = product(d, a, b, transB, m, n); // packs and keeps B
                float[] third = product(d, a, b, transB, m, n); // reads the kept packing
                String what = "transB=" + transB + " (seed " + SEED + ")";
                assertThat(second).as(what + ": second call vs first").isEqualTo(first);
                assertThat(third).as(what + ": third call vs first").isEqualTo(first);

                d.write(random(rnd, (int) b.size()), b);
                float[] afterWrite = product(d, a, b, transB, m, n);
                float[] fresh = product(d, a, d.tensor(b.toArray(), b.shape().dims()), transB, m, n);
                assertThat(afterWrite).as(what + ": after a write to B, vs a new tensor holding the same values")
                        .isEqualTo(fresh);
                assertThat(afterWrite).as(what + ": after a write to B, vs before").isNotEqualTo(first);
            }
        }
    }

    @Test
    void viewsOfOneStorageAreKeptApart() {
        try (Device d = Devices.wrap(new SimdBackend())) {
            SplittableRandom rnd = new SplittableRandom(SEED + 1);
            int m = 5;
            int n = 40;
            int k = 9;
            Tensor a = d.tensor(random(rnd, m * k), m, k);
            Tensor whole = d.tensor(random(rnd, 2 * k * n), 2 * k, n);
            Tensor top = whole.narrow(0, k);
            Tensor bottom = whole.narrow(k, k);
            for (int round = 0; round < 3; round++) { // the second and third rounds read packings kept per view
                float[] viaTop = product(d, a, top, false, m, n);
                float[] viaBottom = product(d, a, bottom, false, m, n);
                float[] topCopy = product(d, a, d.tensor(top.toArray(), k, n), false, m, n);
                float[] bottomCopy = product(d, a, d.tensor(bottom.toArray(), k, n), false, m, n);
                assertThat(viaTop).as("round " + round + ": top view").isEqualTo(topCopy);
                assertThat(viaBottom).as("round " + round + ": bottom view").isEqualTo(bottomCopy);
            }
        }
    }

    private static float[] product(Device d, Tensor a, Tensor b, boolean transB, int m, int n) {
        Tensor c = d.zeros(m, n);
        d.gemm(false, transB, 1f, a, b, 0f, c);
        return c.toArray();
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextDouble(-1, 1);
        }
        return v;
    }
}
