package io.rnn4j.kernels.cuda;

import io.rnn4j.engine.Tensor;
import jcuda.driver.CUdeviceptr;

/** Where a tensor of this backend lives on the device. */
final class Tensors {
    private Tensors() {
    }

    static CudaStorage storage(Tensor t) {
        return (CudaStorage) t.storage();
    }

    /** The device address of the tensor's first element; 0 for null (a null pointer in a kernel). */
    static long address(Tensor t) {
        return t == null ? 0L : storage(t).address(t.offset());
    }

    /** A driver pointer to the tensor's first element. */
    static CUdeviceptr pointer(Tensor t) {
        return storage(t).pointer(t.offset());
    }
}
