# Writes the Keras 3.15.1 fixtures of the image preprocessing layers (ImagePreprocessingKerasTest): run
# in this folder with the TensorFlow backend (the transforms are TensorFlow's kernels):
#   KERAS_BACKEND=tensorflow python make_imageprep.py
# 1. imageprep-transforms.json: for each case, a layer config (get_config), the transformation given to
#    Keras's own layer.transform_images(images, transformation, training=True) (Resizing and CenterCrop:
#    their call), and ip_<case>.y.npy, its float32 output for ip_<images>.x.npy.
# 2. Models (NAME.keras, NAME.x0.npy, NAME.y.npy: predict at inference), listed in manifest-imageprep.txt;
#    ip_trained also ip_trained.fit_x/fit_y.npy and ip_trained.y_after.npy, its predictions after one epoch
#    of SGD (its random layers drawn with factor 0, so that Keras's training transforms are the identity).
import json, os, zipfile
import keras, numpy as np, tensorflow as tf
from keras import layers as L

rng = np.random.default_rng(23)
cases = []


def images(name, shape, scale=1.0):
    x = (rng.random(shape) * scale).astype("float32")
    np.save(f"ip_{name}.x.npy", x)
    return name, x


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
    np.save(f"ip_{name}.y.npy", np.asarray(y).astype("float32"))  # TensorFlow's float32 output, exactly
    cases.append({"name": name, "layer": config(layer), "images": iname, "params": params})


small = images("small", (3, 7, 9, 2), 1.0)
small_cf = images("small_cf", (3, 2, 7, 9), 1.0)
pixels = images("pixels", (3, 6, 5, 3), 255.0)
wide = images("wide", (2, 6, 11, 2), 1.0)

# Rotation: every fill mode and both interpolations, angles past a quarter turn.
degrees = np.array([17.3, -41.0, 123.7], "float32")
for fill in ["reflect", "wrap", "constant", "nearest"]:
    for interp in ["bilinear", "nearest"]:
        layer = L.RandomRotation(0.4, fill_mode=fill, interpolation=interp, fill_value=0.25, seed=5)
        m = layer._compute_affine_matrix(center_x=0.5, center_y=0.5, angle=tf.constant(degrees),
                                         translate_x=tf.zeros(3), translate_y=tf.zeros(3), scale=tf.ones(3),
                                         shear_x=tf.zeros(3), shear_y=tf.zeros(3), height=7, width=9)
        case(f"rotation_{fill}_{interp}", layer, small, {"rotation_matrix": m}, {"degrees": degrees.tolist()})
layer = L.RandomRotation((-0.2, 0.3), data_format="channels_first", fill_mode="constant")
m = layer._compute_affine_matrix(center_x=0.5, center_y=0.5, angle=tf.constant(degrees), translate_x=tf.zeros(3),
                                 translate_y=tf.zeros(3), scale=tf.ones(3), shear_x=tf.zeros(3),
                                 shear_y=tf.zeros(3), height=7, width=9)
case("rotation_cf", layer, small_cf, {"rotation_matrix": m}, {"degrees": degrees.tolist()})

# Zoom in and out, aspect kept or not.
hz = np.array([[0.6], [1.3], [1.9]], "float32")
wz = np.array([[0.8], [1.5], [0.7]], "float32")
for fill in ["reflect", "wrap", "constant", "nearest"]:
    layer = L.RandomZoom((-0.5, 0.9), width_factor=0.5, fill_mode=fill, fill_value=-1.0)
    case(f"zoom_{fill}", layer, small, {"height_zoom": hz, "width_zoom": wz},
         {"height_zoom": hz.ravel().tolist(), "width_zoom": wz.ravel().tolist()})
layer = L.RandomZoom(0.3, interpolation="nearest", data_format="channels_first")
case("zoom_nearest_cf", layer, small_cf, {"height_zoom": hz, "width_zoom": wz},
     {"height_zoom": hz.ravel().tolist(), "width_zoom": wz.ravel().tolist()})

