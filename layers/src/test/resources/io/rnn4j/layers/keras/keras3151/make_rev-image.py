# Writes the Keras 3.15.1 fixtures of the image-layer review (ImagePreprocessingKerasTest,
# ImageGradientKerasTest): run in this folder with the TensorFlow backend:
#   KERAS_BACKEND=tensorflow python make_rev-image.py
# 1. revimage-transforms.json: edge cases in imageprep-transforms.json's format (make_imageprep.py):
#    1x1 images, a batch of 1, odd resize ratios, nearest-neighbour ties, equal aspect ratios, pads with
#    an odd difference, clipping to value_range; files ip_rev_*.npy.
# 2. Models whose augmentation is deterministic (a factor range of one value: every image gets the same
#    rotation, zoom or shift), trained one epoch of SGD after a trainable Conv2D: the Conv2D's update
#    carries TensorFlow's registered gradient of ImageProjectiveTransformV3 (the incoming gradient warped
#    by the inverse transform, tensorflow/python/ops/image_ops.py), not the sampling's exact derivative.
#    NAME.keras, NAME.x0.npy, NAME.y.npy (predict), NAME.fit_x/fit_y.npy, NAME.y_after.npy, NAME.loss.npy
#    (evaluate on fit_x/fit_y before training: the augmentation is off there), listed in manifest-revimage.txt.
# 3. rev_grad_affine.json (a layer config per case: rotation, zoom, translation of one value each, every
#    fill_mode and interpolation), rev_grad.x/upstream.npy and rev_grad.y/grad.npy (one row per case):
#    the layer's training output and the input gradient tf.GradientTape gives for the upstream gradient.
import json, os, zipfile
import keras, numpy as np, tensorflow as tf
from keras import layers as L

rng = np.random.default_rng(1531)
cases = []


def images(name, shape, scale=1.0):
    x = (rng.random(shape) * scale).astype("float32")
    np.save(f"ip_rev_{name}.x.npy", x)
    return "rev_" + name, x


def config(layer):
    c = layer.get_config()
    c.pop("dtype", None)
    return {"class_name": type(layer).__name__, "config": c}


def case(name, layer, imgs, transformation, params):
    (iname, x) = imgs
    if transformation is None:
        y = layer(x)
    else:
        y = layer.transform_images(tf.constant(x), transformation, training=True)
    np.save(f"ip_rev_{name}.y.npy", np.asarray(y).astype("float32"))
    cases.append({"name": "rev_" + name, "layer": config(layer), "images": iname, "params": params})


one = images("one", (2, 1, 1, 3))
small = images("small", (1, 7, 9, 2))
tie = images("tie", (2, 8, 6, 1))
wide = images("wide", (2, 6, 9, 2))
pix = images("pix", (2, 5, 4, 3), 255.0)
pix_cf = images("pix_cf", (2, 3, 5, 4), 255.0)
small_cf = images("small_cf", (1, 2, 7, 9))

for name, layer, imgs in [
        ("resize_one_up_bilinear", L.Resizing(3, 4), one),
        ("resize_one_up_nearest", L.Resizing(2, 5, interpolation="nearest"), one),
        ("resize_to_one_bilinear", L.Resizing(1, 1), small),
        ("resize_to_one_nearest", L.Resizing(1, 1, interpolation="nearest"), small),
        ("resize_odd_up_down", L.Resizing(11, 4), small),
        ("resize_odd_down_up", L.Resizing(5, 13), small),
        ("resize_nearest_ties", L.Resizing(4, 3, interpolation="nearest"), tie),
        ("resize_nearest_ties_up", L.Resizing(12, 9, interpolation="nearest"), tie),
        ("resize_crop_equal_aspect", L.Resizing(4, 6, crop_to_aspect_ratio=True), wide),
        ("resize_pad_equal_aspect", L.Resizing(12, 18, pad_to_aspect_ratio=True, fill_value=3.0), wide),
        ("resize_pad_odd", L.Resizing(5, 4, pad_to_aspect_ratio=True, fill_value=-1.5), wide),
        ("resize_crop_one", L.Resizing(2, 3, crop_to_aspect_ratio=True), one),
        ("resize_pad_cf", L.Resizing(6, 3, pad_to_aspect_ratio=True, fill_value=0.5,
                                     data_format="channels_first"), small_cf),
        ("center_crop_other_axis", L.CenterCrop(10, 4), small),
        ("center_crop_one", L.CenterCrop(2, 2), one),
        ("center_crop_equal", L.CenterCrop(7, 9), small)]:
    case(name, layer, imgs, None, {})

