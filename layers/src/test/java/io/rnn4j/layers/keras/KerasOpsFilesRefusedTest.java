package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.layers.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operation entries rnn4j does not read are refused whole, naming the operation and what it found:
 * a class of keras.src.ops.* it does not compute (by name, as TFOpLambda is), a custom one, an
 * operand that is neither a tensor of the model nor a number (a NumPy constant), call kwargs, an
 * option it does not know, calls giving different numbers, and arguments that would move the batch
 * axis. The file is {@link KerasOpsFilesTest#kerasConfig}'s, one entry changed. Seed 89.
 */
class KerasOpsFilesRefusedTest {
    @TempDir
    Path tmp;

    private static final String MEAN = "{\"name\": \"mean\", \"axis\": 1, \"keepdims\": false}";
    private static final String MEAN_ENTRY = "{\"module\": \"keras.src.ops.numpy\", \"class_name\": \"Mean\", "
            + "\"config\": " + MEAN + ", \"registered_name\": \"Mean\", \"name\": \"mean\"";
    private static final String MULTIPLY_ARGS = "\"args\": [2.0, {\"class_name\": \"__keras_tensor__\", \"config\": "
            + "{\"shape\": [null, 3], \"dtype\": \"float32\", \"keras_history\": [\"mean\", 0, 0]}}], \"kwargs\": {}}";

    private void refused(Path saved, String what, String from, String to, String message) throws IOException {
        String config = KerasOpsFilesTest.kerasConfig(MEAN);
        if (!config.contains(from)) {
            throw new AssertionError(what + ": the config does not hold " + from);
        }
        Path p = Archives.copy(saved, tmp.resolve("bad.keras"), Map.of("config.json", c -> config.replace(from, to)));
        assertThatThrownBy(() -> Models.load(p)).as(what).isInstanceOf(KerasFileException.class)
                .hasMessageContaining(message);
        Files.delete(p);
    }

    @Test
    void entriesRnn4jDoesNotReadAreRefusedNamingTheOperation() throws IOException {
        Seeds.set(89);
        Path saved = tmp.resolve("java.keras");
        Models.save(KerasOpsFilesTest.javaOpsModel(), saved);
        refused(saved, "an operation rnn4j does not compute", "\"class_name\": \"Mean\", \"config\": " + MEAN
                        + ", \"registered_name\": \"Mean\"", "\"class_name\": \"Cumsum\", \"config\": {\"name\": "
                        + "\"mean\", \"axis\": 1, \"dtype\": null}, \"registered_name\": \"Cumsum\"",
                "unsupported operation 'mean' (Cumsum of module keras.src.ops.numpy): rnn4j computes Keras's "
                        + "operations Add, Subtract, Multiply, Divide, TrueDivide, Maximum, Minimum, Mean, Sum, Max, "
                        + "Min, ExpandDims, Squeeze, Reshape, Transpose, Concatenate, Matmul, GetItem, Negative, Tanh, Exp, "
                        + "Log, Absolute, Square, Sqrt, Reciprocal (keras.src.ops.numpy) and Relu, Relu6, Sigmoid, "
                        + "HardSigmoid, SparseSigmoid, Softplus, Softsign, Silu, HardSilu, LogSigmoid, LeakyRelu, Elu, "
                        + "Selu, Gelu, Celu, TanhShrink, HardTanh, SoftShrink, HardShrink, Squareplus, SparsePlus, "
                        + "Softmax, LogSoftmax (keras.src.ops.nn)");
        refused(saved, "an op parameter other than Keras's default", MEAN_ENTRY, "{\"module\": \"keras.src.ops.nn\", "
                + "\"class_name\": \"LeakyRelu\", \"config\": {\"name\": \"mean\", \"negative_slope\": 0.1}, "
                + "\"registered_name\": \"LeakyRelu\", \"name\": \"mean\"", "layer 'mean' (LeakyRelu): option "
                + "'negative_slope' must be 0.2, the default of Keras's LeakyRelu (rnn4j computes LeakyRelu with it "
                + "only), found 0.1");
        refused(saved, "a class of another module", MEAN_ENTRY, MEAN_ENTRY.replace("ops.numpy", "ops.nn"),
                "unsupported operation 'mean' (Mean of module keras.src.ops.nn)");
        refused(saved, "a custom operation", MEAN_ENTRY, MEAN_ENTRY.replace("\"registered_name\": \"Mean\"",
                "\"registered_name\": \"my_package>MyMean\""), "unsupported operation 'mean' (my_package>MyMean) of "
                        + "module keras.src.ops.numpy: a custom operation class");
        refused(saved, "an option rnn4j does not know", MEAN, "{\"name\": \"mean\", \"axis\": 1, \"keepdims\": false, "
                + "\"where\": null}", "unsupported option 'where' = null in layer 'mean' (Mean): this loader does not "
                + "know it");
        refused(saved, "axis=None", MEAN, "{\"name\": \"mean\", \"axis\": null, \"keepdims\": false}",
                "layer 'mean' (Mean) cannot take its inputs [(None, 5, 3)]: Operation 'mean' (Mean): axis=None "
                        + "reduces every axis, the batch axis too");
        refused(saved, "an axis that is not an int", MEAN, "{\"name\": \"mean\", \"axis\": 1.5, \"keepdims\": false}",
                "layer 'mean' (Mean): option 'axis' must be an int, a list of ints or null, found 1.5");
        refused(saved, "a NumPy constant", MULTIPLY_ARGS, MULTIPLY_ARGS.replace("[2.0, ", "[{\"class_name\": "
                + "\"__numpy__\", \"config\": {\"value\": [2.0, 2.0, 2.0], \"dtype\": \"float32\"}}, "),
                "layer 'multiply' (Multiply): unsupported operand {\"class_name\": \"__numpy__\", \"config\": "
                        + "{\"value\": [2, 2, 2], \"dtype\": \"float32\"}}; rnn4j takes tensors of the model and "
                        + "numbers");
        refused(saved, "call kwargs", MULTIPLY_ARGS, MULTIPLY_ARGS.replace("\"kwargs\": {}", "\"kwargs\": "
                + "{\"out\": null}"), "unsupported call arguments {\"out\": null} in the call of layer 'multiply' "
                + "(Multiply)");
        refused(saved, "a second call with another number", MULTIPLY_ARGS + "]", MULTIPLY_ARGS + ", {"
                + MULTIPLY_ARGS.replace("2.0", "3.0") + "]", "layer 'multiply' (Multiply) is called with [3, "
                + "{\"class_name\": \"__keras_tensor__\"");
        refused(saved, "a second call with another number", MULTIPLY_ARGS + "]", MULTIPLY_ARGS + ", {"
                + MULTIPLY_ARGS.replace("2.0", "3.0") + "]", "where its first call gives [2, tensor]; rnn4j takes "
                + "the numbers as options of the operation");
    }
}
