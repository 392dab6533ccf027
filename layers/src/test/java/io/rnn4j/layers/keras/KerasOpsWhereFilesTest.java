package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.Session;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.ops.Comparison;
import io.rnn4j.layers.ops.KerasOps;
import io.rnn4j.layers.ops.Where;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Comparisons, logical operations and Where in .keras files: a Java-built model saved with entries
 * and calls as Keras 3.15.1 writes them (config {"name": ...} alone, the numbers in the call's args,
 * a comparison's output a tensor of dtype bool; checked against what Keras printed for the same graph
 * with model.to_json()), loaded back predicting bit for bit, and what rnn4j refuses in a file. Seed 41.
 */
class KerasOpsWhereFilesTest {
    @TempDir
    Path tmp;

    private static String tensor(String layer, String dtype) {
        return "{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, 3, 4], \"dtype\": \"" + dtype
                + "\", \"keras_history\": [\"" + layer + "\", 0, 0]}}";
    }

    private static String op(String cls, String name, String args) {
        return "{\"module\": \"keras.src.ops.numpy\", \"class_name\": \"" + cls + "\", \"config\": {\"name\": \""
                + name + "\"}, \"registered_name\": \"" + cls + "\", \"name\": \"" + name + "\", \"inbound_nodes\": "
                + "[{\"args\": " + args + ", \"kwargs\": {}}]}";
    }

    /** The graph of the Keras probe: where(greater(d, 0.5), d, 0.0), cast(less_equal(0.25, x)) * x, ... */
    static Model javaModel() {
        Session.clear();
        Input x = Input.shape(3, 4).named("x");
        SymbolicTensor d = new Dense(4).apply(x);
        SymbolicTensor w = KerasOps.where(KerasOps.greater(d, 0.5), d, 0.0);
        SymbolicTensor c = KerasOps.multiply(KerasOps.cast(new Comparison(Comparison.Kind.LESS_EQUAL, 0.25, null)
                .apply(x), "float32"), x);
        SymbolicTensor and = KerasOps.logicalAnd(KerasOps.greaterEqual(d, x), KerasOps.notEqual(x, 0.0));
        SymbolicTensor w2 = KerasOps.where(KerasOps.logicalNot(and), 1.0, x);
        SymbolicTensor or = KerasOps.logicalOr(KerasOps.less(d, x), KerasOps.equal(d, x));
        return Model.of(x, KerasOps.concatenate(List.of(w, c, KerasOps.cast(and, "float32"), w2,
                KerasOps.cast(or, "float32")), -1)).named("where_model");
    }

