package io.rnn4j.layers.examples;

import static io.rnn4j.layers.keras.Keras3151.assertClose;
import static io.rnn4j.layers.keras.Keras3151.assertWeightsAsKeras;
import static io.rnn4j.layers.keras.Keras3151.npy;
import static io.rnn4j.layers.keras.Keras3151.npyValues;
import static io.rnn4j.layers.keras.Keras3151.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jhdf.HdfFile;
import io.rnn4j.engine.Devices;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Input;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Seeds;
import io.rnn4j.layers.Timeseries;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.keras.CustomLayers;
import io.rnn4j.layers.keras.KerasModel;
import io.rnn4j.layers.keras.Models;
import io.rnn4j.layers.losses.Losses;
import io.rnn4j.layers.model.Fit;
import io.rnn4j.layers.model.History;
import io.rnn4j.layers.model.Model;
import io.rnn4j.layers.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * keras-io's examples/timeseries/timeseries_traffic_forecasting.py ("Traffic forecasting using graph
 * neural networks and LSTM") at a small size: 6 road segments on a fixed graph (a ring and one
 * chord), windows of 8 steps, forecasts of the next 2; the example's custom layers in Java —
 * {@link GraphConv} (mean aggregation, concat, no activation) and {@link LSTMGC}, which owns the
 * GraphConv, an LSTM(8, relu) and a Dense(2) through {@link Layer#addSublayer} — trained with
 * RMSprop and MSE on windows made as the example's create_tf_dataset, with
 * {@link Timeseries#windows} for {@code timeseries_dataset_from_array}.
 *
 * <p>Keras's side is keras3151/make_traffic_gnn.py (TensorFlow backend; the layers registered as
 * "traffic>GraphConv" and "traffic>LSTMGC"): seeded synthetic speeds, the untrained model's file and
 * predictions, one epoch of RMSprop(0.002) unshuffled in batches of 16, and windows made with
 * Keras's other options. Bar: {@code Keras3151.assertClose}, 1e-5 + 1e-5·|y|. Run with
 * {@code -Dtraffic.keep=DIR} to keep the file rnn4j saves, which {@code make_traffic_gnn.py --check}
 * loads in Keras.
 */
class TrafficGraphLstmTest {
    static final CustomLayers CUSTOM = CustomLayers.of().with(LSTMGC.KEY, LSTMGC::fromConfig);
    private static final int NODES = 6;
    private static final int T = 8;
    private static final int H = 2;
    /** make_traffic_gnn.py's graph: np.where(adjacency == 1) of the ring 0..5 and the chord 0-3. */
    private static final int[][] EDGES = {{0, 0, 0, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5},
        {1, 3, 5, 0, 2, 1, 3, 0, 2, 4, 3, 5, 0, 4}};

    @TempDir
    Path tmp;

    /**
     * The example's create_tf_dataset (multi_horizon): inputs are the windows of {@code data[:-h]} with a
     * feature axis, targets the windows of {@code data[T:]} of h steps, zipped; (windows, T, nodes, 1) and
     * (windows, h, nodes).
     */
    static Tensor[] forecastWindows(Tensor series) {
        int steps = series.shape().dim(0);
        Tensor inputs = series.narrow(0, steps - H).reshape(steps - H, NODES, 1);
        Tensor x = Timeseries.windows(inputs, null, T).x();
        Tensor y = Timeseries.windows(series.narrow(T, steps - T), null, H).x();
        return new Tensor[] {x, y};
    }

    static Model buildModel(int outFeat, int lstmUnits, String aggregation) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("aggregation_type", aggregation);
        params.put("combination_type", "concat");
        params.put("activation", null);
        Input in = Input.shape(T, NODES, 1);
        return Model.of(in, new LSTMGC(1, outFeat, lstmUnits, T, H, EDGES, NODES, params).apply(in));
    }

    @Test
    void theExampleFileLoadsWithTheJavaLayersAndPredictsKerassForecasts() throws IOException {
        KerasModel loaded = Models.load(resource("traffic.keras"), CUSTOM);
        Layer lstmgc = loaded.layer("lstmgc");
        assertThat(lstmgc).isInstanceOf(LSTMGC.class);
        assertThat(lstmgc.sublayers()).containsOnlyKeys("graph_conv", "lstm", "dense");
        assertThat(((LSTM) lstmgc.sublayers().get("lstm")).units()).isEqualTo(8);
        // Keras's model.weights: graph_conv/weight, the LSTM cell's kernel, recurrent_kernel, bias, the Dense's
        assertThat(lstmgc.weights()).extracting(Weight::name).containsExactly("weight", "kernel", "recurrent_kernel",
                "bias", "kernel", "bias");
        // GraphConv 1·4; LSTM 4·8·(8 + 8 + 1) (the concat gives 8 features); Dense 8·2 + 2
        assertThat(loaded.countParams()).isEqualTo(4 + 544 + 18);
        assertClose("LSTMGC forecasts (batch, 2, 6)", loaded.predict(npy("traffic.x.npy")).toArray(),
                npyValues("traffic.y.npy"));
    }

    @Test
    void windowsAreTimeseriesDatasetFromArraysWithKerassOptions() throws IOException {
        Tensor series = npy("traffic.series_train.npy");
        Tensor[] w = forecastWindows(series);
        assertThat(w[0].shape().dims()).as("60 steps: 60 - 2 - 8 + 1 windows").containsExactly(51, T, NODES, 1);
        assertThat(w[1].shape().dims()).containsExactly(51, H, NODES);
        assertThat(w[1].narrow(50, 1).toArray()).as("the last window's targets are the last two steps")
                .isEqualTo(series.narrow(58, 2).toArray());
        float[] column = new float[60];
        float[] all = series.toArray();
        for (int s = 0; s < 60; s++) {
            column[s] = all[s * NODES];
        }
        // sequence_length 4, sequence_stride 3, sampling_rate 2, start_index 2, end_index 40; Keras's batches of 5
        // concatenated (fit batches the windows itself)
        Timeseries.Windows o = Timeseries.windows(series, Tensor.of(column, 60), 4, 3, 2, 2, 40);
        assertThat(o.x().shape().dims()).containsExactly(11, 4, NODES);
        assertThat(o.x().toArray()).isEqualTo(npy("traffic.windows_x.npy").toArray());
        assertThat(o.y().toArray()).isEqualTo(npy("traffic.windows_y.npy").toArray());
    }

    @Test
    void oneEpochOfRmspropEndsAtKerassWeightsAndLoss() throws IOException {
        KerasModel loaded = Models.load(resource("traffic.keras"), true, CUSTOM);
        Model model = loaded.functional();
        Tensor[] train = forecastWindows(npy("traffic.series_train.npy"));
        History h = model.fit(train[0], train[1], Fit.defaults().batchSize(16).epochs(1).shuffle(false).verbose(0));
        assertClose("the epoch's logged loss (RMSprop(0.002), MSE, 4 batches)",
                new float[] {h.get("loss").get(0).floatValue()}, npyValues("traffic.fit_loss.npy"));
        List<Weight> ws = model.weights();
        assertThat(ws).hasSize(6);
        assertWeightsAsKeras("traffic", "after one epoch", ws);
    }

    @Test
    void savedByRnn4jTheSubLayersWeightsSitWhereKerasPutsThem() throws IOException {
        KerasModel loaded = Models.load(resource("traffic.keras"), CUSTOM);
        Path file = tmp.resolve("traffic_rnn4j.keras");
        Models.save(loaded, file);
        String keep = System.getProperty("traffic.keep");
        if (keep != null) {
            Files.copy(file, Path.of(keep).resolve("traffic_rnn4j.keras"), StandardCopyOption.REPLACE_EXISTING);
        }
        Path h5 = tmp.resolve("model.weights.h5");
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Files.copy(zip.getInputStream(zip.getEntry("model.weights.h5")), h5);
        }
        try (HdfFile f = new HdfFile(h5)) {
            // as Keras 3.15.1 wrote traffic.keras: the outer layer's path, then each attribute's
            for (String path : List.of("layers/lstmgc/graph_conv/vars/0", "layers/lstmgc/lstm/cell/vars/0",
                    "layers/lstmgc/lstm/cell/vars/1", "layers/lstmgc/lstm/cell/vars/2", "layers/lstmgc/dense/vars/0",
                    "layers/lstmgc/dense/vars/1")) {
                assertThat(f.getDatasetByPath(path)).as(path).isNotNull();
            }
        }
        KerasModel back = Models.load(file, CUSTOM);
        Tensor x = npy("traffic.x.npy");
        assertThat(back.predict(x).toArray()).as("forecasts after rnn4j's save and load, bit for bit")
                .isEqualTo(loaded.predict(x).toArray());
        assertThatThrownBy(() -> Models.load(file)).hasMessageContaining("traffic>LSTMGC");
    }

    @Test
    void theJavaBuiltModelBeatsTheNaiveForecastOnHeldOutWindows() throws IOException {
        long seed = 2021;
        System.out.println("TrafficGraphLstmTest seed " + seed);
        Seeds.set(seed);
        Model model = buildModel(4, 16, "mean");
        // RMSprop at 0.01 rather than the example's 0.0002, so that 51 windows and a few epochs show it
        model.compile(Optimizers.rmsprop(0.01), Losses.meanSquaredError());
        Tensor[] train = forecastWindows(npy("traffic.series_train.npy"));
        Tensor[] test = forecastWindows(npy("traffic.series_test.npy"));
        History h = model.fit(train[0], train[1], Fit.defaults().batchSize(16).epochs(25).seed(seed).verbose(0));
        System.out.println("TrafficGraphLstmTest loss per epoch " + h.get("loss"));
        float[] pred = model.predict(test[0]).toArray();
        float[] x = test[0].toArray();
        float[] y = test[1].toArray();
        int windows = test[0].shape().dim(0);
        double modelSe = 0;
        double naiveSe = 0;
        for (int w = 0; w < windows; w++) {
            for (int k = 0; k < H; k++) {
                for (int n = 0; n < NODES; n++) {
                    double want = y[(w * H + k) * NODES + n];
                    double last = x[(w * T + T - 1) * NODES + n]; // the example's naive forecast: the last value
                    modelSe += Math.pow(pred[(w * H + k) * NODES + n] - want, 2);
                    naiveSe += Math.pow(last - want, 2);
                }
            }
        }
        double modelMse = modelSe / (windows * H * NODES);
        double naiveMse = naiveSe / (windows * H * NODES);
        System.out.printf("TrafficGraphLstmTest held-out MSE: model %.4f, naive %.4f%n", modelMse, naiveMse);
        assertThat(modelMse).as("held-out MSE of the model against the naive last-value forecast %.4f", naiveMse)
                .isLessThan(0.5 * naiveMse);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"sum, add", "mean, concat", "max, add", "max, concat"})
    void graphConvGradientsMatchFiniteDifferences(String aggregation, String combination) {
        Random r = new Random(7);
        System.out.println("TrafficGraphLstmTest graphConvGradients seed 7");
        GraphConv conv = new GraphConv(2, 3, EDGES, NODES, aggregation, combination, "tanh");
        conv.build(Shape.withUnknown(Shape.UNKNOWN, 3, 2), Devices.defaultDevice(), r);
        float[] x = new float[NODES * 2 * 3 * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int outSize = NODES * 2 * 3 * conv.outputShape().dim(2);
        float[] project = new float[outSize];
        for (int i = 0; i < outSize; i++) {
            project[i] = (float) r.nextGaussian();
        }
        Variable in = Variable.parameter(Tensor.of(x, NODES, 2, 3, 2));
        Variable loss = Ops.sumAll(Ops.mul(conv.call(in, null, CallContext.inference()),
                Variable.constant(Tensor.of(project, NODES, 2, 3, conv.outputShape().dim(2)))));
        loss.backward();
        Weight w = conv.weights().get(0);
        float[] wv = w.value().toArray();
        float[] dx = in.grad().toArray();
        float[] dw = w.variable().grad().toArray();
        checkGradient("d loss / d features", dx, x, v -> graphConvLoss(conv, v, wv, project));
        checkGradient("d loss / d weight", dw, wv, v -> graphConvLoss(conv, x, v, project));
    }

    private static double graphConvLoss(GraphConv conv, float[] x, float[] weight, float[] project) {
        conv.weights().get(0).set(Tensor.of(weight, 2, 3));
        float[] out = conv.call(Variable.constant(Tensor.of(x, NODES, 2, 3, 2)), null, CallContext.inference())
                .value().toArray();
        double sum = 0;
        for (int i = 0; i < out.length; i++) {
            sum += (double) out[i] * project[i];
        }
        return sum;
    }

    /** Central differences of step 1e-2 on the float32 forward: 1e-2 absolute + 1e-2 relative. */
    private static void checkGradient(String what, float[] grad, float[] at, ToDoubleFunction<float[]> loss) {
        float[] v = at.clone();
        for (int i = 0; i < v.length; i++) {
            float keep = v[i];
            v[i] = keep + 1e-2f;
            double up = loss.applyAsDouble(v);
            v[i] = keep - 1e-2f;
            double down = loss.applyAsDouble(v);
            v[i] = keep;
            double fd = (up - down) / ((double) (keep + 1e-2f) - (keep - 1e-2f));
            assertThat((double) grad[i]).as("%s [%d]", what, i).isCloseTo(fd, within(1e-2 + 1e-2 * Math.abs(fd)));
        }
        loss.applyAsDouble(at); // the weight back as it was
    }
}
