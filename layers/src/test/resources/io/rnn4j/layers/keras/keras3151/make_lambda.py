# Writes the Keras 3.15.1 fixtures of Lambda layers (LambdaFilesTest), on the TensorFlow backend; their
# Java counterparts are given by layer name (CustomLayers.withLambda). Run in this folder with
#   KERAS_BACKEND=tensorflow python make_lambda.py
# As make_models.py (NAME.keras, NAME.x0.npy, NAME.y.npy), listed in manifest-lambda.txt; lambda_last
# also as a legacy lambda_last.h5.
import sys

if not globals().get("_RELATIVE"):
    # The lambdas' marshalled code records its file name: compile under the bare name, not the
    # absolute path Python gives a script, so that no path of this machine lands in the fixtures.
    with open(__file__) as f:
        exec(compile(f.read(), "make_lambda.py", "exec"), {"__name__": "__main__", "_RELATIVE": True})
    sys.exit(0)

import keras, numpy as np
from keras import layers as L

rng = np.random.default_rng(19)
models = {}


def f32(*shape):
    return rng.standard_normal(shape).astype("float32")


def add(name, build, x):
    keras.utils.set_random_seed(len(models) + 601)
    models[name] = (build(), x)


# The last step of a sequence of any length (Keras's output_shape inferred by tracing).
add("lambda_last", lambda: keras.Sequential([keras.Input((None, 3)), L.LSTM(4, return_sequences=True),
                                             L.Lambda(lambda x: x[:, -1, :], name="last_step"), L.Dense(2)]),
    f32(2, 5, 3))


def two_inputs():
    x = keras.Input((6,))
    a, b = L.Dense(4, activation="tanh")(x), L.Dense(4)(x)
    p = L.Lambda(lambda t: t[0] * t[1], name="product")([a, b])
    s = L.Lambda(lambda t, k: t * k, arguments={"k": 2.5}, name="scaled")(p)
    return keras.Model(x, L.Dense(1)(s))


add("lambda_two", two_inputs, f32(3, 6))
# A Lambda that passes the mask on: the LSTM after it skips the padded steps.
add("lambda_mask", lambda: keras.Sequential([keras.Input((5,)), L.Embedding(9, 3, mask_zero=True),
                                             L.Lambda(lambda x: x * 2.0, mask=lambda x, m: m, name="doubled"),
                                             L.LSTM(2)]),
    np.array([[1, 2, 0, 0, 0], [3, 4, 5, 6, 0]], dtype="float32"))

with open("manifest-lambda.txt", "w") as mf:
    for name, (m, x) in models.items():
        m.save(name + ".keras")
        np.save(f"{name}.x0.npy", x)
        np.save(name + ".y.npy", np.asarray(m.predict(x, verbose=0)).astype("float64"))
        mf.write(f"{name} 1\n")
models["lambda_last"][0].save("lambda_last.h5")
