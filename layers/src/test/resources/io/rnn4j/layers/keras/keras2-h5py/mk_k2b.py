from k2lib import *
import sys
slash = len(sys.argv) > 1
rng = np.random.default_rng(7)
T, F, U = 5, 3, 4
Wf, Rf, Bf = rng.normal(size=(F, U))*.7, rng.normal(size=(U, U))*.7, rng.normal(size=(U,))*.3
Wb, Rb, Bb = rng.normal(size=(F, U))*.7, rng.normal(size=(U, U))*.7, rng.normal(size=(U,))*.3
bn = "enc/bidi" if slash else "bidi"
inner = rnn_cfg("SimpleRNN", "simple_rnn_1", U, return_sequences=True)
cfg = {"class_name": "Model", "config": {"name": "model_1", "layers": [
  {"name": "input_1", "class_name": "InputLayer", "config": {"batch_input_shape": [None, T, F], "dtype": "float32", "sparse": False, "name": "input_1"}, "inbound_nodes": []},
  {"name": bn, "class_name": "Bidirectional", "config": {"name": bn, "trainable": True, "layer": inner, "merge_mode": None}, "inbound_nodes": [[["input_1", 0, 0, {}]]]}],
  "input_layers": [["input_1", 0, 0]], "output_layers": [[bn, 0, 0], [bn, 0, 1]]}}
write("k2b%s.h5" % ("_slash" if slash else ""), cfg, [("input_1", []), (bn, [
  (bn + "/forward_simple_rnn_1/kernel:0", Wf), (bn + "/forward_simple_rnn_1/recurrent_kernel:0", Rf), (bn + "/forward_simple_rnn_1/bias:0", Bf),
  (bn + "/backward_simple_rnn_1/kernel:0", Wb), (bn + "/backward_simple_rnn_1/recurrent_kernel:0", Rb), (bn + "/backward_simple_rnn_1/bias:0", Bb)])])
x = rng.normal(size=(2, T, F)).astype(np.float32); np.save("x_k2b.npy", x)
fw = []; bw = []
for s in range(2):
    h = np.zeros(U); o = []
    for t in range(T): h = np.tanh(x[s, t] @ Wf + h @ Rf + Bf); o.append(h)
    fw.append(o)
    h = np.zeros(U); o = []
    for t in reversed(range(T)): h = np.tanh(x[s, t] @ Wb + h @ Rb + Bb); o.append(h)
    bw.append(o[::-1])   # Keras reverses the backward sequence back to forward time order
np.save("k2b_fw.npy", np.array(fw)); np.save("k2b_bw.npy", np.array(bw))
