package io.rnn4j.layers.model;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Autograd;
import io.rnn4j.layers.autograd.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * predict's loop for Sequential and Model: the inputs cut into batches run with no graph recorded,
 * each output's batches copied into one tensor; a single batch's outputs are the result
 * themselves (no second tensor and copy, 5-10 % of a batch-1 LSTM's predict), unless that is
 * storage the caller must not get (see {@link #isOwnResult}).
 */
final class Prediction {
    private Prediction() {
    }

    /**
     * @param x       one tensor per input, checked, with one number of samples
     * @param samples each output's sample shape for these inputs (None where only data tells),
     *                asked for only when there are several batches or none
     * @param run     the model in inference on one batch per input
     * @param weights the model's weights, asked for only with one batch
     */
    static List<Tensor> run(Device device, List<Tensor> x, int batchSize, Supplier<List<Shape>> samples,
            Function<List<Variable>, List<Variable>> run, Supplier<List<Weight>> weights, List<Layer> layers) {
        int n = x.get(0).dim(0);
        List<Tensor> out = new ArrayList<>();
        try (var _ = Autograd.noGrad()) {
            if (n > 0 && n <= batchSize) {
                List<Variable> y = run.apply(x.stream().map(Variable::constant).toList());
                if (ModelLayers.firstStateful(layers) != null) {
                    // a stateful layer keeps the states it returns as its next call's
                    return y.stream().map(v -> v.value().copy()).toList();
                }
                List<Tensor> taken = new ArrayList<>(x);
                List<Weight> ws = weights.get();
                for (Variable v : y) {
                    out.add(isOwnResult(v.value(), taken, ws) ? v.value() : v.value().copy());
                    taken.add(out.getLast());
                }
                return out;
            }
            for (Shape s : samples.get()) {
                out.add(Batches.outputs(device, n, s));
            }
            for (int from = 0; from < n; from += batchSize) {
                int count = Math.min(batchSize, n - from);
                List<Variable> batch = new ArrayList<>();
                for (Tensor t : x) {
                    batch.add(Variable.constant(t.narrow(from, count)));
                }
                List<Variable> y = run.apply(batch);
                for (int i = 0; i < y.size(); i++) {
                    if (out.get(i) == null) {
                        out.set(i, Batches.outputs(device, n, y.get(i).value().shape().tail()));
                    }
                    device.copy(y.get(i).value(), out.get(i).narrow(from, count));
                }
            }
        }
        return out;
    }

    /**
     * Whether a model's output {@code y} is storage of its own, which predict may hand to its caller:
     * not that of an input (a model of Reshape or Dropout alone), another output, or a weight.
     */
    private static boolean isOwnResult(Tensor y, List<Tensor> others, List<Weight> weights) {
        for (Tensor t : others) {
            if (t.storage() == y.storage()) {
                return false;
            }
        }
        for (Weight w : weights) {
            if (w.value().storage() == y.storage()) {
                return false;
            }
        }
        return true;
    }
}
