# Writes the Keras 3.15.1 GroupNormalization / SpectralNormalization / ActivityRegularization / ReversibleEmbedding
# fixtures of NormRegFilesTest: run in this folder with (TensorFlow backend, CPU)
#   python make_normreg.py
# For each NAME: NAME.keras (compiled with SGD(0.1) and mse, before any training), its input NAME.x0.npy,
# Keras's predict output NAME.y.npy and evaluate loss on the fit data NAME.loss.npy (with the activity
# losses), the fit data NAME.fit_x.npy / NAME.fit_y.npy, and after one epoch of fit(batch_size=4,
# shuffle=False) (two SGD steps) every weight as NAME.after<i>.npy in model.weights order; listed in
# manifest-normreg.txt as "NAME weights". All float64. Fixed seeds.
import keras, numpy as np
from keras import layers as L

rng = np.random.default_rng(23)
models = {}


def randomized(m):
    # Random gammas, betas, biases and vector_u too, so that every weight matters.
    for w in m.weights:
        w.assign(rng.uniform(-0.5, 0.5, w.shape).astype("float32"))
    return m


def add(name, build, x, fy_shape):
    keras.utils.set_random_seed(len(models) + 601)
    m = randomized(build())
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    fx = x if x.dtype != np.float32 else rng.standard_normal(x.shape).astype("float32")
    models[name] = (m, x, fx, rng.standard_normal(fy_shape).astype("float32"))


# GroupNormalization after an LSTM: 3 groups over 6 channels, then groups=-1 (one per step) over axis 1.
add("groupnorm_lstm",
    lambda: keras.Sequential([keras.Input((5, 6)), L.LSTM(6, return_sequences=True),
                              L.GroupNormalization(groups=3, epsilon=1e-2),
                              L.GroupNormalization(groups=-1, axis=1, center=False),
                              L.Flatten(), L.Dense(2)]),
    rng.standard_normal((8, 5, 6)).astype("float32"), (8, 2))

# SpectralNormalization around a Dense before an LSTM and around the head (two power iterations).
add("spectral_lstm",
    lambda: keras.Sequential([keras.Input((4, 3)), L.SpectralNormalization(L.Dense(5)),
                              L.LSTM(3), L.SpectralNormalization(L.Dense(2), power_iterations=2)]),
    rng.standard_normal((8, 4, 3)).astype("float32"), (8, 2))

# ActivityRegularization on masked embeddings (the mask passes on to the LSTM) and on the LSTM's output.
add("actreg_lstm",
    lambda: keras.Sequential([keras.Input((6,), dtype="int32"), L.Embedding(7, 4, mask_zero=True),
                              L.ActivityRegularization(l1=0.01, l2=0.02), L.LSTM(3),
                              L.ActivityRegularization(l2=0.5), L.Dense(1)]),
    np.array([[1, 2, 3, 0, 0, 0], [4, 5, 6, 1, 2, 0], [3, 3, 0, 0, 0, 0], [6, 5, 4, 3, 2, 1],
              [2, 0, 0, 0, 0, 0], [1, 1, 2, 2, 3, 0], [5, 6, 0, 0, 0, 0], [4, 4, 4, 4, 0, 0]], dtype="int32"),
    (8, 1))



# ReversibleEmbedding in a tied-embedding LSTM language model: ids -> embeddings (mask_zero) -> LSTM ->
# the same layer called with reverse=True (logits against the embeddings transposed); and untied, with
# logit_soft_cap.
def language_model(**options):
    ids = keras.Input((None,), dtype="int32")
    emb = L.ReversibleEmbedding(9, 5, **options)
    h = L.LSTM(5, return_sequences=True)(emb(ids))
    return lambda: keras.Model(ids, emb(h, reverse=True))


lm_ids = np.array([[1, 2, 3, 4, 0], [5, 6, 7, 0, 0], [8, 1, 2, 3, 4], [2, 2, 0, 0, 0],
                   [3, 4, 5, 6, 7], [7, 6, 5, 0, 0], [1, 0, 0, 0, 0], [4, 8, 4, 8, 4]], dtype="int32")
add("reversible_tied", language_model(mask_zero=True), lm_ids, (8, 5, 9))
add("reversible_untied_cap", language_model(tie_weights=False, logit_soft_cap=0.75), lm_ids, (8, 5, 9))

with open("manifest-normreg.txt", "w") as mf:
    for name, (m, x, fx, fy) in models.items():
        m.save(name + ".keras")
        np.save(f"{name}.x0.npy", x.astype("float32"))
        np.save(f"{name}.y.npy", np.asarray(m.predict(x, verbose=0)).astype("float64"))
        np.save(f"{name}.fit_x.npy", fx.astype("float32"))
        np.save(f"{name}.fit_y.npy", fy)
        np.save(f"{name}.loss.npy", np.array([m.evaluate(fx, fy, batch_size=8, verbose=0)], dtype="float64"))
        m.fit(fx, fy, batch_size=4, epochs=1, shuffle=False, verbose=0)
        for i, w in enumerate(m.weights):
            np.save(f"{name}.after{i}.npy", np.asarray(w).astype("float64"))
        mf.write(f"{name} {len(m.weights)}\n")
