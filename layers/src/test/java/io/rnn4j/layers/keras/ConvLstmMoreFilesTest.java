package io.rnn4j.layers.keras;

import static io.rnn4j.layers.keras.Keras3151.allWeights;
import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.assertSameOutputs;
import static io.rnn4j.layers.keras.Keras3151.assertWeightsAsKeras;
import static io.rnn4j.layers.keras.Keras3151.layerConfigs;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static io.rnn4j.layers.keras.Keras3151.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.Bidirectional;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.ConvLSTM;
import io.rnn4j.layers.ConvLSTM1D;
import io.rnn4j.layers.ConvLSTM2D;
import io.rnn4j.layers.ConvLSTM3D;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.MergeMode;
import io.rnn4j.layers.RnnOutput;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ConvLSTM2D with data_format "channels_first" and Bidirectional(ConvLSTM2D) in files Keras 3.15.1
 * wrote on TensorFlow (keras3151/make_convlstm_more.py): a channels_first layer with strides and
 * return_state (output and states channels first), Bidirectional sum and concat with return_state
 * on a (batch, time) mask, each as .keras and legacy .h5, and a channels_first Bidirectional with a
 * given backward_layer (concat on the last axis, cols, as Keras concatenates); rnn4j gives Keras's
 * outputs within {@code 1e-5 + 1e-5·|y|}, saves them back as .keras with Keras's config keys and
 * reads its own file to the same bits; one epoch of SGD on a Keras-compiled channels_first model
 * gives Keras's weights within that bar. Hand-written Keras 3 entries load; a bad data_format is
 * refused by name.
 */
class ConvLstmMoreFilesTest {
    /** The ConvLSTM and Bidirectional layers, whose configs are compared. */
    private static final Predicate<String> CONV_LSTM = c -> c.startsWith("ConvLSTM") || c.equals("Bidirectional");

    @TempDir
    Path tmp;

    static Stream<String> fixtures() throws IOException {
        return Files.readAllLines(resource("manifest-convlstm-more.txt")).stream().filter(l -> !l.isBlank());
    }

    /** The model's last layer run as Keras's {@code layer(x, mask=mask)}: the output, then any states. */
    private static List<Tensor> maskedCall(Layer layer, Tensor x, Tensor mask) {
        Variable in = Variable.constant(x);
        List<Variable> out;
        if (layer instanceof Bidirectional b) {
            out = b.run(in, mask, null, CallContext.inference());
            if (!b.forwardLayer().returnState()) {
                out = out.subList(0, b.mergeMode() == MergeMode.NONE ? 2 : 1);
            }
        } else {
            RnnOutput o = ((ConvLSTM<?>) layer).run(in, mask, null, CallContext.inference());
            out = new ArrayList<>(List.of(o.output()));
            if (((ConvLSTM<?>) layer).returnState()) {
                out.addAll(o.states());
            }
        }
        return out.stream().map(Variable::value).toList();
    }

