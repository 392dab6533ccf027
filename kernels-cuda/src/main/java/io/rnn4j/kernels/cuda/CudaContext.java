package io.rnn4j.kernels.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuFuncSetAttribute;
import static jcuda.driver.JCudaDriver.cuGraphDestroy;
import static jcuda.driver.JCudaDriver.cuGraphExecDestroy;
import static jcuda.driver.JCudaDriver.cuGraphInstantiate;
import static jcuda.driver.JCudaDriver.cuGraphLaunch;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD32Async;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuStreamBeginCapture;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamEndCapture;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import jcuda.CudaException;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.CUstreamCaptureMode;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

/**
 * One backend's hold on a GPU: the device's primary context, the kernels' module, one stream, the
 * caching allocator and the pinned staging buffer; {@link #close} releases them in reverse. Every
 * CUDA call throws {@link CudaException} on failure (exceptions are enabled once, here); a failed
 * launch names the kernel and its grid.
 *
 * <p>Not thread-safe by itself: {@link CudaBackend} serialises its ops.
 */
final class CudaContext implements AutoCloseable {
    final int ordinal;
    final String deviceName;
    final int computeCapability;
    final int multiprocessors;
    /** Shared memory a block may opt in to (227 KiB on Hopper). */
    final int maxSharedOptIn;
    /** The peak SM clock in kHz (for the fp32 peak: SMs × 128 FMA lanes × 2 × clock on sm_80/sm_90). */
    final int clockKHz;

    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final CUmodule module = new CUmodule();
    private final Map<Kernel, CUfunction> functions = new EnumMap<>(Kernel.class);
    private final Map<Kernel, Integer> sharedOptIn = new EnumMap<>(Kernel.class);
    final DeviceAllocator allocator = new DeviceAllocator();
    final PinnedStaging staging;
    private final KernelArgs args = new KernelArgs();
    private String lastLaunch = "none";
    private boolean closed;
    /** While a graph is being captured: the scratch memory its kernels use (the graph keeps it). */
    private List<CudaStorage> captured;

