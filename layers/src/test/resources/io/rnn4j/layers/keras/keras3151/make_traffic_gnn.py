# Writes the Keras 3.15.1 fixtures of TrafficGraphLstmTest (layers/src/test/java/io/rnn4j/layers/examples/), on the
# TensorFlow backend (the example calls tf.gather, tf.math.unsorted_segment_* and tf.transpose). Run in this folder:
#   KERAS_BACKEND=tensorflow python make_traffic_gnn.py
# and, to check a file rnn4j saved (it must predict traffic.y.npy from traffic.x.npy):
#   KERAS_BACKEND=tensorflow python make_traffic_gnn.py --check /path/to/rnn4j_saved.keras
#
# keras-io's examples/timeseries/timeseries_traffic_forecasting.py ("Traffic forecasting using graph neural
# networks and LSTM") at a small size: 6 road segments on a fixed graph (a ring plus one chord), windows of 8
# steps, a forecast of the next 2 (multi_horizon, as the example's training set), GraphConv(1 -> 4, mean, concat,
# no activation) -> LSTM(8, relu) -> Dense(2) inside the example's LSTMGC layer. The layers are the example's,
# except that GraphConv's weight is made with add_weight: the example's raw tf.Variable is not tracked by Keras 3
# (it is not in model.weights, so fit never updates it and .keras files do not hold it). Both classes are
# registered (package "traffic"); LSTMGC's graph_info is given as {"edges": [...], "num_nodes": n} so that its
# config is JSON and load_model rebuilds it.
# Data: seeded synthetic speeds (a daily-like sine per node, phase-shifted along the ring, plus noise), split
# 60 / 30 steps and normalised with the training part's mean and std as the example's preprocess; windows made
# as its create_tf_dataset (timeseries_dataset_from_array on data[:-h] and data[T:], zipped), unshuffled.
# Written:
#   traffic.series_train.npy (60, 6), traffic.series_test.npy (30, 6): the normalised series
#   traffic.keras       the model, untrained, compiled with RMSprop(0.002) and MSE
#   traffic.x.npy (8, 8, 6, 1), traffic.y.npy (8, 2, 6): the first test windows and the model's predictions
#   traffic.fit_loss.npy   one epoch of fit(train windows, batch_size=16, shuffle=False): its logged loss
#   traffic.after<i>.npy   every weight after that epoch, in model.weights order
#   traffic.windows_x.npy, traffic.windows_y.npy: timeseries_dataset_from_array(train series, targets = node 0's
#                    series, sequence_length=4, sequence_stride=3, sampling_rate=2, start_index=2, end_index=40,
#                    batch_size=5), its batches concatenated (the Keras options rnn4j's Timeseries.windows takes)
import os
import sys
import zipfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import tensorflow as tf
import keras
from keras import layers

NODES, T, H, OUT_FEAT, LSTM_UNITS, BATCH = 6, 8, 2, 4, 8, 16


class GraphInfo:
    def __init__(self, edges, num_nodes):
        self.edges = edges
        self.num_nodes = num_nodes


@keras.saving.register_keras_serializable(package="traffic")
class GraphConv(layers.Layer):
    def __init__(self, in_feat, out_feat, graph_info, aggregation_type="mean", combination_type="concat",
                 activation=None, **kwargs):
        super().__init__(**kwargs)
        self.in_feat, self.out_feat, self.graph_info = in_feat, out_feat, graph_info
        self.aggregation_type, self.combination_type = aggregation_type, combination_type
        self.weight = self.add_weight(shape=(in_feat, out_feat), initializer="glorot_uniform", trainable=True,
                                      name="weight")
        self.activation = layers.Activation(activation)

    def aggregate(self, neighbour_representations):
        aggregation_func = {"sum": tf.math.unsorted_segment_sum, "mean": tf.math.unsorted_segment_mean,
                            "max": tf.math.unsorted_segment_max}.get(self.aggregation_type)
        if aggregation_func:
            return aggregation_func(neighbour_representations, self.graph_info.edges[0],
                                    num_segments=self.graph_info.num_nodes)
        raise ValueError(f"Invalid aggregation type: {self.aggregation_type}")

    def call(self, features):  # (num_nodes, batch, seq, in_feat)
        nodes_representation = tf.matmul(features, self.weight)
        neighbour_representations = tf.gather(features, self.graph_info.edges[1])
        aggregated_messages = tf.matmul(self.aggregate(neighbour_representations), self.weight)
        if self.combination_type == "concat":
            h = tf.concat([nodes_representation, aggregated_messages], axis=-1)
        elif self.combination_type == "add":
            h = nodes_representation + aggregated_messages
        else:
            raise ValueError(f"Invalid combination type: {self.combination_type}.")
        return self.activation(h)