    private static List<Tensor> outputs(KerasModel m, boolean masked, Tensor x) throws IOException {
        if (!masked) {
            return m.predict(List.of(x));
        }
        return maskedCall(m.layers().getLast(), x, Npy.read(resource("convlstm_more.mask.npy")).tensor());
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("fixtures")
    void aKerasWrittenModelGivesKerasOutputsAndRoundTrips(String line) throws IOException {
        String[] f = line.trim().split(" ");
        String name = f[0];
        boolean masked = f[3].equals("1");
        Tensor x = Npy.read(resource(name + ".x0.npy")).tensor();
        KerasModel m = Models.load(resource(f[1]));
        List<Tensor> ys = outputs(m, masked, x);
        assertThat(ys).hasSize(Integer.parseInt(f[2]));
        for (int i = 0; i < ys.size(); i++) {
            double[] want = Npy.read(resource(name + ".y" + i + ".npy")).values();
            assertThat(ys.get(i).size()).as("%s output %d size", f[1], i).isEqualTo(want.length);
            assertClose(f[1] + " output " + i, ys.get(i).toArray(), want);
        }
        Path back = tmp.resolve(name + ".keras");
        Models.save(m, back);
        if (f[1].endsWith(".keras")) {
            List<Map<String, Object>> theirs = layerConfigs(resource(f[1]), CONV_LSTM);
            List<Map<String, Object>> ours = layerConfigs(back, CONV_LSTM);
            assertThat(ours).as("ConvLSTM and Bidirectional entries as rnn4j writes them back").hasSameSizeAs(theirs)
                    .isNotEmpty();
            for (int i = 0; i < ours.size(); i++) {
                assertSameKeys(ours.get(i), theirs.get(i));
            }
        }
        List<Tensor> again = outputs(Models.load(back), masked, x);
        assertSameOutputs(f[1] + ": ", again, ys);
    }

    /** The same keys in Keras's order, and the same layout values, nested layers' too. */
    @SuppressWarnings("unchecked")
    private static void assertSameKeys(Map<String, Object> ours, Map<String, Object> theirs) {
        assertThat(ours.keySet()).as("get_config keys in Keras's order").containsExactlyElementsOf(theirs.keySet());
        for (String key : List.of("data_format", "filters", "kernel_size", "strides", "padding", "merge_mode",
                "return_sequences", "return_state", "go_backwards", "activation")) {
            assertThat(ours.get(key)).as(key).isEqualTo(theirs.get(key));
        }
        for (String key : List.of("layer", "backward_layer")) {
            if (theirs.get(key) instanceof Map<?, ?> t) {
                Map<String, Object> o = (Map<String, Object>) ours.get(key);
                assertThat(o.get("class_name")).as(key).isEqualTo(t.get("class_name"));
                assertSameKeys((Map<String, Object>) o.get("config"), (Map<String, Object>) t.get("config"));
            }
        }
    }

    @Test
    void oneEpochOfSgdOnAChannelsFirstKerasModelGivesKerasWeights() throws IOException {
        KerasModel m = Models.load(resource("cf_convlstm2d_train.keras"), true);
        Tensor fx = Npy.read(resource("cf_convlstm2d_train.fit_x.npy")).tensor();
        Tensor fy = Npy.read(resource("cf_convlstm2d_train.fit_y.npy")).tensor();
        assertClose("predict before training", m.predict(List.of(fx)).get(0).toArray(),
                Npy.read(resource("cf_convlstm2d_train.y0.npy")).values());
        List<Weight> weights = allWeights(m);
        List<float[]> before = values(weights);
        m.fit(fx, fy, Fit.defaults().batchSize(4).epochs(1).shuffle(false).verbose(0));
        assertThat(weights).hasSize(5);
        double moved = assertWeightsAsKeras("cf_convlstm2d_train", "after two SGD steps", weights, before);
        assertThat(moved).as("the largest change of a weight in the two steps (far beyond the bar)")
                .isGreaterThan(1e-2);
    }

    @Test
    void aBidirectionalOfEveryRankSavesWeightsAndConfigAndComesBack() throws IOException {
        List<Layer> layers = List.of(
                new Bidirectional(new ConvLSTM1D(2, 3).padding("same").dataFormat("channels_first")
                        .returnSequences(true), MergeMode.AVE).named("b1"),
                new Bidirectional(new ConvLSTM3D(2, 2).returnSequences(true), MergeMode.MUL,
                        new ConvLSTM3D(2, 2).goBackwards(true).returnSequences(true).activation("relu")).named("b3"));
        Sequential one = Sequential.of(Input.shape(3, 2, 5), layers.get(0));
        Sequential three = Sequential.of(Input.shape(2, 3, 3, 3, 2), layers.get(1));
        for (Sequential s : List.of(one, three)) {
            Path out = tmp.resolve(s.layers().get(0).name() + ".keras");
            Models.save(s, out);
            KerasModel back = Models.load(out);
            Bidirectional b = (Bidirectional) back.layers().get(0);
            Bidirectional a = (Bidirectional) s.layers().get(0);
            assertThat(b.mergeMode()).isEqualTo(a.mergeMode());
            assertThat(b.forwardLayer().getClass()).isEqualTo(a.forwardLayer().getClass());
            assertThat(((ConvLSTM<?>) b.forwardLayer()).dataFormat())
                    .isEqualTo(((ConvLSTM<?>) a.forwardLayer()).dataFormat());
            assertThat(((ConvLSTM<?>) b.backwardLayer()).activation())
                    .isEqualTo(((ConvLSTM<?>) a.backwardLayer()).activation());
            assertThat(b.countParams()).isEqualTo(a.countParams());
            int[] sample = s.inputShape().dims();
            int[] dims = new int[sample.length + 1];
            dims[0] = 2;
            System.arraycopy(sample, 0, dims, 1, sample.length);
            Tensor x = io.rnn4j.layers.GradCheck.uniform(new java.util.Random(5), -1, 1, dims);
            assertThat(back.predict(x).toArray()).as("%s after the round trip", a.name())
                    .isEqualTo(s.predict(x).toArray());
            Path w = tmp.resolve(a.name() + ".weights.h5");
            Models.saveWeights(s, w);
            Models.loadWeights(back, w);
            assertThat(back.predict(x).toArray()).as("%s after save_weights / load_weights", a.name())
                    .isEqualTo(s.predict(x).toArray());
        }
    }

    private static Layer read(String json) {
        return new LayerReader(false).read(ModelReader.parse("test", "layer", json)).layer();
    }

    @Test
    void handWrittenKeras3EntriesLoad() {
        Bidirectional b = (Bidirectional) read("""
                {"class_name": "Bidirectional", "config": {"name": "bi", "merge_mode": null, "layer":
                 {"class_name": "ConvLSTM2D", "config": {"name": "c", "filters": 2, "kernel_size": 3,
                  "data_format": "Channels_First", "return_sequences": true}}}}""");
        assertThat(b.mergeMode()).isEqualTo(MergeMode.NONE);
        ConvLSTM2D f = (ConvLSTM2D) b.forwardLayer();
        ConvLSTM2D r = (ConvLSTM2D) b.backwardLayer();
        assertThat(List.of(f.name(), r.name())).containsExactly("forward_c", "backward_c");
        assertThat(List.of(f.dataFormat(), r.dataFormat())).containsOnly("channels_first");
        assertThat(List.of(f.goBackwards(), r.goBackwards())).containsExactly(false, true);
        assertThat(List.of(f.zeroOutputForMask(), r.zeroOutputForMask())).as("forced to return_sequences")
                .containsOnly(true);
        ConvLSTM1D one = (ConvLSTM1D) read("""
                {"class_name": "ConvLSTM1D", "config": {"name": "k", "filters": 2, "kernel_size": 3}}""");
        assertThat(one.dataFormat()).as("absent: Keras's default").isEqualTo("channels_last");
        assertThatThrownBy(() -> read("""
                {"class_name": "ConvLSTM3D", "config": {"name": "k", "filters": 2, "kernel_size": 3,
                 "data_format": "channels_middle"}}""")).isInstanceOf(KerasFileException.class)
                .hasMessage("Layer 'k' (ConvLSTM3D): data_format must be 'channels_last' or 'channels_first', "
                        + "got 'channels_middle'");
    }
}
