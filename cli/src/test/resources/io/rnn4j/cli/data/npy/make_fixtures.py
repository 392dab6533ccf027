# Writes the .npy fixtures of NpyTest with NumPy itself (run: python3 make_fixtures.py; NumPy 2.4.6 wrote
# the committed files). Each array's values are listed in NpyTest, so the test checks them independently.
import numpy as np
from numpy.lib import format as fmt

np.save("f4_2x3.npy", np.array([[1.5, -2.0, 3.25], [0.0, 1e-8, -7.0]], dtype="<f4"))
np.save("f8_fortran_2x3x2.npy", np.asfortranarray(np.arange(12, dtype="<f8").reshape(2, 3, 2) / 4))
np.save("i4_big_endian_3.npy", np.array([1, -2, 300000], dtype=">i4"))
np.save("u1_scalar.npy", np.array(200, dtype="|u1"))
np.save("b1_2x2.npy", np.array([[True, False], [False, True]]))
np.save("f2_4.npy", np.array([0.5, -1.0, 65504.0, 0.099975586], dtype="<f2"))
np.save("i8_empty_0x3.npy", np.zeros((0, 3), dtype="<i8"))
with open("f4_v2_2.npy", "wb") as f:
    fmt.write_array(f, np.array([1.0, 2.0], dtype="<f4"), version=(2, 0))
with open("f4_v3_2.npy", "wb") as f:
    fmt.write_array(f, np.array([3.0, 4.0], dtype="<f4"), version=(3, 0))
np.save("c8_complex.npy", np.array([1 + 2j], dtype="<c8"))
np.save("structured.npy", np.zeros(2, dtype=[("a", "<f4"), ("b", "<i4")]))
np.save("object.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
