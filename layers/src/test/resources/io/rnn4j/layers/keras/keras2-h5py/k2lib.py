import h5py, json, numpy as np
def init(cls): return {"class_name": cls, "config": {}}
def rnn_cfg(cls, name, units, **kw):
    c = {"name": name, "trainable": True, "dtype": "float32", "return_sequences": False, "return_state": False,
         "go_backwards": False, "stateful": False, "unroll": False, "units": units, "activation": "tanh",
         "use_bias": True, "kernel_initializer": init("VarianceScaling"), "recurrent_initializer": init("Orthogonal"),
         "bias_initializer": init("Zeros"), "kernel_regularizer": None, "recurrent_regularizer": None,
         "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
         "recurrent_constraint": None, "bias_constraint": None, "dropout": 0.0, "recurrent_dropout": 0.0}
    if cls in ("LSTM", "GRU"):
        c["recurrent_activation"] = "hard_sigmoid"; c["implementation"] = 1
    if cls == "LSTM": c["unit_forget_bias"] = True
    if cls == "GRU": c["reset_after"] = False
    c.update(kw)
    return {"class_name": cls, "config": c}
def write(path, model_config, layer_weights, version="2.2.4"):
    """layer_weights: list of (layer_name, [(weight_name, array)])"""
    f = h5py.File(path, "w")
    f.attrs["keras_version"] = version.encode(); f.attrs["backend"] = b"tensorflow"
    f.attrs["model_config"] = json.dumps(model_config).encode()
    g = f.create_group("model_weights")
    g.attrs["layer_names"] = np.array([n.encode() for n, _ in layer_weights])
    g.attrs["keras_version"] = version.encode(); g.attrs["backend"] = b"tensorflow"
    for n, ws in layer_weights:
        lg = g.create_group(n)
        lg.attrs["weight_names"] = np.array([wn.encode() for wn, _ in ws]) if ws else np.array([], dtype=np.float64)
        for wn, a in ws:
            lg.create_dataset(wn, data=a.astype(np.float32))
    f.close()
hs = lambda x: np.clip(0.2 * x + 0.5, 0, 1)
sig = lambda x: 1/(1+np.exp(-x))
def lstm_step(x, h, c, W, U, b, ra=hs, act=np.tanh):
    u = h.shape[0]; z = x @ W + h @ U + b
    i = ra(z[:u]); f = ra(z[u:2*u]); g = act(z[2*u:3*u]); o = ra(z[3*u:])
    c = f * c + i * g; return o * act(c), c
def gru_step_before(x, h, W, U, b, ra=hs, act=np.tanh):
    u = h.shape[0]
    xz = x @ W + b
    z = ra(xz[:u] + h @ U[:, :u]); r = ra(xz[u:2*u] + h @ U[:, u:2*u])
    hh = act(xz[2*u:] + (r * h) @ U[:, 2*u:])
    return z * h + (1 - z) * hh
def gru_step_after(x, h, W, U, b, ra=sig, act=np.tanh):
    u = h.shape[0]
    xz = x @ W + b[0]; hz = h @ U + b[1]
    z = ra(xz[:u] + hz[:u]); r = ra(xz[u:2*u] + hz[u:2*u]); hh = act(xz[2*u:] + r * hz[2*u:])
    return z * h + (1 - z) * hh
