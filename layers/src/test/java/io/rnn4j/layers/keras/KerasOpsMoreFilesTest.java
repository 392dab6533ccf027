package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.Session;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.ops.KerasOps;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power, Clip, Cast, Sign, Floor, Ceil, Round and Stack in .keras files as Keras 3.15.1 writes them
 * (checked against its {@code model.to_json()}): Power's config is its name alone and its call's
 * args hold the number in place ({@code [x, 2.0]}, {@code [2.0, x]}); Clip's config holds x_min and
 * x_max, Round's decimals, Stack's axis (its tensors one list in the call), Cast's dtype (module
 * keras.src.ops.core); Sign, Floor and Ceil write their names only. A Java-built model through all
 * of them saves so, loads back predicting the same bits and saves again to the same config. Seed 97.
 */
class KerasOpsMoreFilesTest {
    private static final long SEED = 97;

    @TempDir
    Path tmp;

    private static String tensor(String layer) {
        return "{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, 5, 3], \"dtype\": \"float32\", "
                + "\"keras_history\": [\"" + layer + "\", 0, 0]}}";
    }

    private static String op(String module, String cls, String config, String name, String args) {
        return "{\"module\": \"keras.src.ops." + module + "\", \"class_name\": \"" + cls + "\", \"config\": " + config
                + ", \"registered_name\": \"" + cls + "\", \"name\": \"" + name + "\", \"inbound_nodes\": [{\"args\": "
                + args + ", \"kwargs\": {}}]}";
    }

    @Test
    void powerClipCastAndRoundingsSaveAsKeras3WritesThemAndLoadBackBitForBit() throws IOException {
        System.out.println("KerasOpsMoreFilesTest seed " + SEED);
        Seeds.set(SEED);
        Session.clear();
        Input in = Input.shape(5, 3).named("input_layer");
        SymbolicTensor d = new Dense(3).apply(in);
        SymbolicTensor p = KerasOps.power(KerasOps.power(d, 2), 1.5);
        SymbolicTensor e = KerasOps.power(2.0, KerasOps.clip(KerasOps.cast(p, "float32"), -0.5, 1));
        SymbolicTensor r = KerasOps.round(KerasOps.ceil(KerasOps.floor(KerasOps.sign(e))), 2);
        SymbolicTensor out = KerasOps.add(KerasOps.round(KerasOps.multiply(e, 7.0)), r);
        SymbolicTensor st = KerasOps.reshape(KerasOps.stack(List.of(out, e), -1), -1, 5, 6);
        Model m = Model.of(in, new Dense(2).apply(st)).named("more_ops");
        Path file = tmp.resolve("more_ops.keras");
        Models.save(m, file);
        String config = SaveTest.entry(file, "config.json");
        assertThat(config).as("the entries Keras 3.15.1 writes").contains(
                op("numpy", "Power", "{\"name\": \"power\"}", "power", "[" + tensor("dense") + ", 2.0]"),
                op("numpy", "Power", "{\"name\": \"power_1\"}", "power_1", "[" + tensor("power") + ", 1.5]"),
                op("core", "Cast", "{\"name\": \"cast\", \"dtype\": \"float32\"}", "cast",
                        "[" + tensor("power_1") + "]"),
                op("numpy", "Clip", "{\"name\": \"clip\", \"x_min\": -0.5, \"x_max\": 1.0}", "clip",
                        "[" + tensor("cast") + "]"),
                op("numpy", "Power", "{\"name\": \"power_2\"}", "power_2", "[2.0, " + tensor("clip") + "]"),
                op("numpy", "Sign", "{\"name\": \"sign\"}", "sign", "[" + tensor("power_2") + "]"),
                op("numpy", "Floor", "{\"name\": \"floor\"}", "floor", "[" + tensor("sign") + "]"),
                op("numpy", "Ceil", "{\"name\": \"ceil\"}", "ceil", "[" + tensor("floor") + "]"),
                op("numpy", "Round", "{\"name\": \"round\", \"decimals\": 2}", "round", "[" + tensor("ceil") + "]"),
                op("numpy", "Round", "{\"name\": \"round_1\", \"decimals\": 0}", "round_1",
                        "[" + tensor("multiply") + "]"),
                op("numpy", "Stack", "{\"name\": \"stack\", \"axis\": -1}", "stack",
                        "[[" + tensor("add") + ", " + tensor("power_2") + "]]"));
        KerasModel back = Models.load(file);
        assertThat(back.functional().layers()).extracting(Layer::className).containsExactlyElementsOf(
                m.layers().stream().map(Layer::className).toList());
        Tensor x = TestTensors.gaussian(SEED, 4, 5, 3);
        assertThat(back.predict(x).toArray()).as("predictions after save and load, bit for bit")
                .isEqualTo(m.predict(x).toArray());
        Models.save(back.functional(), tmp.resolve("again.keras"));
        assertThat(SaveTest.entry(tmp.resolve("again.keras"), "config.json")).as("saved again, the same config")
                .isEqualTo(config);
    }
}
