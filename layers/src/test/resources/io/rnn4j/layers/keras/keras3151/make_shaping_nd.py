# Writes the Keras 3.15.1 fixtures of ShapingNDFilesTest (ZeroPadding2D/3D, Cropping2D/3D, UpSampling2D/3D,
# SpatialDropout2D/3D): run in this folder with
#   python make_shaping_nd.py        (TensorFlow backend, CPU)
# For each NAME: NAME.keras, its inputs NAME.x<i>.npy and Keras's predict outputs NAME.y<i>.npy (float32, as
# Keras computes them), listed in manifest-shaping-nd.txt as "FILE inputs outputs", and inputs of other sizes
# for its None spatial axes, NAME.xb<i>.npy, with Keras's outputs NAME.yb<i>.npy. Then two models (random
# weights) compiled before any training, each with its data TRAIN.fit_x.npy / fit_y.npy, Keras's predict of
# fit_x before training TRAIN.y0.npy, one epoch of fit(batch_size=4, shuffle=False) under SGD(0.1) and mse (two
# steps), and every weight after it as TRAIN.after<i>.npy in model.weights order: shaping2d_train (Conv2D ->
# ZeroPadding2D -> Cropping2D -> UpSampling2D("bilinear") -> MaxPooling2D -> Flatten -> Dense) and
# shaping3d_train (the same in 3D). SpatialDropout is in the predict-only models (at inference it is the
# identity; in training its draws are TensorFlow's). Fixed seeds.
import keras, numpy as np
from keras import layers as L

rng = np.random.default_rng(29)
models = {}


def add(name, build, xs, xb=None):
    keras.utils.set_random_seed(len(models) + 701)
    models[name] = (build(), xs, xb)


def randomized(m):
    # Random biases too (Keras initializes them to zeros), so that every weight matters.
    for w in m.weights:
        w.assign(rng.uniform(-0.5, 0.5, w.shape).astype("float32"))
    return m


def x(*shape):
    return rng.standard_normal(shape).astype("float32")


def branches(*specs):
    # Models side by side in one file (each .keras file costs ~16 KB of HDF5 overhead).
    ins, outs = [], []
    for shape, stack in specs:
        ins.append(keras.Input(shape))
        y = ins[-1]
        for layer in stack:
            y = layer(y)
        outs.append(y)
    return randomized(keras.Model(ins, outs))


# Four models side by side, run on two sets of sizes: every spatial axis None but the third model's (Keras's
# bilinear UpSampling2D fails on None sizes in graph mode: "Using a symbolic `tf.Tensor` as a Python `bool`"). channels_last: padding and
# cropping different on each side of each axis, size different per axis, SpatialDropout2D/3D; channels_first:
# the same layers (UpSampling2D "nearest", then "bilinear" by 3 and 2: TensorFlow's float32 weights of 1/3 are
# inexact), then a Conv2D / Conv3D (their layouts agree). Keras writes padding and cropping as pairs
# whatever form they were given in; the other forms are the loader's business (hand-written entries in the test).
add("shaping_branches",
    lambda: branches(((None, None, 3), [L.ZeroPadding2D(((2, 0), (1, 3))), L.Cropping2D(((1, 2), (0, 1))),
                                        L.UpSampling2D((2, 1)), L.SpatialDropout2D(0.4)]),
                     ((None, None, None, 2), [L.ZeroPadding3D(((1, 0), (0, 2), (1, 1))),
                                              L.Cropping3D(((1, 0), (0, 1), (2, 1))), L.UpSampling3D((2, 1, 2)),
                                              L.SpatialDropout3D(0.5)]),
                     ((2, 5, 6), [L.ZeroPadding2D(1, data_format="channels_first"),
                                        L.Cropping2D((1, 2), data_format="channels_first"),
                                        L.UpSampling2D((1, 2), data_format="channels_first"),
                                        L.UpSampling2D((3, 2), data_format="channels_first",
                                                       interpolation="bilinear"),
                                        L.Conv2D(2, 3, data_format="channels_first")]),
                     ((2, None, None, None), [L.ZeroPadding3D((1, 0, 2), data_format="channels_first"),
                                              L.Cropping3D(data_format="channels_first"),
                                              L.UpSampling3D(2, data_format="channels_first"),
                                              L.SpatialDropout3D(0.2, data_format="channels_first")])),
    [x(2, 5, 4, 3), x(2, 4, 3, 5, 2), x(2, 2, 5, 6), x(2, 2, 3, 4, 3)],
    [x(1, 4, 6, 3), x(1, 3, 4, 3, 2), x(1, 2, 5, 6), x(1, 2, 2, 3, 2)])


def shaping2d():
    return keras.Sequential([keras.Input((7, 6, 2)),
                             L.Conv2D(3, 3, activation="relu"),
                             L.ZeroPadding2D(((1, 2), (0, 1))),
                             L.Cropping2D(((1, 0), (2, 1))),
                             L.UpSampling2D((2, 3), interpolation="bilinear"),
                             L.MaxPooling2D(),
                             L.Flatten(), L.Dense(2)])


def shaping3d():
    return keras.Sequential([keras.Input((4, 5, 4, 2)),
                             L.Conv3D(2, 2, activation="tanh"),
                             L.ZeroPadding3D(1),
                             L.Cropping3D(((1, 0), (0, 1), (1, 1))),
                             L.UpSampling3D((2, 2, 1)),
                             # Pooling only the axis not up-sampled: windows over the copies of a value tie, and
                             # TensorFlow sends a tie's MaxPool3DGrad to the first max in fit (graph mode, oneDNN
                             # or XLA) but to every max eagerly; this fixture is about the shaping layers.
                             L.MaxPooling3D((1, 1, 2)),
                             L.Flatten(), L.Dense(2)])


with open("manifest-shaping-nd.txt", "w") as mf:
    for name, (m, xs, xb) in models.items():
        file = name + ".keras"
        m.save(file)
        ys = m.predict(xs if len(xs) > 1 else xs[0], verbose=0)
        ys = ys if isinstance(ys, list) else [ys]
        for i, v in enumerate(xs):
            np.save(f"{name}.x{i}.npy", v)
        for i, y in enumerate(ys):
            np.save(f"{name}.y{i}.npy", np.asarray(y).astype("float32"))
        if xb is not None:
            for i, v in enumerate(xb):
                np.save(f"{name}.xb{i}.npy", v)
            for i, y in enumerate(m.predict(xb, verbose=0)):
                np.save(f"{name}.yb{i}.npy", np.asarray(y).astype("float32"))
        mf.write(f"{file} {len(xs)} {len(ys)}\n")


def train(name, model, fx, fy):
    keras.utils.set_random_seed(777)
    m = randomized(model())
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    m.save(name + ".keras")
    np.save(f"{name}.fit_x.npy", fx)
    np.save(f"{name}.fit_y.npy", fy)
    np.save(f"{name}.y0.npy", np.asarray(m.predict(fx, verbose=0)).astype("float32"))
    m.fit(fx, fy, batch_size=4, epochs=1, shuffle=False, verbose=0)
    for i, w in enumerate(m.weights):
        np.save(f"{name}.after{i}.npy", np.asarray(w))  # float32, as the weights are


train("shaping2d_train", shaping2d, x(8, 7, 6, 2), x(8, 2))
train("shaping3d_train", shaping3d, x(8, 4, 5, 4, 2), x(8, 2))
