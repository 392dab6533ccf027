package io.rnn4j.kernels.cuda;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUstream;

/**
 * Page-locked host memory through which host arrays travel to and from the device (the DMA engine
 * copies pinned memory directly, asynchronously). A write returns once the data is staged; an event
 * marks when the staging buffer may be overwritten. A read waits for the stream: it is where the
 * host synchronises. Transfers larger than the buffer go in chunks.
 */
final class PinnedStaging implements AutoCloseable {
    static final int CHUNK_FLOATS = 1 << 20;

    private final CUstream stream;
    private final CUevent copied = new CUevent();
    private Pointer host;
    private FloatBuffer floats;
    private int capacity;
    private boolean pending;

    PinnedStaging(CUstream stream) {
        this.stream = stream;
        cuEventCreate(copied, CUevent_flags.CU_EVENT_DISABLE_TIMING);
    }

    private void ensure(int floatsNeeded) {
        int want = Math.min(Math.max(floatsNeeded, 1024), CHUNK_FLOATS);
        if (want <= capacity) {
            return;
        }
        waitForCopy();
        if (host != null) {
            cuMemFreeHost(host);
        }
        int size = Math.max(want, Math.min(capacity * 2, CHUNK_FLOATS));
        host = new Pointer();
        cuMemAllocHost(host, (long) size * Float.BYTES);
        floats = host.getByteBuffer(0, (long) size * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        capacity = size;
    }

    private void waitForCopy() {
        if (pending) {
            cuEventSynchronize(copied);
            pending = false;
        }
    }

    /** Queues host → device; returns once {@code src} has been staged (the copy may still run). */
    void write(float[] src, int srcOffset, CUdeviceptr dst, int length) {
        ensure(length);
        for (int done = 0; done < length; ) {
            int n = Math.min(capacity, length - done);
            waitForCopy();
            floats.put(0, src, srcOffset + done, n);
            cuMemcpyHtoDAsync(dst.withByteOffset((long) done * Float.BYTES), host, (long) n * Float.BYTES, stream);
            cuEventRecord(copied, stream);
            pending = true;
            done += n;
        }
    }

    /** Device → host, after everything queued before it: the host waits here. */
    void read(CUdeviceptr src, float[] dst, int dstOffset, int length) {
        ensure(length);
        for (int done = 0; done < length; ) {
            int n = Math.min(capacity, length - done);
            cuMemcpyDtoHAsync(host, src.withByteOffset((long) done * Float.BYTES), (long) n * Float.BYTES, stream);
            cuStreamSynchronize(stream);
            pending = false;
            floats.get(0, dst, dstOffset + done, n);
            done += n;
        }
    }

    @Override
    public void close() {
        waitForCopy();
        if (host != null) {
            cuMemFreeHost(host);
            host = null;
        }
        cuEventDestroy(copied);
    }
}
