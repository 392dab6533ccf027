package io.rnn4j.kernels.cuda;

import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import jcuda.CudaException;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

/**
 * Whether CUDA can run here: JCuda's natives load, the driver initialises, a device exists with
 * compute capability 8.0 or newer, and the shipped kernels load on it. Loaded only from inside
 * {@link CudaProvider#probe()}'s try, so a missing driver is a reason, not a crash.
 */
final class CudaProbe {
    /** The oldest GPUs the fatbin has code for (sm_80). */
    static final int MIN_COMPUTE_CAPABILITY = 80;

    private CudaProbe() {
    }

    // Probed once: a failed native load cannot be retried (the JVM then only reports "Could not
    // initialize class"), and the answer does not change while the process runs.
    private static final class Once {
        static final String REASON = probe();
    }

    /** {@code null} when CUDA device 0 can run rnn4j's kernels, else a one-line reason. */
    static String unavailableReason() {
        return Once.REASON;
    }

    private static String probe() {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            cuInit(0);
            int[] count = {0};
            cuDeviceGetCount(count);
            if (count[0] == 0) {
                return "no CUDA device: the driver reports none";
            }
            CUdevice device = new CUdevice();
            cuDeviceGet(device, 0);
            int cc = computeCapability(device);
            if (cc < MIN_COMPUTE_CAPABILITY) {
                return "CUDA device 0 (" + deviceName(device) + ") has compute capability " + cc / 10 + "." + cc % 10
                        + "; rnn4j's kernels need 8.0 or newer";
            }
            return moduleLoadFailure(device);
        } catch (UnsatisfiedLinkError e) {
            return "no CUDA driver: " + linkFailure(e.getMessage())
                    + " (install the NVIDIA driver so that libcuda.so.1 can be loaded)";
        } catch (CudaException e) {
            String m = oneLine(e.getMessage());
            if (m.contains("CUDA_ERROR_NO_DEVICE")) {
                return "no CUDA device: " + m;
            }
            return "CUDA unavailable: " + m;
        }
    }

    /** Loads the fatbin once in the primary context: null if it loads, else why not. */
    private static String moduleLoadFailure(CUdevice device) {
        byte[] image = Fatbin.bytes();
        CUcontext context = new CUcontext();
        cuDevicePrimaryCtxRetain(context, device);
        try {
            cuCtxSetCurrent(context);
            CUmodule module = new CUmodule();
            try {
                cuModuleLoadData(module, image);
            } catch (CudaException e) {
                return "rnn4j's CUDA kernels do not load on " + deviceName(device) + ": " + oneLine(e.getMessage())
                        + " (PTX from nvcc 13 needs driver 580 or newer)";
            }
            cuModuleUnload(module);
            return null;
        } finally {
            cuCtxSetCurrent(new CUcontext());
            cuDevicePrimaryCtxRelease(device);
        }
    }

    /**
     * The line of JCuda's (multi-line) load error that names the missing driver library, e.g.
     * "libcuda.so.1: cannot open shared object file: No such file or directory"; else its first line.
     */
    static String linkFailure(String message) {
        if (message != null) {
            for (String line : message.split("\n")) {
                int at = line.indexOf("libcuda");
                if (at >= 0) {
                    return oneLine(line.substring(at));
                }
            }
        }
        return oneLine(message);
    }

    static int computeCapability(CUdevice device) {
        int[] major = {0};
        int[] minor = {0};
        cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
        cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
        return major[0] * 10 + minor[0];
    }

    static String deviceName(CUdevice device) {
        byte[] name = new byte[256];
        cuDeviceGetName(name, name.length, device);
        int len = 0;
        while (len < name.length && name[len] != 0) {
            len++;
        }
        return new String(name, 0, len, java.nio.charset.StandardCharsets.UTF_8);
    }

    static String oneLine(String message) {
        return CudaProvider.oneLine(message);
    }
}
