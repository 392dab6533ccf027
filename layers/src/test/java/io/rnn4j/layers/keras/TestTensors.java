package io.rnn4j.layers.keras;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The keras tests' data: seeded (the same seed gives the same tensor in every test) or read from Keras's JSON. */
final class TestTensors {
    private TestTensors() {
    }

    /** Standard normal values from {@code seed}, row-major in {@code dims}. */
    static Tensor gaussian(long seed, int... dims) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.of(v, dims);
    }

    /** Keras's nested lists of numbers (a JSON fixture's) as a float32 tensor of their shape. */
    static Tensor nested(Object v) {
        List<Integer> dims = new ArrayList<>();
        for (Object e = v; e instanceof List<?> l; e = l.get(0)) {
            dims.add(l.size());
        }
        List<Object> flat = flat(v);
        float[] f = new float[flat.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (double) (Double) flat.get(i);
        }
        return Tensor.of(f, dims.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The leaves of nested lists, row-major. */
    static List<Object> flat(Object v) {
        List<Object> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            l.forEach(x -> out.addAll(flat(x)));
        } else {
            out.add(v);
        }
        return out;
    }

    /** The numbers of nested lists, row-major. */
    static List<Double> numbers(Object v) {
        return flat(v).stream().map(x -> (Double) x).toList();
    }

    /** {@code l} built for x's sample shape and called on x in inference. */
    static Tensor call(Layer l, Tensor x) {
        l.build(x.shape().tail());
        return l.call(Variable.constant(x), null, CallContext.inference()).value();
    }
}
