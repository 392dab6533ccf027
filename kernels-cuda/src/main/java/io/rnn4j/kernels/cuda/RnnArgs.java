package io.rnn4j.kernels.cuda;

import io.rnn4j.engine.RnnSpec;

/**
 * The by-value argument structs of the sequence kernels ({@code RnnFwdArgs}, {@code RnnBwdArgs},
 * {@code RnnPersistArgs} in {@code rnn_cells.cuh} / {@code rnn_persistent.cu}), field for field in
 * declaration order. Every field is 8 bytes: a device address (0 = null) or a 64-bit integer.
 */
final class RnnArgs {
    /** Fields of RnnFwdArgs. */
    static final int FORWARD_FIELDS = 20;
    /** Fields of RnnBwdArgs. */
    static final int BACKWARD_FIELDS = 21;
    /** Fields of RnnPersistArgs (an RnnFwdArgs, then six more). */
    static final int PERSISTENT_FIELDS = FORWARD_FIELDS + 6;

    private RnnArgs() {
    }

    /** Device addresses of the workspace sections, 0 for absent ones (and for inference). */
    record WorkspaceAddresses(long z, long aux, long hin, long hprev, long cprev) {
        static final WorkspaceAddresses NONE = new WorkspaceAddresses(0, 0, 0, 0, 0);

        static WorkspaceAddresses of(RnnWorkspace layout, long base) {
            return new WorkspaceAddresses(at(base, layout.z()), at(base, layout.aux()), at(base, layout.hin()),
                    at(base, layout.hprev()), at(base, layout.cprev()));
        }

        private static long at(long base, long floatOffset) {
            return floatOffset == RnnWorkspace.NONE ? 0 : base + floatOffset * Float.BYTES;
        }
    }

    static long[] forward(RnnSpec spec, int batch, int steps, long xw, long u, long bias, long mask, long drop,
            long c, long out, long scratch, WorkspaceAddresses ws) {
        return new long[] {
            xw, u, bias, mask, drop, c, out, scratch,
            ws.z(), ws.aux(), ws.hin(), ws.hprev(), ws.cprev(),
            batch, steps, spec.units(),
            OpCodes.unary(spec.activation()), OpCodes.unary(spec.recurrentActivation()),
            spec.zeroOutputForMask() ? 1 : 0, spec.goBackwards() ? 1 : 0};
    }

    static long[] backward(RnnSpec spec, int batch, int steps, long u, long mask, long drop, long dOut,
            WorkspaceAddresses ws, long dh, long dc, long carry, long dZx, long dZh) {
        return new long[] {
            u, mask, drop, dOut,
            ws.z(), ws.aux(), ws.hin(), ws.hprev(), ws.cprev(),
            dh, dc, carry, dZx, dZh,
            batch, steps, spec.units(),
            OpCodes.unary(spec.activation()), OpCodes.unary(spec.recurrentActivation()),
            spec.zeroOutputForMask() ? 1 : 0, spec.goBackwards() ? 1 : 0};
    }

    static long[] persistent(long[] forward, long h0, long c0, long hLast, long cLast, int rowsPerCluster,
            int slicesPow2) {
        long[] p = java.util.Arrays.copyOf(forward, PERSISTENT_FIELDS);
        p[FORWARD_FIELDS] = h0;
        p[FORWARD_FIELDS + 1] = c0;
        p[FORWARD_FIELDS + 2] = hLast;
        p[FORWARD_FIELDS + 3] = cLast;
        p[FORWARD_FIELDS + 4] = rowsPerCluster;
        p[FORWARD_FIELDS + 5] = slicesPow2;
        return p;
    }
}
