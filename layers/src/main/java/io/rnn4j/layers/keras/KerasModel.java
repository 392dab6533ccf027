package io.rnn4j.layers.keras;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Recurrent;
import io.rnn4j.layers.model.Sequential;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A model loaded from a Keras file: a {@link Sequential} (Sequential models, and functional models
 * that are a chain of layers — these can be compiled and trained further), or a functional graph
 * with several inputs or states passed between layers, which predicts. Either way
 * {@link #predict(Tensor)} gives Keras's outputs.
 */
public final class KerasModel {
    private final Sequential sequential;
    private final Graph graph;
    private final String kerasVersion;
    private final String trainingConfig;

    KerasModel(Sequential sequential, Graph graph, String kerasVersion, String trainingConfig) {
        this.sequential = sequential;
        this.graph = graph;
        this.kerasVersion = kerasVersion;
        this.trainingConfig = trainingConfig;
    }

    /** Whether this is a {@link Sequential} (which can also be trained); false for a functional graph. */
    public boolean isSequential() {
        return sequential != null;
    }

    /**
     * The model as a Sequential, to compile, fit, step or summarise.
     *
     * @throws IllegalStateException for a functional model that is not a chain of layers
     */
    public Sequential sequential() {
        if (sequential == null) {
            throw new IllegalStateException("this functional model (inputs " + graph.inputNames()
                    + ") is not a chain of layers, so it is not a Sequential; use predict(List)");
        }
        return sequential;
    }

    /** The layers in Keras's model.layers order (a functional model's InputLayers included, as Keras does). */
    public List<Layer> layers() {
        return sequential != null ? sequential.layers() : graph.layers();
    }

    /**
     * The layer named {@code name} (its name in the Keras config).
     *
     * @throws IllegalArgumentException naming the layers there are
     */
    public Layer layer(String name) {
        for (Layer l : layers()) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("no layer '" + name + "'; layers are "
                + layers().stream().map(Layer::name).toList());
    }

    /** The number of inputs the model takes. */
    public int inputCount() {
        return sequential != null ? 1 : graph.inputNames().size();
    }

    /** The shape of one sample of input {@code i} (no batch dimension). */
    public Shape inputShape(int i) {
        if (sequential != null) {
            Objects.checkIndex(i, 1);
            return sequential.inputShape();
        }
        return graph.inputShape(i);
    }

    /**
     * Keras's {@code model.predict(x)} for a model of one input and one output, at inference (no
     * dropout).
     *
     * @throws IllegalArgumentException for an input of the wrong shape, naming the layer
     */
    public Tensor predict(Tensor x) {
        if (sequential != null) {
            return sequential.predict(x);
        }
        if (graph.inputNames().size() != 1 || graph.outputCount() != 1) {
            throw new IllegalStateException("the model has " + graph.inputNames().size() + " inputs and "
                    + graph.outputCount() + " outputs; use predict(List)");
        }
        return graph.predict(List.of(x)).get(0);
    }

    /** Keras's {@code model.predict([x1, x2, ...])}: one batch per input, one tensor per output. */
    public List<Tensor> predict(List<Tensor> inputs) {
        if (sequential != null) {
            if (inputs.size() != 1) {
                throw new IllegalArgumentException("the model takes 1 input, got " + inputs.size());
            }
            return List.of(sequential.predict(inputs.get(0)));
        }
        return graph.predict(inputs);
    }

    /** Zeroes the states of every stateful recurrent layer (Keras's reset_states). */
    public void resetStates() {
        if (sequential != null) {
            sequential.resetStates();
            return;
        }
        for (Layer l : layers()) {
            if (l instanceof Recurrent<?> r && r.stateful()) {
                r.resetStates();
            } else if (l instanceof Bidirectional b && b.forwardLayer().stateful()) {
                b.resetStates();
            }
        }
    }

    /** Keras's count_params(). */
    public long countParams() {
        return layers().stream().mapToLong(l -> l.isBuilt() ? l.countParams() : 0).sum();
    }

    /** The version of Keras that wrote the file ("2.1.3", "3.9.2"), or empty for a model built in Java. */
    public Optional<String> kerasVersion() {
        return Optional.ofNullable(kerasVersion);
    }

    /**
     * The training setup saved with the model — Keras 2's {@code training_config} or Keras 3's
     * {@code compile_config} — as the JSON Keras wrote, or empty. It is not applied: compile the
     * {@link #sequential()} model with rnn4j's optimizers and losses to train further.
     */
    public Optional<String> trainingConfig() {
        return Optional.ofNullable(trainingConfig);
    }

    /** Keras's summary table (Sequential models), or the layer list of a functional model. */
    public String summary() {
        if (sequential != null) {
            return sequential.summary();
        }
        StringBuilder b = new StringBuilder("Functional model, inputs " + graph.inputNames() + "\n");
        for (Layer l : layers()) {
            b.append("  ").append(l.name()).append(" (").append(l.className()).append(") ")
                    .append(Layer.batchless(l.outputShape())).append(' ').append(l.countParams()).append('\n');
        }
        return b.append("Total params: ").append(countParams()).append('\n').toString();
    }

    Graph graph() {
        return graph;
    }
}