# Translation by more than an image (reflect and wrap past one period), fractions of a pixel.
shifts = np.array([[2.3, -1.7], [-4.6, 3.2], [10.5, -8.9]], "float32")  # (dx, dy) per image
for fill in ["reflect", "wrap", "constant", "nearest"]:
    for interp in ["bilinear", "nearest"]:
        layer = L.RandomTranslation(0.2, (-0.1, 0.3), fill_mode=fill, interpolation=interp, fill_value=0.5)
        case(f"translation_{fill}_{interp}", layer, small, {"translations": shifts},
             {"dx": shifts[:, 0].tolist(), "dy": shifts[:, 1].tolist()})
layer = L.RandomTranslation(0.2, 0.2, data_format="channels_first")
case("translation_cf", layer, small_cf, {"translations": shifts},
     {"dx": shifts[:, 0].tolist(), "dy": shifts[:, 1].tolist()})

# Flips: each mode, some images flipped.
flips = np.array([True, False, True]).reshape(3, 1, 1, 1)
for mode in ["horizontal", "vertical", "horizontal_and_vertical"]:
    case(f"flip_{mode}", L.RandomFlip(mode, seed=3), small, {"flips": flips, "input_shape": (3, 7, 9, 2)},
         {"flips": flips.ravel().tolist()})
case("flip_cf", L.RandomFlip("horizontal", data_format="channels_first"), small_cf,
     {"flips": flips, "input_shape": (3, 2, 7, 9)}, {"flips": flips.ravel().tolist()})

# Contrast and brightness on pixel values, clipped to value_range.
cf = np.array([0.5, 1.2, 1.9], "float32").reshape(3, 1, 1, 1)
case("contrast", L.RandomContrast(0.9, seed=2), pixels, {"contrast_factor": cf}, {"factors": cf.ravel().tolist()})
case("contrast_range", L.RandomContrast((0.1, 0.6), value_range=(20, 200)), pixels, {"contrast_factor": cf},
     {"factors": cf.ravel().tolist()})
case("contrast_cf", L.RandomContrast(0.5, data_format="channels_first"), images("pixels_cf", (3, 3, 6, 5), 255.0),
     {"contrast_factor": cf}, {"factors": cf.ravel().tolist()})
bd = np.array([-30.0, 12.5, 60.0], "float32").reshape(3, 1, 1, 1)
case("brightness", L.RandomBrightness(0.3, value_range=(255, 10)), pixels, {"rgb_delta": bd},
     {"deltas": bd.ravel().tolist()})

# RandomCrop's training path at a given corner.
case("crop", L.RandomCrop(4, 5, seed=9), small, (2, 3), {"top": 2, "left": 3})

# Resizing and CenterCrop: their call.
for name, layer, imgs in [
        ("resize_up_bilinear", L.Resizing(10, 13), small),
        ("resize_down_bilinear", L.Resizing(4, 5), small),
        ("resize_mixed_nearest", L.Resizing(12, 4, interpolation="nearest"), small),
        ("resize_down_nearest", L.Resizing(3, 7, interpolation="nearest"), small),
        ("resize_crop_aspect", L.Resizing(5, 5, crop_to_aspect_ratio=True), wide),
        ("resize_crop_aspect_tall", L.Resizing(8, 3, crop_to_aspect_ratio=True), small),
        ("resize_pad_aspect", L.Resizing(6, 6, pad_to_aspect_ratio=True, fill_value=0.75), wide),
        ("resize_pad_aspect_wide", L.Resizing(4, 12, pad_to_aspect_ratio=True, fill_value=-2.0), small),
        ("resize_cf", L.Resizing(5, 11, data_format="channels_first"), small_cf),
        ("center_crop", L.CenterCrop(4, 6), small),
        ("center_crop_odd", L.CenterCrop(6, 2), small),
        ("center_crop_smaller", L.CenterCrop(9, 12), small),
        ("center_crop_one_axis", L.CenterCrop(5, 10), small),
        ("center_crop_cf", L.CenterCrop(3, 8, data_format="channels_first"), small_cf)]:
    case(name, layer, imgs, None, {})
# RandomCrop's training path on images not larger on both axes: centre crop to aspect, then resize.
layer = L.RandomCrop(9, 6)
case("crop_smaller", layer, small, layer.get_random_transformation(small[1], training=True), {"training": True})

