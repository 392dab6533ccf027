package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.GetItem;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.SymbolicTensor;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.model.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GetItem's Keras 3 files (keras/src/models/functional.py get_config and deserialize_node,
 * keras/src/saving/serialization_lib.py) beyond GetItemFilesTest: the empty-tuple key Keras writes
 * as {@code []} (failed before), two GetItems and one applied twice in a model, a GetItem inside a
 * functional model inside a Sequential. Seed 29.
 */
class GetItemFilesEdgesTest {
    private static final long SEED = 29;

    @TempDir
    Path tmp;


    private static final String SLICE_ALL = "{\"class_name\": \"__slice__\", \"config\": {\"start\": null, "
            + "\"stop\": null, \"step\": null}}";

    /**
     * Keras 3 saves {@code d[()]} as the inbound node {"args": [tensor, []], "kwargs": {}}
     * (functional.serialize_node, serialize_keras_object turning the empty tuple into a list) and
     * loads it back: deserialize_keras_object gives [], GetItem.call makes it () and
     * compute_output_spec appends the implicit Ellipsis (keras/src/ops/numpy.py), so the output is the
     * whole tensor. rnn4j refuses the file: "the key [] is empty".
     */
    @Test
    void theEmptyTupleKeyKerasWritesAsAnEmptyListLoadsAsTheWholeTensor() throws IOException {
        Seeds.set(SEED);
        Input in = Input.shape(5, 3);
        Dense d = new Dense(2).named("out");
        Model whole = Model.of(in, d.apply(in));
        Model m = Model.of(in, new GetItem(":").named("get_item").apply(d.apply(in)));
        Path saved = tmp.resolve("java.keras");
        Models.save(m, saved);
        Path keras = Archives.copy(saved, tmp.resolve("empty.keras"), Map.of("config.json",
                s -> s.replace("[" + SLICE_ALL + "]]", "[]]")));
        assertThat(SaveTest.entry(keras, "config.json")).as("the edit took").contains("}}, []], \"kwargs\"");
        KerasModel k = Models.load(keras);
        Tensor x = TestTensors.gaussian(SEED, 4, 5, 3);
        assertThat(k.predict(x).toArray()).as("d[()] is d").isEqualTo(whole.predict(x).toArray());
    }

    /**
     * Keras names operations as layers (get_item, get_item_1), writes one entry per GetItem and one
     * inbound node per call, each with its key; all load back predicting the same bits.
     */
    @Test
    void twoGetItemsAndOneAppliedTwiceSaveAndLoadWithTheirKeys() throws IOException {
        Seeds.set(SEED + 1);
        Input a = Input.shape(6, 3).named("a");
        Input b = Input.shape(6, 3).named("b");
        GetItem first = new GetItem(":, 0");
        GetItem strided = new GetItem(":, ::-2, None");
        first.named("first");
        strided.named("strided");
        List<SymbolicTensor> outs = List.of(first.apply(a), strided.apply(a), strided.apply(b));
        Model m = Model.of(List.of(a, b), outs);
        Path out = tmp.resolve("three.keras");
        Models.save(m, out);
        String config = SaveTest.entry(out, "config.json");
        assertThat(config).contains("\"name\": \"first\", \"inbound_nodes\": [{\"args\": [{\"class_name\": "
                + "\"__keras_tensor__\", \"config\": {\"shape\": [null, 6, 3], \"dtype\": \"float32\", \"keras_history\": "
                + "[\"a\", 0, 0]}}, [" + SLICE_ALL + ", 0]], \"kwargs\": {}}]}")
                .contains("\"output_layers\": [[\"first\", 0, 0], [\"strided\", 0, 0], [\"strided\", 1, 0]]");
        KerasModel back = Models.load(out);
        assertThat(back.layer("strided")).isInstanceOfSatisfying(GetItem.class,
                g -> assertThat(g.keyString()).isEqualTo(":, ::-2, None"));
        List<Tensor> x = List.of(TestTensors.gaussian(SEED + 2, 2, 6, 3), TestTensors.gaussian(SEED + 3, 2, 6, 3));
        List<Tensor> want = m.predict(x);
        List<Tensor> got = back.functional().predict(x);
        for (int i = 0; i < 3; i++) {
            assertThat(got.get(i).shape()).as("output %d", i).isEqualTo(want.get(i).shape());
            assertThat(got.get(i).toArray()).as("output %d, bit for bit", i).isEqualTo(want.get(i).toArray());
        }
    }

    /** A functional model holding a GetItem may be a layer of a Sequential, in Keras and here; it round-trips. */
    @Test
    void aGetItemInsideAFunctionalInsideASequentialRoundTrips() throws IOException {
        Seeds.set(SEED + 4);
        Input in = Input.shape(5, 3);
        Model inner = Model.of(in, new GetItem(":, 1::2, ::-1").apply(in)).named("inner");
        Sequential s = Sequential.of(Input.shape(5, 3), inner, new io.rnn4j.layers.Flatten(), new Dense(2));
        Path out = tmp.resolve("nested.keras");
        Models.save(s, out);
        KerasModel back = Models.load(out);
        Tensor x = TestTensors.gaussian(SEED + 5, 3, 5, 3);
        assertThat(back.predict(x).toArray()).as("bit for bit").isEqualTo(s.predict(x).toArray());
    }
}
