package io.rnn4j.kernels.cuda;

import jcuda.driver.CUdeviceptr;

/** A {@link CUdeviceptr} whose raw address can be read: kernels take addresses as 64-bit values. */
final class DevicePointer extends CUdeviceptr {

    /** The device address this pointer holds. */
    long address() {
        return getNativePointer() + getByteOffset();
    }
}