# The affine layers on 1x1 images (reflect and wrap of a one-pixel axis) and a batch of one.
deg1 = np.array([33.0, -71.0], "float32")
for fill in ["reflect", "wrap", "nearest", "constant"]:
    layer = L.RandomRotation((-0.3, -0.1), fill_mode=fill, fill_value=0.5)
    m = layer._compute_affine_matrix(center_x=0.5, center_y=0.5, angle=tf.constant(deg1),
                                     translate_x=tf.zeros(2), translate_y=tf.zeros(2), scale=tf.ones(2),
                                     shear_x=tf.zeros(2), shear_y=tf.zeros(2), height=1, width=1)
    case(f"rotation_one_{fill}", layer, one, {"rotation_matrix": m}, {"degrees": deg1.tolist()})
hz = np.array([[0.7]], "float32")
layer = L.RandomZoom(-0.5, fill_mode="constant", fill_value=2.0)  # width_factor None: the height's zoom
case("zoom_in_batch1", layer, small, {"height_zoom": hz, "width_zoom": hz},
     {"height_zoom": hz.ravel().tolist(), "width_zoom": hz.ravel().tolist()})
layer = L.RandomTranslation((-0.2, 0.4), (0.1, -0.3), fill_mode="reflect", interpolation="nearest")
sh = np.array([[-1.5, 2.5]], "float32")  # half-pixel shifts: nearest rounds halves away from zero
case("translation_half_nearest", layer, small, {"translations": sh}, {"dx": [-1.5], "dy": [2.5]})
layer = L.RandomTranslation(0.3, 0.3, fill_mode="wrap", data_format="channels_first")
case("translation_batch1_cf", layer, small_cf, {"translations": sh}, {"dx": [-1.5], "dy": [2.5]})

# Contrast and brightness past value_range: clipped.
cf = np.array([0.1, 1.9], "float32").reshape(2, 1, 1, 1)
case("contrast_unit_range_on_pixels", L.RandomContrast(0.9, value_range=(0, 1)), pix, {"contrast_factor": cf},
     {"factors": cf.ravel().tolist()})
case("contrast_pixels_cf", L.RandomContrast((0.2, 0.9), data_format="channels_first"), pix_cf,
     {"contrast_factor": cf}, {"factors": cf.ravel().tolist()})
bd = np.array([-200.0, 150.0], "float32").reshape(2, 1, 1, 1)
case("brightness_pixels_clipped", L.RandomBrightness((-0.8, 0.6)), pix, {"rgb_delta": bd},
     {"deltas": bd.ravel().tolist()})
case("brightness_pixels_cf", L.RandomBrightness(0.7, data_format="channels_first"), pix_cf, {"rgb_delta": bd},
     {"deltas": bd.ravel().tolist()})
case("crop_cf", L.RandomCrop(3, 2, data_format="channels_first"), pix_cf, (1, 2), {"top": 1, "left": 2})
case("crop_one_axis_smaller", L.RandomCrop(3, 6), pix, None, {"training": True})

with open("revimage-transforms.json", "w") as f:
    json.dump(cases, f, indent=1)

# ---- the input gradient TensorFlow gives through the affine layers ----
# Each layer's factor range holds one value, so that its training call applies a known transform.
grads, ys, gs = [], [], []
gx = rng.random((2, 6, 7, 2)).astype("float32")
gup = rng.standard_normal((2, 6, 7, 2)).astype("float32")
for kind, make in [("rotation", lambda **k: L.RandomRotation((0.0625, 0.0625), **k)),
                   ("zoom", lambda **k: L.RandomZoom((-0.2, -0.2), width_factor=(0.3, 0.3), **k)),
                   ("translation", lambda **k: L.RandomTranslation((0.25, 0.25), (-0.125, -0.125), **k))]:
    for fill in ["reflect", "wrap", "constant", "nearest"]:
        for interp in ["bilinear", "nearest"]:
            layer = make(fill_mode=fill, interpolation=interp, fill_value=0.25)
            xv = tf.Variable(gx)
            with tf.GradientTape() as tape:
                y = layer(xv, training=True)
                s = tf.reduce_sum(y * gup)
            g = tape.gradient(s, xv)
            grads.append({"name": f"{kind}_{fill}_{interp}", "layer": config(layer)})
            ys.append(np.asarray(y))
            gs.append(np.asarray(g))
