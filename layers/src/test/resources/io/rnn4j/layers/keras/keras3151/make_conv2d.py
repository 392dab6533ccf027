# Writes the Keras 3.15.1 Conv2D / Conv3D / 2D-3D pooling fixtures of Conv2DFilesTest: run in this folder with
#   python make_conv2d.py            (TensorFlow backend, CPU)
# For each NAME: NAME.keras (conv2d_groups.h5: Keras 3's legacy HDF5, model.save("x.h5")), its inputs
# NAME.x<i>.npy and Keras's predict outputs NAME.y<i>.npy (float64), listed in manifest-conv2d.txt as
# "FILE inputs outputs"; the model with None spatial axes also has an input of another size, NAME.xb.npy /
# NAME.yb.npy. Then two models (random weights, as the others) compiled before any training, each with its data
# TRAIN.fit_x.npy / fit_y.npy, Keras's predict of fit_x before training TRAIN.y0.npy, one
# epoch of fit(batch_size=4, shuffle=False) (two steps), and every weight after it as TRAIN.after<i>.npy in
# model.weights order: cnn_lstm_train (TimeDistributed Conv2D / MaxPooling2D / Flatten -> LSTM, SGD(0.1),
# mse) and next_frame_train (Keras's next-frame example, ConvLSTM2D -> BatchNormalization -> ... -> Conv3D,
# small sizes, Adam(0.01) and binary_crossentropy as the example compiles it). Fixed seeds.
import keras, numpy as np
from keras import layers as L

rng = np.random.default_rng(23)
models = {}


def add(name, build, xs, xb=None):
    keras.utils.set_random_seed(len(models) + 601)
    models[name] = (build(), xs, xb)


def randomized(m):
    # Random biases too (Keras initializes them to zeros), so that every weight matters; BatchNormalization's
    # variance stays positive.
    for w in m.weights:
        v = rng.uniform(-0.5, 0.5, w.shape)
        if "variance" in w.path:
            v = rng.uniform(0.5, 1.5, w.shape)
        w.assign(v.astype("float32"))
    return m


def x(*shape):
    return rng.standard_normal(shape).astype("float32")


def two_branches(a, b):
    # Two models side by side in one file (each .keras file costs ~16 KB of HDF5 overhead).
    ia, ib = keras.Input(a[0]), keras.Input(b[0])
    ya, yb = ia, ib
    for layer in a[1]:
        ya = layer(ya)
    for layer in b[1]:
        yb = layer(yb)
    return randomized(keras.Model([ia, ib], [ya, yb]))


# 2D: "valid" with strides (2, 1), a (3, 2) kernel, relu, a regularizer and a constraint; MaxPooling2D's
# defaults. 3D: "same" with strides (1, 2, 1), sigmoid; MaxPooling3D (2, 2, 1) "same"; AveragePooling3D
# valid; GlobalMaxPooling3D keepdims.
add("conv_valid_same",
    lambda: two_branches(((9, 6, 3), [L.Conv2D(4, (3, 2), strides=(2, 1), activation="relu",
                                                kernel_regularizer=keras.regularizers.L2(0.01),
                                                bias_constraint=keras.constraints.MaxNorm(2.0)),
                                       L.MaxPooling2D(), L.Flatten(), L.Dense(2)]),
                         ((4, 5, 3, 2), [L.Conv3D(3, (2, 3, 2), strides=(1, 2, 1), padding="same",
                                                  activation="sigmoid"),
                                         L.MaxPooling3D((2, 2, 1), padding="same"),
                                         L.AveragePooling3D(2, strides=1),
                                         L.GlobalMaxPooling3D(keepdims=True)])),
    [x(2, 9, 6, 3), x(2, 4, 5, 3, 2)])

# channels_first everywhere. 2D: Conv2D "same" strides 2, MaxPooling2D 3 / 2 "same" (odd sizes: padding on
# the right), GlobalAveragePooling2D keepdims. 3D: Conv3D valid, dilation 2 on the depth axis;
# AveragePooling3D "same"; GlobalAveragePooling3D.
add("conv_channels_first",
    lambda: two_branches(((3, 7, 6), [L.Conv2D(2, (2, 3), strides=2, padding="same", data_format="channels_first"),
                                      L.MaxPooling2D(3, strides=2, padding="same", data_format="channels_first"),
                                      L.GlobalAveragePooling2D(data_format="channels_first", keepdims=True)]),
                         ((2, 6, 4, 5), [L.Conv3D(3, 2, dilation_rate=(2, 1, 1), data_format="channels_first"),
                                         L.AveragePooling3D(2, padding="same", data_format="channels_first"),
                                         L.GlobalAveragePooling3D(data_format="channels_first")])),
    [x(2, 3, 7, 6), x(2, 2, 6, 4, 5)])

