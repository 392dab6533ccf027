# Writes the Keras 3.15.1 fixtures of WeatherForecastingLstmTest (layers/src/test/java/io/rnn4j/layers/examples/),
# on the TensorFlow backend. Run in this folder with
#   KERAS_BACKEND=tensorflow python make_weather_lstm.py
# keras-io's examples/timeseries/timeseries_weather_forecasting.py ("Timeseries forecasting for weather prediction",
# last modified 2020/07/20) at a tiny size: 400 steps of a seeded synthetic "weather" (pressure, temperature,
# humidity, wind; a daily cycle of 24 steps, a seasonal one, noise) instead of the Jena record; split_fraction 0.7,
# step 3, past 24, future 6 (sequence_length 8), batch_size 32, Adam(0.03) (the example's 0.001 would not overfit
# in a few epochs), 10 epochs, EarlyStopping(monitor="val_loss", min_delta=0, patience=2) (the example's 5 would
# not trigger here) and ModelCheckpoint(save_best_only=True, save_weights_only=True, monitor="val_loss") to a
# .weights.h5 (Keras 3 refuses the example's "model_checkpoint.h5" with save_weights_only). Otherwise the example's
# code: normalize with the training split's mean and std, the targets the temperature past + future steps on,
# timeseries_dataset_from_array with sampling_rate=step, Input -> LSTM(32) -> Dense(1), "mse". Written:
#   weather.raw.npy (400, 4) float64        the synthetic series
#   weather.normalized.npy (400, 4) float64 normalize(raw, train_split)
#   weather.train_x.npy, weather.train_y.npy   dataset_train's batches, concatenated (float32)
#   weather.val_x.npy, weather.val_y.npy       dataset_val's batches, concatenated (float32)
#   weather.keras              the example's model, compiled, untrained
#   weather.pred.npy           its predictions of val_x
#   weather.loss.npy, weather.val_loss.npy, weather.stopped_epoch.npy   fit's history and es.stopped_epoch
#   weather.checkpoint_log.txt what ModelCheckpoint(verbose=1) printed during fit
#   weather.best.weights.h5    what ModelCheckpoint saved (the best epoch's weights)
#   weather.best<i>.npy        those weights, in model.weights order
#   weather.val_pred.npy       the trained model's predictions of val_x (the example's last cell)
# Seeded (numpy's default_rng(2020) and keras.utils.set_random_seed(2021)).
import contextlib
import io
import os
import zipfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
import keras

N = 400
split_fraction = 0.7
step = 3
past = 24
future = 6
learning_rate = 0.03
batch_size = 32
epochs = 10

rng = np.random.default_rng(2020)
t = np.arange(N)
day = 24
season = N / 1.5
temperature = 10 + 6 * np.sin(2 * np.pi * t / day) + 8 * np.sin(2 * np.pi * t / season) + rng.normal(0, 1, N)
pressure = 1000 + 5 * np.sin(2 * np.pi * t / season + 1) + np.cumsum(rng.normal(0, 0.3, N))
humidity = 70 - 2 * (temperature - 10) + rng.normal(0, 3, N)
wind = np.abs(3 + 2 * np.sin(2 * np.pi * t / day + 2) + rng.normal(0, 1, N))
raw = np.stack([pressure, temperature, humidity, wind], 1)
np.save("weather.raw.npy", raw)

train_split = int(split_fraction * N)


def normalize(data, train_split):
    data_mean = data[:train_split].mean(axis=0)
    data_std = data[:train_split].std(axis=0)
    return (data - data_mean) / data_std


features = normalize(raw, train_split)
np.save("weather.normalized.npy", features)
train_data = features[:train_split]
val_data = features[train_split:]
start = past + future
end = start + train_split
x_train = train_data
y_train = features[start:end][:, [1]]
sequence_length = int(past / step)
dataset_train = keras.utils.timeseries_dataset_from_array(
    x_train, y_train, sequence_length=sequence_length, sampling_rate=step, batch_size=batch_size)
x_end = len(val_data) - past - future
label_start = train_split + past + future
x_val = val_data[:x_end]
y_val = features[label_start:][:, [1]]
dataset_val = keras.utils.timeseries_dataset_from_array(
    x_val, y_val, sequence_length=sequence_length, sampling_rate=step, batch_size=batch_size)


def concat(ds, k):
    return np.concatenate([b[k].numpy() for b in ds]).astype("float32")


np.save("weather.train_x.npy", concat(dataset_train, 0))
np.save("weather.train_y.npy", concat(dataset_train, 1))
np.save("weather.val_x.npy", concat(dataset_val, 0))
np.save("weather.val_y.npy", concat(dataset_val, 1))

keras.utils.set_random_seed(2021)
inputs = keras.layers.Input(shape=(sequence_length, raw.shape[1]))
lstm_out = keras.layers.LSTM(32)(inputs)
outputs = keras.layers.Dense(1)(lstm_out)
model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss="mse")
model.save("weather.keras")
with zipfile.ZipFile("weather.keras") as z:  # deflated, as make_ocr.py does: Keras and rnn4j read both
    entries = [(i, z.read(i.filename)) for i in z.infolist()]
with zipfile.ZipFile("weather.keras", "w", zipfile.ZIP_DEFLATED) as z:
    for info, data in entries:
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
np.save("weather.pred.npy", model.predict(np.load("weather.val_x.npy"), verbose=0))

es_callback = keras.callbacks.EarlyStopping(monitor="val_loss", min_delta=0, patience=2)
modelckpt_callback = keras.callbacks.ModelCheckpoint(monitor="val_loss", filepath="weather.best.weights.h5",
                                                     verbose=1, save_weights_only=True, save_best_only=True)
log = io.StringIO()
with contextlib.redirect_stdout(log):  # ModelCheckpoint's verbose=1 lines, as the example prints them
    history = model.fit(dataset_train, epochs=epochs, validation_data=dataset_val,
                        callbacks=[es_callback, modelckpt_callback], verbose=0)
with open("weather.checkpoint_log.txt", "w") as out:
    out.write(log.getvalue())
np.save("weather.loss.npy", np.array(history.history["loss"]))
np.save("weather.val_loss.npy", np.array(history.history["val_loss"]))
np.save("weather.stopped_epoch.npy", np.array([es_callback.stopped_epoch], dtype="int32"))
np.save("weather.val_pred.npy", model.predict(np.load("weather.val_x.npy"), verbose=0))
best = keras.models.clone_model(model)
best.load_weights("weather.best.weights.h5")
for i, w in enumerate(best.weights):
    np.save(f"weather.best{i}.npy", np.asarray(w.numpy(), dtype="float32"))
print("loss", history.history["loss"])
print("val_loss", history.history["val_loss"])
print("stopped_epoch", es_callback.stopped_epoch)
