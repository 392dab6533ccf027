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

    /** The Mean entry turned into another operation's, with {@code options} after its name. */
    private static String entry(String module, String cls, String options) {
        return "{\"module\": \"keras.src.ops." + module + "\", \"class_name\": \"" + cls + "\", \"config\": "
                + "{\"name\": \"mean\", " + options + "}, \"registered_name\": \"" + cls + "\", \"name\": \"mean\"";
    }

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
                        + "operations Add, Subtract, Multiply, Divide, TrueDivide, Maximum, Minimum, Power, Mean, Sum, "
                        + "Max, Min, Any, All, Split, ExpandDims, Squeeze, Reshape, Transpose, Concatenate, Matmul, GetItem, Clip, "
                        + "Sign, Floor, Ceil, Round, Stack, Greater, GreaterEqual, Less, LessEqual, Equal, NotEqual, "
                        + "LogicalAnd, LogicalOr, LogicalNot, Where, Negative, Tanh, Exp, Log, Absolute, Square, Sqrt, "
                        + "Reciprocal (keras.src.ops.numpy), Relu, Relu6, Sigmoid, HardSigmoid, SparseSigmoid, "
                        + "Softplus, Softsign, Silu, HardSilu, LogSigmoid, LeakyRelu, Elu, Selu, Gelu, Celu, "
                        + "TanhShrink, HardTanh, SoftShrink, HardShrink, Squareplus, SparsePlus, Softmax, LogSoftmax (keras.src.ops.nn) and "
                        + "Cast to float32 (keras.src.ops.core)");
        refused(saved, "an op parameter other than Keras's default", MEAN_ENTRY, "{\"module\": \"keras.src.ops.nn\", "
                + "\"class_name\": \"LeakyRelu\", \"config\": {\"name\": \"mean\", \"negative_slope\": 0.1}, "
                + "\"registered_name\": \"LeakyRelu\", \"name\": \"mean\"", "layer 'mean' (LeakyRelu): option "
                + "'negative_slope' must be 0.2, the default of Keras's LeakyRelu (rnn4j computes LeakyRelu with it "
                + "only), found 0.1");
        refused(saved, "a Cast to another dtype", MEAN_ENTRY, entry("core", "Cast", "\"dtype\": \"int32\""),
                "layer 'mean' (Cast): option 'dtype' must be \"float32\" (rnn4j computes in float32 only), found "
                        + "'int32'");
        refused(saved, "a Clip bound that is not a number", MEAN_ENTRY, entry("numpy", "Clip", "\"x_min\": null, "
                + "\"x_max\": 1"), "layer 'mean' (Clip): option 'x_min' must be a number, found null");
        refused(saved, "Clip bounds the wrong way round", MEAN_ENTRY, entry("numpy", "Clip", "\"x_min\": 1, "
                + "\"x_max\": 0"), "(Clip): expected x_min <= x_max (as "
                + "float32), got x_min 1.0 and x_max 0.0");
        refused(saved, "Round decimals that are not an int", MEAN_ENTRY, entry("numpy", "Round", "\"decimals\": 1.5"),
                "layer 'mean' (Round): option 'decimals' must be an int, found 1.5");
        String multiply = "\"class_name\": \"Multiply\", \"config\": {\"name\": \"multiply\"}, \"registered_name\": "
                + "\"Multiply\", \"name\": \"multiply\", \"inbound_nodes\": [{\"args\": [2.0, ";
        refused(saved, "a Power of a negative number base", multiply, multiply.replace("Multiply", "Power")
                .replace("2.0", "-2.0"), "(Power): the number base x1 "
                + "must be finite and above 0 (rnn4j computes c ** x as exp(x ln c)), got -2.0");
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
