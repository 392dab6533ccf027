package io.rnn4j.layers.losses;

import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.UnaryOp;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;

/**
 * Keras 3's hinge losses (keras/src/losses/losses.py): hinge {@code mean(max(1 − y·p, 0))},
 * squared_hinge {@code mean(max(1 − y·p, 0)²)} over the last axis, where labels that are all 0 or 1
 * (over the whole batch, as {@code convert_binary_labels_to_hinge}) become −1/1; and
 * categorical_hinge {@code max(max((1 − y)·p) − Σ y·p + 1, 0)} on one-hot labels, unconverted.
 * {@code max(·, 0)} is {@code maximum}, whose gradient at a tie goes to its first argument as
 * TensorFlow's.
 */
final class HingeLosses extends SameShapeLoss {
    enum Kind {
        HINGE("hinge", "Hinge"),
        SQUARED("squared_hinge", "SquaredHinge"),
        CATEGORICAL("categorical_hinge", "CategoricalHinge");

        final String kerasName;
        final String className;

        Kind(String kerasName, String className) {
            this.kerasName = kerasName;
            this.className = className;
        }
    }

    private final Kind kind;

    HingeLosses(Kind kind) {
        super(kind.kerasName, kind.className);
        this.kind = kind;
    }

    @Override
    public Variable perSample(Variable labels, Variable predictions) {
        Variable y = LabelShapes.like(labels, predictions);
        Variable zero = scalar(predictions, 0f);
        if (kind == Kind.CATEGORICAL) {
            Variable pos = Ops.sum(Ops.mul(y, predictions), -1, false);
            Variable neg = Ops.max(Ops.mul(Ops.affine(y, -1f, 1f), predictions), -1, false);
            return Ops.maximum(Ops.affine(Ops.sub(neg, pos), 1f, 1f), zero);
        }
        Variable signs = Variable.constant(toSigns(y.value()));
        Variable margin = Ops.maximum(Ops.affine(Ops.mul(signs, predictions), -1f, 1f), zero);
        if (kind == Kind.SQUARED) {
            margin = Ops.unary(UnaryOp.SQUARE, margin);
        }
        return Ops.mean(margin, -1, false);
    }

    /** Keras's convert_binary_labels_to_hinge: 2y − 1 when every label is 0 or 1, else the labels as they are. */
    static Tensor toSigns(Tensor labels) {
        float[] y = labels.toArray();
        for (float v : y) {
            if (v != 0f && v != 1f) {
                return labels;
            }
        }
        float[] s = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            s[i] = 2f * y[i] - 1f;
        }
        return labels.device().tensor(s, labels.shape().dims());
    }
}