@keras.saving.register_keras_serializable(package="traffic")
class LSTMGC(layers.Layer):
    def __init__(self, in_feat, out_feat, lstm_units, input_seq_len, output_seq_len, graph_info,
                 graph_conv_params=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(graph_info, dict):
            graph_info = GraphInfo(edges=graph_info["edges"], num_nodes=graph_info["num_nodes"])
        if graph_conv_params is None:
            graph_conv_params = {"aggregation_type": "mean", "combination_type": "concat", "activation": None}
        self.config = dict(in_feat=in_feat, out_feat=out_feat, lstm_units=lstm_units, input_seq_len=input_seq_len,
                           output_seq_len=output_seq_len,
                           graph_info={"edges": [list(e) for e in graph_info.edges],
                                       "num_nodes": graph_info.num_nodes},
                           graph_conv_params=dict(graph_conv_params))
        self.graph_conv = GraphConv(in_feat, out_feat, graph_info, **graph_conv_params)
        self.lstm = layers.LSTM(lstm_units, activation="relu")
        self.dense = layers.Dense(output_seq_len)
        self.input_seq_len, self.output_seq_len = input_seq_len, output_seq_len

    def get_config(self):
        return {**super().get_config(), **self.config}

    def call(self, inputs):  # (batch, seq, num_nodes, in_feat)
        inputs = tf.transpose(inputs, [2, 0, 1, 3])
        gcn_out = self.graph_conv(inputs)
        shape = tf.shape(gcn_out)
        num_nodes, batch_size, input_seq_len, out_feat = shape[0], shape[1], shape[2], shape[3]
        gcn_out = tf.reshape(gcn_out, (batch_size * num_nodes, input_seq_len, out_feat))
        lstm_out = self.lstm(gcn_out)
        dense_output = self.dense(lstm_out)
        output = tf.reshape(dense_output, (num_nodes, batch_size, self.output_seq_len))
        return tf.transpose(output, [1, 2, 0])  # (batch, output_seq_len, num_nodes)


if len(sys.argv) == 3 and sys.argv[1] == "--check":
    model = keras.saving.load_model(sys.argv[2])
    x, y = np.load("traffic.x.npy"), np.load("traffic.y.npy")
    got = np.asarray(model.predict(x, verbose=0))
    print("rnn4j's file:", [w.path for w in model.weights])
    print("max |keras(rnn4j file) - traffic.y| =", np.abs(got - y).max())
    sys.exit(0)

# a ring 0-1-2-3-4-5-0 and the chord 0-3; edges as np.where(adjacency == 1) lists them (by node, then neighbour)
adjacency = np.zeros((NODES, NODES))
for a, b in [(i, (i + 1) % NODES) for i in range(NODES)] + [(0, 3)]:
    adjacency[a, b] = adjacency[b, a] = 1
node_indices, neighbor_indices = np.where(adjacency == 1)
graph = GraphInfo(edges=(node_indices.tolist(), neighbor_indices.tolist()), num_nodes=NODES)

rng = np.random.default_rng(2021)
steps = np.arange(90)[:, None]
speeds = 60 + 10 * np.sin(2 * np.pi * (steps + 2 * np.arange(NODES)[None, :]) / 16) + rng.normal(0, 1, (90, NODES))
train_raw, test_raw = speeds[:60], speeds[60:]
mean, std = train_raw.mean(axis=0), train_raw.std(axis=0)
train_array = ((train_raw - mean) / std).astype("float32")
test_array = ((test_raw - mean) / std).astype("float32")
np.save("traffic.series_train.npy", train_array)
np.save("traffic.series_test.npy", test_array)


def windows(data_array):  # the example's create_tf_dataset (multi_horizon=True), unbatched, unshuffled
    inputs = keras.utils.timeseries_dataset_from_array(np.expand_dims(data_array[:-H], axis=-1), None,
                                                       sequence_length=T, shuffle=False, batch_size=None)
    targets = keras.utils.timeseries_dataset_from_array(data_array[T:], None, sequence_length=H, shuffle=False,
                                                        batch_size=None)
    return (np.stack([np.asarray(v) for v in inputs]), np.stack([np.asarray(v) for v in targets]))


x_train, y_train = windows(train_array)
batches = list(keras.utils.timeseries_dataset_from_array(train_array, train_array[:, 0], sequence_length=4,
                                                         sequence_stride=3, sampling_rate=2, start_index=2,
                                                         end_index=40, batch_size=5, shuffle=False))
print("option windows per batch", [len(b[0]) for b in batches])
np.save("traffic.windows_x.npy", np.concatenate([np.asarray(b[0]) for b in batches]))
np.save("traffic.windows_y.npy", np.concatenate([np.asarray(b[1]) for b in batches]))
x_test, _ = windows(test_array)
print("windows", x_train.shape, y_train.shape, x_test.shape)

keras.utils.set_random_seed(16)
graph_conv_params = {"aggregation_type": "mean", "combination_type": "concat", "activation": None}
st_gcn = LSTMGC(1, OUT_FEAT, LSTM_UNITS, T, H, graph, graph_conv_params)
inputs = layers.Input((T, NODES, 1))
model = keras.models.Model(inputs, st_gcn(inputs))
model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.002), loss=keras.losses.MeanSquaredError())
model.save("traffic.keras")
# Keras stores the archive's entries uncompressed; rewritten deflated (Keras and rnn4j read both)
with zipfile.ZipFile("traffic.keras") as z:
    entries = [(i, z.read(i.filename)) for i in z.infolist()]
with zipfile.ZipFile("traffic.keras", "w", zipfile.ZIP_DEFLATED) as z:
    for info, data in entries:
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)

np.save("traffic.x.npy", x_test[:8])
np.save("traffic.y.npy", np.asarray(model.predict(x_test[:8], verbose=0)))
h = model.fit(x_train, y_train, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
np.save("traffic.fit_loss.npy", np.array(h.history["loss"], dtype="float64"))
for i, w in enumerate(model.weights):
    np.save(f"traffic.after{i}.npy", np.asarray(w))
print("weights", [(w.path, tuple(w.shape)) for w in model.weights], "fit loss", h.history["loss"])
