package io.rnn4j.layers.losses;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.KerasConfig;
import io.rnn4j.layers.autograd.Variable;
import java.util.Optional;

/** Mean squared and mean absolute error: {@code mean(f(ŷ − y), axis=-1)}, then the batch mean. */
final class Pointwise implements Loss {
    enum Kind { SQUARED, ABSOLUTE }

    private final Kind kind;

    Pointwise(Kind kind) {
        this.kind = kind;
    }

    @Override
    public Optional<KerasConfig> kerasConfig() {
        return Optional.of(KerasConfig.of(kind == Kind.SQUARED ? "MeanSquaredError" : "MeanAbsoluteError", "name",
                name(), "reduction", "sum_over_batch_size"));
    }

    @Override
    public String name() {
        return kind == Kind.SQUARED ? "mean_squared_error" : "mean_absolute_error";
    }

    @Override
    public void checkLabels(Shape labels, Shape predictions) {
        LabelShapes.sameOrSqueezed(name(), labels, predictions);
    }

    @Override
    public Variable perSample(Variable labels, Variable predictions) {
        Variable diff = Ops.sub(predictions, LabelShapes.like(labels, predictions));
        Variable f = Ops.unary(kind == Kind.SQUARED ? UnaryOp.SQUARE : UnaryOp.ABS, diff);
        return Ops.mean(f, -1, false);
    }
}
