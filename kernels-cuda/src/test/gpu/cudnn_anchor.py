"""Times PyTorch's cuDNN LSTM/GRU/RNN on the fixed cases, with the weights and inputs CudaCaseTimer
wrote, and prints them beside rnn4j's times (the anchor of gpu-check.sh).

Usage: python3 cudnn_anchor.py <folder with cases.tsv, <case>.bin and rnn4j-times.tsv>

fp32 throughout: TF32 is switched off for cuDNN and matmuls, as rnn4j computes in full fp32.
Each time is the median over 7 rounds of the mean of back-to-back calls ended by a synchronize.
"""
import os
import statistics
import sys
import time

import numpy as np
import torch

folder = sys.argv[1] if len(sys.argv) > 1 else "gpu-check-out"
torch.backends.cudnn.allow_tf32 = False
torch.backends.cuda.matmul.allow_tf32 = False
dev = torch.device("cuda")


def keras_to_torch_gates(m, cell, h):
    """Keras gate blocks along the last axis -> torch's order (GRU: z,r,h -> r,z,n)."""
    if cell == "GRU":
        return np.concatenate([m[..., h:2 * h], m[..., 0:h], m[..., 2 * h:3 * h]], axis=-1)
    return m  # LSTM i,f,c,o == torch i,f,g,o; SimpleRNN has one block


def build(case):
    cell, b, t, d, h = case["cell"], case["batch"], case["steps"], case["input"], case["units"]
    g = {"SIMPLE": 1, "LSTM": 4, "GRU": 3}[cell]
    raw = np.fromfile(os.path.join(folder, case["case"] + ".bin"), dtype="<f4")
    nb = 2 * g * h if cell == "GRU" else g * h
    w, raw = raw[:d * g * h].reshape(d, g * h), raw[d * g * h:]
    u, raw = raw[:h * g * h].reshape(h, g * h), raw[h * g * h:]
    bias, raw = raw[:nb], raw[nb:]
    x = raw.reshape(b, t, d)
    cls = {"SIMPLE": torch.nn.RNN, "LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU}[cell]
    net = cls(input_size=d, hidden_size=h, batch_first=True).to(dev)
    with torch.no_grad():
        net.weight_ih_l0.copy_(torch.from_numpy(keras_to_torch_gates(w, cell, h).T.copy()))
        net.weight_hh_l0.copy_(torch.from_numpy(keras_to_torch_gates(u, cell, h).T.copy()))
        if cell == "GRU":
            net.bias_ih_l0.copy_(torch.from_numpy(keras_to_torch_gates(bias[:g * h], cell, h).copy()))
            net.bias_hh_l0.copy_(torch.from_numpy(keras_to_torch_gates(bias[g * h:], cell, h).copy()))
        else:
            net.bias_ih_l0.copy_(torch.from_numpy(bias.copy()))
            net.bias_hh_l0.zero_()
    return net, torch.from_numpy(x.copy()).to(dev)


def median_us(fn):
    for _ in range(20):
        fn()
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    n = 0
    while time.perf_counter() - t0 < 0.05:
        fn()
        n += 1
    torch.cuda.synchronize()
    per = (time.perf_counter() - t0) / n
    calls = int(max(5, min(20000, 0.1 / per)))
    rounds = []
    for _ in range(7):
        s = time.perf_counter()
        for _ in range(calls):
            fn()
        torch.cuda.synchronize()
        rounds.append((time.perf_counter() - s) / calls * 1e6)
    return statistics.median(rounds)


def read_tsv(name):
    with open(os.path.join(folder, name)) as f:
        lines = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    return lines


header, *rows = read_tsv("cases.tsv")
cases = []
for r in rows:
    c = dict(zip(header, r))
    for k in ("batch", "steps", "input", "units"):
        c[k] = int(c[k])
    c["training"] = c["training"] == "true"
    cases.append(c)

rnn4j = {}
for r in read_tsv("rnn4j-times.tsv"):
    rnn4j.setdefault(r[0], []).append((r[1], float(r[2]), r[3]))

print("device:", torch.cuda.get_device_name(0), "| torch", torch.__version__, "| cuDNN",
      torch.backends.cudnn.version(), "| fp32 (TF32 off)")
print(f"{'case':<5} {'what':<36} {'cuDNN us':>10} {'rnn4j us':>10} {'path':<11} {'rnn4j/cuDNN':>11}  check")
for c in cases:
    net, x = build(c)
    with torch.no_grad():
        out, _ = net(x)
        s = out.double().sum().item()
        last = out[:, -1, :].double().sum().item()
    exp = float(c["sum"])
    ok = abs(s - exp) <= 1e-4 * abs(exp) + 1e-3
    check = f"torch sum {s:.6g} lastH {last:.6g} {'ok' if ok else 'MISMATCH (expected %s)' % c['sum']}"
    if c["training"]:
        xg = x.clone().requires_grad_(True)

        def step():
            net.zero_grad(set_to_none=True)
            xg.grad = None
            o, _ = net(xg)
            o.sum().backward()
        what = "forward+backward"
        us = median_us(step)
    else:
        def fwd():
            with torch.no_grad():
                net(x)
        what = "forward"
        us = median_us(fwd)
    what = f"{c['cell']} B{c['batch']} T{c['steps']} H{c['units']} {what}"
    for path, ours, _ in rnn4j.get(c["case"], [("-", float("nan"), "")]):
        print(f"{c['case']:<5} {what:<36} {us:10.1f} {ours:10.1f} {path:<11} {ours / us:11.2f}  {check}")
for path, ours, note in rnn4j.get("sgemm", []):
    print(f"sgemm {path:<36} {'':>10} {ours:10.1f} {'':<11} {'':>11}  {note}")
