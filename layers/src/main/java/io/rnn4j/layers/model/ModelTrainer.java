package io.rnn4j.layers.model;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Outputs;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/**
 * A functional {@link Model} as the shared training loop sees it, with the compile setup it had
 * when fit, evaluate or trainOnBatch began (null: not compiled).
 */
final class ModelTrainer implements Trainable {
    private final Model model;
    private final Graph graph;
    private final Compiled compiled;

    ModelTrainer(Model model, Graph graph, Compiled compiled) {
        this.model = model;
        this.graph = graph;
        this.compiled = compiled;
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

    @Override
    public Compiled compiled() {
        return compiled;
    }

    @Override
    public void checkInputs(List<Tensor> xs, String op) {
        model.checkInputs(xs, op);
    }

    @Override
    public void checkBatches(int samples, int batchSize, String op) {
        model.checkBatches(samples, batchSize, op);
    }

    @Override
    public Outputs call(List<Variable> xs, CallContext ctx) {
        return graph.runWithMasks(xs, null, ctx);
    }

    @Override
    public List<Shape> outputShapes() {
        return model.outputShapes();
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputSamples) {
        return model.outputShapes(inputSamples);
    }

    @Override
    public List<String> outputNames() {
        return model.outputNames();
    }
}
