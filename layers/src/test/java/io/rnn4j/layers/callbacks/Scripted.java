package io.rnn4j.layers.callbacks;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.metrics.Metrics;
import io.rnn4j.layers.model.Sequential;
import io.rnn4j.layers.optimizers.Optimizers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Test fixtures for callbacks: a small model that really trains, and a callback placed before the
 * one under test that overwrites a logged quantity with scripted values (so that the decisions can
 * be checked against Keras's rules) and records the weights at each epoch's end.
 */
final class Scripted extends Callback {
    private final String key;
    private final double[] values;
    final List<List<Tensor>> weightsAtEpochEnd = new ArrayList<>();

    Scripted(String key, double... values) {
        this.key = key;
        this.values = values;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (key != null) {
            logs.put(key, values[epoch]);
        }
        weightsAtEpochEnd.add(model().getWeights());
    }

    /** Dense(1) on 3 inputs, SGD(0.05), MSE and MAE: 32 samples of a noisy linear target (seed 5). */
    static Sequential newModel() {
        Sequential m = Sequential.of(Input.shape(3), new Dense(1));
        m.compile(Optimizers.sgd(0.05), Losses.meanSquaredError(), Metrics.meanAbsoluteError());
        return m;
    }

    static Tensor[] data(int n) {
        Random r = new Random(5);
        float[] x = new float[n * 3];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                x[i * 3 + j] = (float) r.nextGaussian();
            }
            y[i] = 0.5f * x[i * 3] - x[i * 3 + 1] + 0.25f * x[i * 3 + 2] + (float) (0.1 * r.nextGaussian());
        }
        return new Tensor[] {Tensor.of(x, n, 3), Tensor.of(y, n, 1)};
    }

    static boolean same(List<Tensor> a, List<Tensor> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i).toArray(), b.get(i).toArray())) {
                return false;
            }
        }
        return a.size() == b.size();
    }
}