with open("imageprep-transforms.json", "w") as f:
    json.dump(cases, f, indent=1)

# ---- models ----
models = {}


def add(name, build, x):
    keras.utils.set_random_seed(len(models) + 501)
    models[name] = (build(), x)


add("ip_augment", lambda: keras.Sequential([
    keras.Input((10, 12, 3)),
    L.Rescaling(1 / 255.0),
    L.RandomFlip("horizontal"),
    L.RandomRotation(0.1),
    L.RandomZoom(0.2, fill_mode="constant"),
    L.RandomTranslation(0.1, 0.1, fill_mode="wrap", interpolation="nearest"),
    L.RandomContrast(0.3, value_range=(0, 1)),
    L.RandomBrightness(0.2, value_range=(0, 1)),
    L.Resizing(8, 9),
    L.CenterCrop(6, 7),
    L.Conv2D(4, 3, activation="relu"),
    L.Flatten(),
    L.Dense(2)]), (rng.random((2, 10, 12, 3)) * 255).astype("float32"))
add("ip_channels_first", lambda: keras.Sequential([
    keras.Input((3, 9, 8)),
    L.RandomFlip(data_format="channels_first", seed=4),
    L.RandomRotation(0.2, data_format="channels_first"),
    L.Resizing(6, 6, interpolation="nearest", data_format="channels_first"),
    L.CenterCrop(4, 5, data_format="channels_first"),
    L.Conv2D(2, 2, data_format="channels_first"),
    L.Flatten(),
    L.Dense(1)]), rng.random((2, 3, 9, 8)).astype("float32"))
# Augmentation per frame inside TimeDistributed before a recurrent layer, as video tutorials do.
add("ip_frames", lambda: keras.Sequential([
    keras.Input((4, 8, 8, 1)),
    L.TimeDistributed(L.RandomFlip("horizontal")),
    L.TimeDistributed(L.Resizing(5, 5)),
    L.TimeDistributed(L.RandomRotation(0.05)),
    L.TimeDistributed(L.Flatten()),
    L.LSTM(3)]), rng.random((2, 4, 8, 8, 1)).astype("float32"))


def trained():
    m = keras.Sequential([
        keras.Input((9, 11, 2)),
        L.Conv2D(3, 1),  # before the augmentation: its gradient flows through every layer below
        L.Resizing(8, 8),
        L.RandomRotation(0.0),
        L.RandomZoom(0.0),
        L.RandomTranslation(0.0, 0.0),
        L.RandomContrast(0.0, value_range=(-10, 10)),
        L.RandomBrightness(0.0, value_range=(-10, 10)),
        L.CenterCrop(6, 6),
        L.Conv2D(2, 3, activation="tanh"),
        L.GlobalAveragePooling2D(),
        L.Dense(1)])
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return m


add("ip_trained", trained, rng.standard_normal((2, 9, 11, 2)).astype("float32"))



def deflated(path):
    # Keras stores its archive's entries uncompressed; deflating them keeps these fixtures small (Keras and
    # rnn4j read either), the entries themselves unchanged.
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path + ".tmp", "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    os.replace(path + ".tmp", path)


with open("manifest-imageprep.txt", "w") as mf:
    for name, (m, x) in models.items():
        m.save(name + ".keras")
        deflated(name + ".keras")
        assert np.allclose(keras.saving.load_model(name + ".keras").predict(x, verbose=0), m.predict(x, verbose=0))
        np.save(f"{name}.x0.npy", x)
        np.save(name + ".y.npy", np.asarray(m.predict(x, verbose=0)).astype("float64"))
        mf.write(f"{name} 1\n")

m, xt = models["ip_trained"]
fx = rng.standard_normal((8, 9, 11, 2)).astype("float32")
fy = np.tanh(fx.mean(axis=(1, 2, 3)))[:, None].astype("float32")
np.save("ip_trained.fit_x.npy", fx)
np.save("ip_trained.fit_y.npy", fy)
m.fit(fx, fy, batch_size=4, epochs=1, shuffle=False, verbose=0)
np.save("ip_trained.y_after.npy", np.asarray(m.predict(xt, verbose=0)).astype("float64"))
