package io.rnn4j.layers.optimizers;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/** Weights with chosen values and gradients, for optimizer tests. */
final class TestWeights {
    private TestWeights() {
    }

    /** A Dense layer's kernel (1, n) holding {@code init}; its name is "kernel". */
    static Weight kernel(float... init) {
        Dense d = new Dense(init.length).useBias(false);
        d.build(Shape.of(1));
        Weight w = d.weights().get(0);
        w.set(Tensor.of(init, 1, init.length));
        return w;
    }

    /** A Dense layer's kernel (1, n) and bias (n), in that order. */
    static Weight[] kernelAndBias(float[] kernel, float[] bias) {
        Dense d = new Dense(kernel.length);
        d.build(Shape.of(1));
        Weight k = d.weights().get(0);
        Weight b = d.weights().get(1);
        k.set(Tensor.of(kernel, 1, kernel.length));
        b.set(Tensor.of(bias, bias.length));
        return new Weight[] {k, b};
    }

    /** Makes {@code g} the gradient of {@code w}: a real backward of Σ w·g puts exactly g there. */
    static void setGrad(Weight w, float[] g) {
        w.variable().zeroGrad();
        Ops.sumAll(Ops.mul(w.variable(), Variable.constant(Tensor.of(g, w.shape().dims())))).backward();
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
