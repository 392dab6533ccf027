# The ticket classifier's one-epoch fit of make_api_guides.py again on the JAX backend (run after it, in this folder):
#   KERAS_BACKEND=jax python make_api_guides_jax.py
# On TensorFlow the Embeddings' gradients reach RMSprop as IndexedSlices, one slice per occurrence of a token, which
# its update does not treat as their sum (an embedding weight moved up to 2e-3 away from JAX's after 2 steps); JAX
# and rnn4j take the dense gradient. Written: apig_ticket.jax_after<i>.npy, apig_ticket.jax_history.json.
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np
import keras

assert keras.backend.backend() == "jax"
m = keras.models.load_model("apig_ticket.keras")
L = lambda n: np.load(f"apig_ticket.{n}.npy")  # noqa: E731
h = m.fit({"title": L("title"), "body": L("body"), "tags": L("tags")},
          {"priority": L("priority"), "department": L("department")}, epochs=1, batch_size=4, shuffle=False, verbose=0)
with open("apig_ticket.jax_history.json", "w") as f:
    json.dump({k: [float(v) for v in vs] for k, vs in h.history.items()}, f, indent=1)
for i, w in enumerate(m.weights):
    np.save(f"apig_ticket.jax_after{i}.npy", np.asarray(w, dtype="float32"))
