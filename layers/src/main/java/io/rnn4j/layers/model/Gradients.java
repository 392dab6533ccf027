package io.rnn4j.layers.model;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Autograd;
import io.rnn4j.layers.autograd.Variable;
import java.util.List;

/**
 * Keras's {@code tape.gradient(loss, model.trainable_weights)}, the core of a custom training loop:
 *
 * <pre>{@code
 * CallContext ctx = CallContext.training(Seeds.next());
 * Variable logits = model.call(Variable.constant(xBatch), ctx);          // model(x, training=True)
 * Variable loss = lossFn.compute(Variable.constant(yBatch), logits);
 * for (Variable extra : model.losses(ctx)) loss = Ops.add(loss, extra);  // + sum(model.losses)
 * List<Tensor> grads = Gradients.of(loss, model.trainableWeights());
 * optimizer.apply(grads, model.trainableWeights());
 * }</pre>
 */
public final class Gradients {
    private Gradients() {
    }

    /**
     * The gradient of {@code loss} with respect to each weight, in order ({@link Autograd#gradients}):
     * fresh tensors, null where the loss does not depend on the weight (TensorFlow's None, which
     * {@link io.rnn4j.layers.optimizers.Optimizer#apply(List, List)} skips); a loss of several elements
     * is differentiated as their sum. The weights' own {@code variable().grad()} are left untouched, and
     * so is every parameter the loss reaches but {@code weights} does not hold (a GAN's discriminator,
     * when the generator's gradients are asked for). The loss's graph is released: compute it again
     * for more gradients, as with a non-persistent tape.
     */
    public static List<Tensor> of(Variable loss, List<Weight> weights) {
        return Autograd.gradients(loss, weights.stream().map(Weight::variable).toList());
    }

    /**
     * Keras's {@code tape.watch(x)}: {@code x} as a leaf whose gradient {@link #ofVariables} can take. Call
     * a model on it (e.g. {@code model.call(List.of(watched), ctx)}) for the gradient of a loss with respect
     * to the input, as a saliency map does.
     */
    public static Variable watch(Tensor x) {
        return Variable.parameter(x);
    }

    /**
     * Keras's {@code tape.gradient(loss, sources)} for any variables (a {@linkplain #watch watched} input, a
     * weight's {@code variable()}), under the rules of {@link #of}. First-order only: a gradient comes back
     * as a tensor, not a recorded variable, so a penalty on a gradient (the WGAN-GP guide's nested tapes)
     * cannot be differentiated again.
     */
    public static List<Tensor> ofVariables(Variable loss, List<Variable> sources) {
        return Autograd.gradients(loss, sources);
    }
}
