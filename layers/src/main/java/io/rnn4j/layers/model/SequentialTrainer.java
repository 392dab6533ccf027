package io.rnn4j.layers.model;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Outputs;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/** A {@link Sequential} model as the shared training loop sees it: one input, one output. */
final class SequentialTrainer implements Trainable {
    private final Sequential model;

    SequentialTrainer(Sequential model) {
        this.model = model;
    }

    @Override
    public String name() {
        return model.name();
    }

    @Override
    public TrainableModel owner() {
        return model;
    }

    @Override
    public CustomSteps customSteps() {
        return model.customSteps();
    }

    @Override
    public Device device() {
        return model.device();
    }

    @Override
    public List<Weight> weights() {
        return model.weights();
    }

    /** Compiled once it has an optimizer: compile's loss may be null (Keras's loss=None). */
    @Override
    public Compiled compiled() {
        return model.optimizer() == null ? null : new Compiled(model.optimizer(),
                model.loss() == null ? List.of() : List.of(model.loss()), null, List.of(model.metrics()),
                List.of(model.weightedMetrics()));
    }

    @Override
    public void checkInputs(List<Tensor> xs, String op) {
        if (xs.size() != 1) {
            throw new IllegalArgumentException(name() + "." + op + ": a Sequential model takes one input, got "
                    + xs.size());
        }
        model.ensureBuilt(xs.get(0), op);
        model.checkInput(xs.get(0), op);
    }

    @Override
    public void checkBatches(int samples, int batchSize, String op) {
        model.checkBatches(samples, batchSize, op);
    }

    @Override
    public Outputs call(List<Variable> xs, CallContext ctx) {
        return model.callWithMask(xs.get(0), null, ctx);
    }

    @Override
    public List<Shape> outputShapes() {
        return List.of(model.outputShape());
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputSamples) {
        return List.of(model.outputShapeFor(inputSamples.get(0)));
    }

    @Override
    public List<String> outputNames() {
        List<Layer> layers = model.layers();
        return List.of(layers.isEmpty() ? name() : layers.get(layers.size() - 1).name());
    }
}