    CudaContext(int ordinal) {
        JCudaDriver.setExceptionsEnabled(true);
        cuInit(0);
        int[] count = {0};
        cuDeviceGetCount(count);
        if (ordinal < 0 || ordinal >= count[0]) {
            throw new IllegalArgumentException("cuda: device cuda:" + ordinal + " does not exist; this machine has "
                    + count[0] + " CUDA device(s)");
        }
        this.ordinal = ordinal;
        cuDeviceGet(device, ordinal);
        this.deviceName = CudaProbe.deviceName(device);
        this.computeCapability = CudaProbe.computeCapability(device);
        this.multiprocessors = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        this.maxSharedOptIn = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN);
        this.clockKHz = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_CLOCK_RATE);
        cuDevicePrimaryCtxRetain(context, device);
        cuCtxSetCurrent(context);
        cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING);
        cuModuleLoadData(module, Fatbin.bytes());
        this.staging = new PinnedStaging(stream);
    }

    private int attribute(int attribute) {
        int[] v = {0};
        cuDeviceGetAttribute(v, attribute, device);
        return v[0];
    }

    /** Makes this context current on the calling thread (cheap; every op calls it first). */
    void makeCurrent() {
        if (closed) {
            throw new IllegalStateException("the CUDA backend for cuda:" + ordinal + " is closed");
        }
        cuCtxSetCurrent(context);
    }

    /** Whether the module holds {@code kernel} for this device (the sm_90 kernels are absent on sm_80). */
    boolean has(Kernel kernel) {
        if (computeCapability < kernel.minComputeCapability()) {
            return false;
        }
        try {
            function(kernel);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private CUfunction function(Kernel kernel) {
        CUfunction f = functions.get(kernel);
        if (f == null) {
            f = new CUfunction();
            try {
                cuModuleGetFunction(f, module, kernel.symbol());
            } catch (CudaException e) {
                throw new IllegalStateException("CUDA kernel " + kernel.symbol() + " is not in the module for "
                        + deviceName + " (compute capability " + computeCapability + "): " + e.getMessage(), e);
            }
            functions.put(kernel, f);
        }
        return f;
    }

    /** A fresh parameter list for the next {@link #launch}. */
    KernelArgs args() {
        return args.reset();
    }

    /**
     * Queues {@code kernel} on the stream.
     *
     * @param grid        blocks
     * @param block       threads per block
     * @param sharedBytes dynamic shared memory per block (above 48 KiB the kernel is opted in once)
     * @param params      from {@link #args()}
     */
    void launch(Kernel kernel, Dim3 grid, Dim3 block, int sharedBytes, KernelArgs params) {
        String what = kernel.symbol() + " grid " + grid + " block " + block + " shared " + sharedBytes + " B";
        try {
            CUfunction f = function(kernel);
            if (sharedBytes > 48 * 1024 && sharedOptIn.getOrDefault(kernel, 0) < sharedBytes) {
                cuFuncSetAttribute(f, CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                        sharedBytes);
                sharedOptIn.put(kernel, sharedBytes);
            }
            cuLaunchKernel(f, grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(), sharedBytes, stream,
                    params.params(), null);
            lastLaunch = what;
        } catch (CudaException e) {
            throw new IllegalStateException("CUDA launch failed: " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Uninitialised device memory for an op's intermediates; closing it returns it to the cache.
     * During a graph capture the memory is kept for the graph instead ({@link #endCapture}).
     */
    CudaStorage scratch(long floats) {
        CudaStorage s = new CudaStorage(allocator, floats);
        if (captured != null) {
            s.retain();
            captured.add(s);
        }
        return s;
    }

    /**
     * Starts recording the stream's work into a graph instead of running it (relaxed mode: the
     * caching allocator may still call cuMemAlloc meanwhile). Everything queued until
     * {@link #endCapture} must go through this context.
     */
    void beginCapture() {
        if (captured != null) {
            throw new IllegalStateException("a CUDA graph capture is already under way");
        }
        cuStreamBeginCapture(stream, CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_RELAXED);
        captured = new ArrayList<>();
    }

    /** A captured graph, instantiated, and the scratch memory it refers to. */
    record Graph(CUgraphExec exec, List<CudaStorage> memory) {
    }

    /**
     * Ends the capture. With {@code keep}, instantiates the graph; otherwise (the capture failed)
     * discards it and returns null. Either way the capture state is left behind.
     */
    Graph endCapture(boolean keep) {
        List<CudaStorage> memory = captured;
        captured = null;
        CUgraph graph = new CUgraph();
        try {
            cuStreamEndCapture(stream, graph);
        } catch (CudaException e) {
            memory.forEach(CudaStorage::releaseRetained);
            if (keep) {
                throw new IllegalStateException("CUDA graph capture failed: " + e.getMessage(), e);
            }
            return null;
        }
        try {
            if (!keep) {
                memory.forEach(CudaStorage::releaseRetained);
                return null;
            }
            CUgraphExec exec = new CUgraphExec();
            try {
                cuGraphInstantiate(exec, graph, 0);
            } catch (CudaException e) {
                memory.forEach(CudaStorage::releaseRetained);
                throw new IllegalStateException("CUDA graph instantiation failed: " + e.getMessage(), e);
            }
            return new Graph(exec, memory);
        } finally {
            cuGraphDestroy(graph);
        }
    }

    /** Queues a captured graph on the stream. */
    void launch(Graph graph) {
        try {
            cuGraphLaunch(graph.exec(), stream);
            lastLaunch = "CUDA graph";
        } catch (CudaException e) {
            throw new IllegalStateException("CUDA graph launch failed: " + e.getMessage(), e);
        }
    }

    /** Frees a graph once the stream has finished with it, and gives its memory back. */
    void destroy(Graph graph) {
        synchronize();
        cuGraphExecDestroy(graph.exec());
        graph.memory().forEach(CudaStorage::releaseRetained);
    }

    /**
     * Device time per call of {@code calls} back-to-back runs of {@code body}, in microseconds,
     * between two CUDA events on the stream (for timing kernels apart from the host's launch cost).
     */
    double deviceMicros(Runnable body, int calls) {
        CUevent start = new CUevent();
        CUevent stop = new CUevent();
        cuEventCreate(start, 0);
        cuEventCreate(stop, 0);
        try {
            cuEventRecord(start, stream);
            for (int i = 0; i < calls; i++) {
                body.run();
            }
            cuEventRecord(stop, stream);
            cuEventSynchronize(stop);
            float[] ms = {0f};
            cuEventElapsedTime(ms, start, stop);
            return ms[0] * 1e3 / calls;
        } finally {
            cuEventDestroy(start);
            cuEventDestroy(stop);
        }
    }

    /** Device → device copy of {@code floats} floats, queued. */
    void copy(CUdeviceptr src, CUdeviceptr dst, long floats) {
        if (floats > 0) {
            cuMemcpyDtoDAsync(dst, src, floats * Float.BYTES, stream);
        }
    }

    /** Sets {@code floats} floats to {@code value}, queued. */
    void fill(CUdeviceptr dst, long floats, float value) {
        if (floats > 0) {
            cuMemsetD32Async(dst, Float.floatToRawIntBits(value), floats, stream);
        }
    }

    /** Waits for everything queued; an error of an earlier kernel surfaces here, named. */
    void synchronize() {
        try {
            cuStreamSynchronize(stream);
        } catch (CudaException e) {
            throw new IllegalStateException("CUDA error while waiting for the stream (last launch: " + lastLaunch
                    + "): " + e.getMessage(), e);
        }
    }

    /** Host → device through pinned memory; returns once the data is staged. */
    void write(float[] src, int srcOffset, CUdeviceptr dst, int length) {
        staging.write(src, srcOffset, dst, length);
    }

    /** Device → host: waits for the stream (an error of an earlier kernel surfaces here, named). */
    void read(CUdeviceptr src, float[] dst, int dstOffset, int length) {
        try {
            staging.read(src, dst, dstOffset, length);
        } catch (CudaException e) {
            throw new IllegalStateException("CUDA error reading device memory (last launch: " + lastLaunch + "): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        cuCtxSetCurrent(context);
        try {
            cuStreamSynchronize(stream);
        } finally {
            closed = true;
            staging.close();
            allocator.close();
            cuModuleUnload(module);
            cuStreamDestroy(stream);
            cuCtxSetCurrent(new CUcontext());
            cuDevicePrimaryCtxRelease(device);
        }
    }
}