np.save("rev_grad.x.npy", gx)
np.save("rev_grad.upstream.npy", gup)
np.save("rev_grad.y.npy", np.stack(ys))  # (cases, batch, height, width, channels)
np.save("rev_grad.grad.npy", np.stack(gs))
with open("rev_grad_affine.json", "w") as f:
    json.dump(grads, f, indent=1)

# ---- models ----
models = {}


def add(name, build, x):
    keras.utils.set_random_seed(len(models) + 601)
    models[name] = (build(), x)


def fixed_affine():
    m = keras.Sequential([
        keras.Input((9, 10, 2)),
        L.Conv2D(3, 1),  # before the augmentation: its update carries TensorFlow's gradient through it
        L.RandomRotation((0.08, 0.08)),
        L.RandomZoom((-0.25, -0.25), width_factor=(0.2, 0.2), fill_mode="wrap"),
        L.RandomTranslation((0.15, 0.15), (-0.1, -0.1), fill_mode="constant", fill_value=0.5),
        L.Conv2D(2, 3, activation="tanh"),
        L.GlobalAveragePooling2D(),
        L.Dense(1)])
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return m


def fixed_nested():
    # Augmentation in a nested Sequential inside a functional model, nearest interpolation, channels_first.
    aug = keras.Sequential([L.RandomRotation((-0.12, -0.12), interpolation="nearest", data_format="channels_first"),
                            L.RandomZoom((0.3, 0.3), data_format="channels_first", fill_mode="nearest")],
                           name="augment")
    inp = keras.Input((2, 8, 9))
    h = L.Conv2D(3, 1, data_format="channels_first")(inp)
    h = aug(h)
    h = L.Conv2D(2, 3, activation="tanh", data_format="channels_first")(h)
    out = L.Dense(1)(L.Flatten()(h))
    m = keras.Model(inp, out)
    m.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    return m


add("rev_fixed_affine", fixed_affine, rng.standard_normal((2, 9, 10, 2)).astype("float32"))
add("rev_fixed_nested", fixed_nested, rng.standard_normal((2, 2, 8, 9)).astype("float32"))


def deflated(path):
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path + ".tmp", "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    os.replace(path + ".tmp", path)


with open("manifest-revimage.txt", "w") as mf:
    for name, (m, x) in models.items():
        m.save(name + ".keras")
        deflated(name + ".keras")
        np.save(f"{name}.x0.npy", x)
        np.save(name + ".y.npy", np.asarray(m.predict(x, verbose=0)).astype("float64"))
        fx = rng.standard_normal((6,) + x.shape[1:]).astype("float32")
        fy = np.tanh(fx.mean(axis=(1, 2, 3)))[:, None].astype("float32")
        np.save(f"{name}.fit_x.npy", fx)
        np.save(f"{name}.fit_y.npy", fy)
        np.save(f"{name}.loss.npy", np.array([m.evaluate(fx, fy, batch_size=3, verbose=0)], "float64"))
        m.fit(fx, fy, batch_size=3, epochs=1, shuffle=False, verbose=0)
        np.save(name + ".y_after.npy", np.asarray(m.predict(x, verbose=0)).astype("float64"))
        mf.write(f"{name} 1\n")

# ---- the legacy HDF5 file Keras 3 writes (model.save("....h5")) ----
# RandomBrightness is left out: Keras 3.15.1 cannot write it to .h5 (deep-copying its config fails on
# the layer's backend module: "TypeError: cannot pickle 'module' object").
keras.utils.set_random_seed(701)
legacy = keras.Sequential([
    keras.Input((10, 12, 3)),
    L.Rescaling(1 / 255.0),
    L.RandomFlip("horizontal", seed=3),
    L.RandomRotation((-0.2, 0.1), fill_mode="constant"),
    L.RandomZoom(0.2, width_factor=(-0.1, 0.3), interpolation="nearest"),
    L.RandomTranslation(0.1, (-0.2, 0.1), fill_mode="wrap"),
    L.RandomContrast(0.3, value_range=(0, 1)),
    L.Resizing(8, 9, pad_to_aspect_ratio=True, fill_value=0.5),
    L.CenterCrop(6, 7),
    L.Conv2D(4, 3, activation="relu"),
    L.Flatten(),
    L.Dense(2)])
lx = (rng.random((2, 10, 12, 3)) * 255).astype("float32")
legacy.save("rev_legacy.h5")
np.save("rev_legacy.x0.npy", lx)
np.save("rev_legacy.y.npy", np.asarray(legacy.predict(lx, verbose=0)).astype("float64"))