# Fully convolutional: None spatial axes, a 1x1 kernel, even and odd sizes.
add("conv2d_fully_conv",
    lambda: randomized(keras.Sequential([keras.Input((None, None, 2)),
                                         L.Conv2D(3, 3, padding="same", activation="relu"),
                                         L.MaxPooling2D(2, padding="same"),
                                         L.Conv2D(2, 1, use_bias=False),
                                         L.GlobalAveragePooling2D()])),
    [x(2, 7, 5, 2)], x(3, 4, 6, 2))

# Saved as Keras 3's legacy HDF5 only (model.save("x.h5")): "same" with dilation (2, 1) and groups 2, tanh;
# AveragePooling2D "same" with strides (2, 1) (windows with padding divide by their real taps);
# GlobalMaxPooling2D.
add("conv2d_groups",
    lambda: randomized(keras.Sequential([keras.Input((6, 5, 4)),
                                         L.Conv2D(6, 3, padding="same", dilation_rate=(2, 1), groups=2,
                                                  activation="tanh"),
                                         L.AveragePooling2D((3, 2), strides=(2, 1), padding="same"),
                                         L.GlobalMaxPooling2D()])),
    [x(2, 6, 5, 4)])


def cnn_lstm():
    return keras.Sequential([keras.Input((3, 8, 7, 1)),
                             L.TimeDistributed(L.Conv2D(4, 3, activation="relu")),
                             L.TimeDistributed(L.MaxPooling2D()),
                             L.TimeDistributed(L.Flatten()),
                             L.LSTM(5), L.Dense(2)])


def next_frame():
    # Keras's conv_lstm example (examples/vision/conv_lstm.py) at small sizes.
    return keras.Sequential([keras.Input((None, 6, 6, 1)),
                             L.ConvLSTM2D(3, (5, 5), padding="same", return_sequences=True, activation="relu"),
                             L.BatchNormalization(),
                             L.ConvLSTM2D(3, (3, 3), padding="same", return_sequences=True, activation="relu"),
                             L.BatchNormalization(),
                             L.ConvLSTM2D(3, (1, 1), padding="same", return_sequences=True, activation="relu"),
                             L.Conv3D(1, (3, 3, 3), activation="sigmoid", padding="same")])


with open("manifest-conv2d.txt", "w") as mf:
    for name, (m, xs, xb) in models.items():
        file = name + (".h5" if name == "conv2d_groups" else ".keras")
        m.save(file)
        ys = m.predict(xs if len(xs) > 1 else xs[0], verbose=0)
        ys = ys if isinstance(ys, list) else [ys]
        for i, v in enumerate(xs):
            np.save(f"{name}.x{i}.npy", v)
        for i, y in enumerate(ys):
            np.save(f"{name}.y{i}.npy", np.asarray(y).astype("float64"))
        if xb is not None:
            np.save(f"{name}.xb.npy", xb)
            np.save(f"{name}.yb.npy", np.asarray(m.predict(xb, verbose=0)).astype("float64"))
        mf.write(f"{file} {len(xs)} {len(ys)}\n")


def train(name, model, optimizer, loss, fx, fy):
    keras.utils.set_random_seed(777)
    m = randomized(model())
    m.compile(optimizer=optimizer, loss=loss)
    m.save(name + ".keras")
    np.save(f"{name}.fit_x.npy", fx)
    np.save(f"{name}.fit_y.npy", fy)
    np.save(f"{name}.y0.npy", np.asarray(m.predict(fx, verbose=0)).astype("float64"))
    m.fit(fx, fy, batch_size=4, epochs=1, shuffle=False, verbose=0)
    for i, w in enumerate(m.weights):
        np.save(f"{name}.after{i}.npy", np.asarray(w))  # float32, as the weights are


train("cnn_lstm_train", cnn_lstm, keras.optimizers.SGD(0.1), "mse", x(8, 3, 8, 7, 1), x(8, 2))
frames = rng.uniform(0, 1, (8, 4, 6, 6, 1)).astype("float32")
train("next_frame_train", next_frame, keras.optimizers.Adam(0.01), "binary_crossentropy", frames,
      (rng.uniform(0, 1, (8, 4, 6, 6, 1)) > 0.5).astype("float32"))
