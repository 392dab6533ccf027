package io.rnn4j.kernels.cuda;

/** A CUDA grid or block size. */
record Dim3(int x, int y, int z) {

    Dim3 {
        if (x < 1 || y < 1 || z < 1) {
            throw new IllegalArgumentException("Dim3: every extent must be >= 1, got (" + x + "," + y + "," + z + ")");
        }
    }

    static Dim3 of(int x) {
        return new Dim3(x, 1, 1);
    }

    static Dim3 of(int x, int y) {
        return new Dim3(x, y, 1);
    }

    long volume() {
        return (long) x * y * z;
    }

    @Override
    public String toString() {
        return "(" + x + "," + y + "," + z + ")";
    }
}
