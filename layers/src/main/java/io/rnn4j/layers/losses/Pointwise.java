package io.rnn4j.layers.losses;

import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/** Mean squared and mean absolute error: {@code mean(f(ŷ − y), axis=-1)}, then the batch mean. */
final class Pointwise extends SameShapeLoss {
    enum Kind { SQUARED, ABSOLUTE }

    private final Kind kind;

    Pointwise(Kind kind) {
        super(kind == Kind.SQUARED ? "mean_squared_error" : "mean_absolute_error",
                kind == Kind.SQUARED ? "MeanSquaredError" : "MeanAbsoluteError");
        this.kind = kind;
    }

    @Override
    public Variable perSample(Variable labels, Variable predictions) {
        Variable diff = Ops.sub(predictions, LabelShapes.like(labels, predictions));
        Variable f = Ops.unary(kind == Kind.SQUARED ? UnaryOp.SQUARE : UnaryOp.ABS, diff);
        return Ops.mean(f, -1, false);
    }
}
