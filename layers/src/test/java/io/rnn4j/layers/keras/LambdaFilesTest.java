package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Lambda;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keras Lambda layers in files Keras 3.15.1 wrote on TensorFlow (make_lambda.py): their Java
 * counterparts given by layer name ({@link CustomLayers#withLambda}) predict Keras's outputs to
 * 1e-5 + 1e-5·|y| — the last step of a sequence of any length (shape traced), a product of two
 * tensors and a function of Keras's {@code arguments}, a mask passed on — from .keras and legacy
 * .h5; saved back, the file keeps the Python function (Keras 3.15.1 loads it with safe_mode=False and
 * predicts the same: checked by hand, except lambda_mask, whose own Keras-written file Keras cannot
 * reload: its from_config leaves the mask function a string) and loads again; refusals name the
 * layer and the way to supply it.
 */
class LambdaFilesTest {
    /** Keras's {@code lambda x: x[:, -1, :]}. */
    private static Variable lastStep(Variable x) {
        return Ops.reshape(Ops.slice(x, 1, x.dim(1) - 1, 1), x.dim(0), x.dim(2));
    }

    private static final CustomLayers LAMBDAS = CustomLayers.of()
            .withLambda("last_step", config -> new Lambda(LambdaFilesTest::lastStep))
            .withLambda("product", config -> Lambda.ofList(t -> Ops.mul(t.get(0), t.get(1))))
            .withLambda("scaled", config -> {
                float k = ((Number) config.map("arguments").get("k")).floatValue();
                return new Lambda(x -> Ops.scale(x, k));
            })
            .withLambda("doubled", config -> new Lambda(x -> Ops.scale(x, 2f)).mask((in, masks) -> masks.get(0)));

    private static Path resource(String name) throws Exception {
        return Path.of(LambdaFilesTest.class.getResource("keras3151/" + name).toURI());
    }

    private static void assertKeras(String name, float[] y) throws Exception {
        double[] want = Npy.read(resource(name + ".y.npy")).values();
        assertThat(y).as(name).hasSize(want.length);
        for (int i = 0; i < y.length; i++) {
            assertThat(Math.abs(y[i] - want[i])).as("%s output %d: rnn4j %s, Keras %s (bar 1e-5 + 1e-5·|y|)", name, i,
                    y[i], want[i]).isLessThanOrEqualTo(1e-5 + 1e-5 * Math.abs(want[i]));
        }
    }

    @Test
    void lambdaLayersGivenInJavaPredictAsKerasFromKerasAndH5Files() throws Exception {
        for (String name : new String[] {"lambda_last", "lambda_two", "lambda_mask"}) {
            KerasModel m = Models.load(resource(name + ".keras"), LAMBDAS);
            assertKeras(name, m.predict(Npy.read(resource(name + ".x0.npy")).tensor()).toArray());
        }
        KerasModel h5 = Models.load(resource("lambda_last.h5"), LAMBDAS);
        assertKeras("lambda_last", h5.predict(Npy.read(resource("lambda_last.x0.npy")).tensor()).toArray());
    }

    @Test
    void theTracedOutputShapeKeepsNoneWhereTheInputSizeMatters() throws Exception {
        KerasModel m = Models.load(resource("lambda_last.keras"), LAMBDAS);
        Lambda last = (Lambda) m.layer("last_step");
        assertThat(last.inputShape()).isEqualTo(Shape.withUnknown(Input.NONE, 4));
        assertThat(last.outputShape()).as("x[:, -1, :] of (None, 4)").isEqualTo(Shape.of(4));
        Sequential s = Sequential.of(Input.shape(Input.NONE, 3), new Lambda(x -> Ops.concat(1, x, x)));
        assertThat(s.layers().get(0).outputShape()).as("a size that follows the input's stays None")
                .isEqualTo(Shape.withUnknown(Input.NONE, 3));
    }

    @Test
    void savedBackTheFileKeepsThePythonFunctionAndLoadsAgain() throws Exception {
        KerasModel m = Models.load(resource("lambda_two.keras"), LAMBDAS);
        Lambda scaled = (Lambda) m.layer("scaled");
        assertThat(scaled.kerasFunctionConfig()).containsKeys("function", "arguments");
        assertThat(scaled.kerasFunctionConfig().get("arguments")).isEqualTo(Map.of("k", 2.5));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(m, out);
        KerasModel back = Models.load(new ByteArrayInputStream(out.toByteArray()), "two.keras", false, LAMBDAS);
        Tensor x = Npy.read(resource("lambda_two.x0.npy")).tensor();
        assertThat(back.predict(x).toArray()).isEqualTo(m.predict(x).toArray());
        assertThat(((Lambda) back.layer("scaled")).kerasFunctionConfig()).isEqualTo(scaled.kerasFunctionConfig());
    }

    /**
     * A tf.keras 2 Lambda (its function a list of code, defaults and closure, with function_type,
     * module, output_shape_type and output_shape_module) is kept in Keras 3's form, as Keras 3's
     * legacy loader converts it (keras/src/legacy/saving/saving_utils.py model_from_config, the
     * LAMBDA_DEP_ARGS dropped): saved as .keras, Keras 3's Lambda.from_config can read it (it takes
     * neither a listed function nor the old keys; the file this test writes was checked to load in
     * Keras 3.15.1 with safe_mode=False and double its input). The code is Python 3.11's marshal of
     * {@code lambda x: x * 2.0}, compiled as {@code <string>}.
     */
    @Test
    void aTfKeras2LambdaIsWrittenBackInKeras3sForm() throws Exception {
        String code = "4wEAAAAAAAAAAAAAAAIAAAADAAAA8wwAAACXAHwAZAF6BQAAUwApAk7nAAAAAAAAAECpACkB2gF4\\n"
                + "cwEAAAAg+gg8c3RyaW5nPvoIPGxhbWJkYT5yBgAAAAMAAABzCgAAAIAAoHGoM6F3gADzAAAAAA==\\n";
        String lambda = "{\"class_name\": \"Lambda\", \"config\": {\"name\": \"doubled\", \"trainable\": true, "
                + "\"dtype\": \"float32\", \"function\": [\"" + code + "\", null, null], \"function_type\": \"lambda\", "
                + "\"module\": \"__main__\", \"output_shape\": null, \"output_shape_type\": \"raw\", "
                + "\"output_shape_module\": null, \"arguments\": {}}, \"name\": \"doubled\", \"inbound_nodes\": "
                + "[[[\"x\", 0, 0, {}]]]}";
        String config = "{\"class_name\": \"Functional\", \"config\": {\"name\": \"m\", \"layers\": [{\"class_name\": "
                + "\"InputLayer\", \"config\": {\"batch_input_shape\": [null, 3], \"dtype\": \"float32\", \"sparse\": "
                + "false, \"ragged\": false, \"name\": \"x\"}, \"name\": \"x\", \"inbound_nodes\": []}, " + lambda
                + "], \"input_layers\": [[\"x\", 0, 0]], \"output_layers\": [[\"doubled\", 0, 0]]}, "
                + "\"keras_version\": \"2.15.0\", \"backend\": \"tensorflow\"}";
        CustomLayers doubled = CustomLayers.of().withLambda("doubled", c -> new Lambda(x -> Ops.scale(x, 2f)));
        KerasModel m = new ModelReader("model.json", true, new CustomLayerEntries(doubled))
                .read(ModelReader.parse("model.json", "config", config), "2.15.0", null);
        Map<String, Object> function = ((Lambda) m.layer("doubled")).kerasFunctionConfig();
        assertThat(function).as("Keras 3's Lambda config keys").containsOnlyKeys("function", "output_shape",
                "arguments");
        Map<?, ?> fn = (Map<?, ?>) function.get("function");
        assertThat(fn.get("class_name")).isEqualTo("__lambda__");
        Map<?, ?> dumped = (Map<?, ?>) fn.get("config");
        assertThat(List.<Object>copyOf(dumped.keySet())).containsExactly("code", "defaults", "closure");
        assertThat(dumped.get("code")).isEqualTo(code.replace("\\n", "\n"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(m, out);
        KerasModel back = Models.load(new ByteArrayInputStream(out.toByteArray()), "doubled.keras", false, doubled);
        assertThat(((Lambda) back.layer("doubled")).kerasFunctionConfig()).isEqualTo(function);
    }

    /**
     * JSON numbers are read as doubles; a Lambda's whole numbers go back as ints, as Keras wrote
     * them: an output_shape written {@code [3.0]} makes Keras 3's Lambda fail ("can only concatenate
     * tuple (not "float") to tuple"), and an int argument used as an index or axis would too. A
     * hand-written Keras 3 entry, {@code Lambda(lambda x, k: x * k, output_shape=(3,), arguments=
     * {"k": 2})} (the code Python 3.11's marshal, compiled as {@code <string>}); the file this test
     * writes was checked to load in Keras 3.15.1 with safe_mode=False and double its input.
     */
    @Test
    void aLambdasWholeNumbersAreWrittenBackAsInts() throws Exception {
        String code = "4wIAAAAAAAAAAAAAAAIAAAADAAAA8wwAAACXAHwAfAF6BQAAUwApAU6pACkC2gF42gFrcwIAAAAg\\n"
                + "IPoIPHN0cmluZz76CDxsYW1iZGE+cgYAAAADAAAAcwoAAACAAKhxsDGpdYAA8wAAAAA=\\n";
        String tensor = "{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, 3], \"dtype\": "
                + "\"float32\", \"keras_history\": [\"x\", 0, 0]}}";
        String config = "{\"module\": \"keras\", \"class_name\": \"Functional\", \"config\": {\"name\": \"m\", "
                + "\"trainable\": true, \"layers\": [{\"module\": \"keras.layers\", \"class_name\": \"InputLayer\", "
                + "\"config\": {\"batch_shape\": [null, 3], \"dtype\": \"float32\", \"sparse\": false, \"name\": \"x\"}, "
                + "\"registered_name\": null, \"name\": \"x\", \"inbound_nodes\": []}, {\"module\": \"keras.layers\", "
                + "\"class_name\": \"Lambda\", \"config\": {\"name\": \"times\", \"trainable\": true, \"dtype\": "
                + "\"float32\", \"function\": {\"class_name\": \"__lambda__\", \"config\": {\"code\": \"" + code
                + "\", \"defaults\": null, \"closure\": null}}, \"output_shape\": [3], \"arguments\": {\"k\": 2}}, "
                + "\"registered_name\": null, \"build_config\": {\"input_shape\": [null, 3]}, \"name\": \"times\", "
                + "\"inbound_nodes\": [{\"args\": [" + tensor + "], \"kwargs\": {}}]}], \"input_layers\": [[\"x\", 0, 0]], "
                + "\"output_layers\": [[\"times\", 0, 0]]}, \"registered_name\": \"Functional\"}";
        CustomLayers times = CustomLayers.of().withLambda("times", c -> {
            float k = ((Number) c.map("arguments").get("k")).floatValue();
            return new Lambda(x -> Ops.scale(x, k));
        });
        KerasModel m = new ModelReader("config.json", false, new CustomLayerEntries(times))
                .read(ModelReader.parse("config.json", "config", config), "3.15.1", null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Models.save(m, out);
        String written = configJson(out.toByteArray());
        assertThat(written).contains("\"output_shape\": [3], \"arguments\": {\"k\": 2}}");
        assertThat(m.predict(Tensor.of(new float[] {1, 2, 3}, 1, 3)).toArray()).containsExactly(2, 4, 6);
    }

    private static String configJson(byte[] archive) throws java.io.IOException {
        try (var zip = new java.util.zip.ZipInputStream(new ByteArrayInputStream(archive))) {
            for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals("config.json")) {
                    return new String(zip.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("no config.json in the archive");
    }

    @Test
    void refusalsNameTheLambdaAndHowToSupplyIt() throws Exception {
        assertThatThrownBy(() -> Models.load(resource("lambda_last.keras")))
                .isInstanceOf(KerasFileException.class)
                .hasMessageContaining("layer 'last_step' (Lambda)")
                .hasMessageContaining("CustomLayers.of().withLambda(\"last_step\", config -> new Lambda(x -> ...))");
        CustomLayers ignoringArguments = CustomLayers.of()
                .withLambda("product", config -> Lambda.ofList(t -> Ops.mul(t.get(0), t.get(1))))
                .withLambda("scaled", config -> new Lambda(x -> Ops.scale(x, 2.5f)));
        assertThatThrownBy(() -> Models.load(resource("lambda_two.keras"), ignoringArguments))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("config key 'arguments'");
        CustomLayers noMask = CustomLayers.of().withLambda("doubled", config -> new Lambda(x -> Ops.scale(x, 2f)));
        assertThatThrownBy(() -> Models.load(resource("lambda_mask.keras"), noMask))
                .isInstanceOf(KerasFileException.class).hasMessageContaining("the file's Lambda computes a mask");
        Input in = Input.shape(3);
        Model javaMade = Model.of(in, new Lambda(x -> Ops.scale(x, 3f)).apply(in));
        assertThatThrownBy(() -> Models.save(javaMade, new ByteArrayOutputStream()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("it was made in Java, and Keras cannot run a Java function");
        assertThatThrownBy(() -> CustomLayers.of().withLambda("a", c -> null).withLambda("a", c -> null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