    @Test
    void aJavaBuiltModelIsSavedAsKerasWritesItAndLoadsBackBitForBit() throws IOException {
        Seeds.set(41);
        Model m = javaModel();
        Path saved = tmp.resolve("where.keras");
        Models.save(m, saved);
        String config = SaveTest.entry(saved, "config.json");
        String f = "float32";
        for (String entry : List.of(
                op("Greater", "greater", "[" + tensor("dense", f) + ", 0.5]"),
                op("Where", "where", "[" + tensor("greater", "bool") + ", " + tensor("dense", f) + ", 0.0]"),
                op("LessEqual", "less_equal", "[0.25, " + tensor("x", f) + "]"),
                op("GreaterEqual", "greater_equal", "[" + tensor("dense", f) + ", " + tensor("x", f) + "]"),
                op("NotEqual", "not_equal", "[" + tensor("x", f) + ", 0.0]"),
                op("LogicalAnd", "logical_and", "[" + tensor("greater_equal", "bool") + ", "
                        + tensor("not_equal", "bool") + "]"),
                op("LogicalNot", "logical_not", "[" + tensor("logical_and", "bool") + "]"),
                op("Where", "where_1", "[" + tensor("logical_not", "bool") + ", 1.0, " + tensor("x", f) + "]"),
                op("LogicalOr", "logical_or", "[" + tensor("less", "bool") + ", " + tensor("equal", "bool") + "]"),
                "{\"module\": \"keras.src.ops.core\", \"class_name\": \"Cast\", \"config\": {\"name\": \"cast\", "
                        + "\"dtype\": \"float32\"}, \"registered_name\": \"Cast\", \"name\": \"cast\", "
                        + "\"inbound_nodes\": [{\"args\": [" + tensor("less_equal", "bool") + "]")) {
            assertThat(config).as("written as Keras 3.15.1 writes it").contains(entry);
        }
        KerasModel back = Models.load(saved);
        assertThat(back.layer("where_1")).isInstanceOfSatisfying(Where.class,
                w -> assertThat(new Double[] {w.x1(), w.x2()}).containsExactly(1.0, null));
        assertThat(back.layer("less_equal")).isInstanceOfSatisfying(Comparison.class,
                k -> assertThat(new Double[] {k.x1(), k.x2()}).containsExactly(0.25, null));
        float[] x = {0.25f, 0.6f, -1f, 0f, 2f, Float.NaN, 0.5f, 1f, -0f, 3f, 0.1f, 0.26f,
            1f, 0f, 0.25f, -2f, 0.7f, 0.5f, 0f, 4f, -0.3f, 0.24f, 1f, Float.NaN};
        Tensor in = Tensor.of(x, 2, 3, 4);
        assertThat(back.predict(in).toArray()).as("loaded back, bit for bit (NaNs included)")
                .containsExactly(m.predict(in).toArray());
        assertThat(back.functional().layers()).extracting(Layer::className).contains("NotEqual", "LogicalNot");
    }

    @Test
    void whatRnn4jDoesNotComputeIsRefusedInAFile() throws IOException {
        Seeds.set(42);
        Path saved = tmp.resolve("where.keras");
        Models.save(javaModel(), saved);
        String logicalOr = "\"class_name\": \"LogicalOr\", \"config\": {\"name\": \"logical_or\"}, \"registered_name\": "
                + "\"LogicalOr\"";
        refused(saved, logicalOr, logicalOr.replace("LogicalOr", "Add"), "layer 'logical_or' (Add): Add of two bool "
                + "tensors, which Keras computes as bool (no float promotion); rnn4j takes a bool in arithmetic beside "
                + "a float only (cast it to float32 first, or use logical_or)");
        String where = "[" + tensor("logical_not", "bool") + ", 1.0, " + tensor("x", "float32") + "]";
        refused(saved, where, "[" + tensor("logical_not", "bool") + ", null, null]", "layer 'where_1' (Where): "
                + "unsupported operand null; rnn4j takes tensors of the model and numbers");
        refused(saved, where, "[" + tensor("logical_not", "bool") + "]", "layer 'where_1' (Where): expected the args "
                + "[condition, x1, x2] with the condition a tensor of the model (rnn4j does not take where(condition) "
                + "alone), found [");
        String not = "[" + tensor("logical_and", "bool") + "]";
        refused(saved, not, "[" + tensor("logical_and", "bool") + ", 1.0]", "layer 'logical_not' (LogicalNot): "
                + "expected 1 operands in its call's args, found [");
        String greater = "[" + tensor("dense", "float32") + ", 0.5]";
        refused(saved, greater, "[0.5, 0.5]", "layer 'greater' (Greater): no tensor of the model among its operands");
    }

    private void refused(Path saved, String from, String to, String message) throws IOException {
        String config = SaveTest.entry(saved, "config.json");
        if (!config.contains(from)) {
            throw new AssertionError("the config does not hold " + from);
        }
        Path p = Archives.copy(saved, tmp.resolve("bad.keras"), Map.of("config.json", c -> config.replace(from, to)));
        assertThatThrownBy(() -> Models.load(p)).as(to).isInstanceOf(KerasFileException.class)
                .hasMessageContaining(message);
        Files.delete(p);
    }
}
