package io.rnn4j.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnn4j.engine.Device;
import io.rnn4j.engine.RnnCell;
import io.rnn4j.engine.RnnSpec;
import io.rnn4j.engine.RnnState;
import io.rnn4j.engine.RnnWeights;
import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.engine.scalar.ScalarBackend;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad arguments to the fused recurrent ops: each is rejected with an IllegalArgumentException that
 * names the argument, what was expected and what came, before anything is written (the output and
 * gradient tensors keep a sentinel value).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractRnnBadInputTest extends AbstractRnnDeviceTest {
    private static final float SENTINEL = 7f;
    private static final int B = 2;
    private static final int T = 3;
    private static final int D = 4;
    private static final int H = 5;

    /** One valid call's arguments (batch 2, 3 steps, 4 inputs, 5 units); a case breaks one of them. */
    static final class Call {
        final Device d;
        RnnSpec spec;
        Tensor x;
        Tensor mask;
        Tensor dropout;
        RnnWeights weights;
        RnnState initial;
        Tensor output;
        RnnState last;
        Tensor workspace;
        Tensor dOutput;
        Tensor dx;
        RnnWeights dWeights;
        RnnState dInitial;

        Call(Device d, RnnCell cell) {
            this.d = d;
            this.spec = RnnSpec.of(cell, D, H);
            x = d.zeros(B, T, D);
            mask = d.full(Shape.of(B, T), 1f);
            dropout = d.full(Shape.of(B, H), 1f);
            weights = new RnnWeights(d.zeros(spec.kernelShape()), d.zeros(spec.recurrentKernelShape()),
                    d.zeros(spec.biasShape()));
            initial = new RnnState(d.zeros(B, H), spec.hasCellState() ? d.zeros(B, H) : null);
            output = d.full(Shape.of(B, T, H), SENTINEL);
            last = new RnnState(d.full(Shape.of(B, H), SENTINEL), null);
            workspace = d.zeros((int) d.rnnWorkspaceSize(spec, B, T));
            d.rnnForward(spec, x, mask, dropout, weights, initial, d.zeros(B, T, H), null, workspace);
            dOutput = d.zeros(B, T, H);
            dx = d.full(Shape.of(B, T, D), SENTINEL);
            dWeights = new RnnWeights(d.full(spec.kernelShape(), SENTINEL), null, null);
            dInitial = new RnnState(d.full(Shape.of(B, H), SENTINEL), null);
        }

        void forward() {
            d.rnnForward(spec, x, mask, dropout, weights, initial, output, last, workspace);
        }

        void backward() {
            d.rnnBackward(spec, x, mask, dropout, weights, initial, workspace, dOutput, null, dx, dWeights, dInitial);
        }

        /** Whether every output tensor still holds only the sentinel (cases replace them with sentinel-filled ones). */
        boolean untouched() {
            for (Tensor t : new Tensor[] {output, last.h(), dx, dWeights.kernel(), dInitial.h()}) {
                for (float v : t.toArray()) {
                    if (v != SENTINEL) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /** A case: its name, the cell, the edit that breaks the call, the op, and what the message must name. */
    static Stream<Arguments> badCalls() {
        return Stream.of(
                bad("no spec for forward", RnnCell.LSTM, (c, d) -> c.spec = null, true, "rnn forward", "spec",
                        "must not be null"),
                bad("no spec for backward", RnnCell.GRU, (c, d) -> c.spec = null, false, "rnn backward", "spec",
                        "must not be null"),
                bad("mask of the wrong shape", RnnCell.LSTM, (c, d) -> c.mask = d.zeros(B, T + 1), true,
                        "mask", "(2, 3)", "(2, 4)"),
                bad("kernel of the wrong shape", RnnCell.LSTM, (c, d) -> c.weights = new RnnWeights(
                        d.zeros(D + 1, 4 * H), c.weights.recurrentKernel(), c.weights.bias()), true,
                        "kernel", "(4, 20)", "(5, 20)"),
                bad("recurrent kernel of the wrong shape", RnnCell.GRU, (c, d) -> c.weights = new RnnWeights(
                        c.weights.kernel(), d.zeros(H, 4 * H), c.weights.bias()), true,
                        "recurrentKernel", "(5, 15)", "(5, 20)"),
                bad("a flat bias for a reset_after GRU", RnnCell.GRU, (c, d) -> c.weights = new RnnWeights(
                        c.weights.kernel(), c.weights.recurrentKernel(), d.zeros(3 * H)), true,
                        "bias", "(2, 15)", "(15,)"),
                bad("a bias for a spec without bias", RnnCell.SIMPLE, (c, d) -> c.spec = c.spec.withBias(false),
                        true, "bias", "use_bias=false", "(5,)"),
                bad("no bias for a spec with bias", RnnCell.SIMPLE, (c, d) -> c.weights = new RnnWeights(
                        c.weights.kernel(), c.weights.recurrentKernel(), null), true, "bias", "null"),
                bad("a cell state for a GRU", RnnCell.GRU, (c, d) -> c.initial = new RnnState(null, d.zeros(B, H)),
                        true, "initial.c", "GRU has no cell state", "(2, 5)"),
                bad("x of rank 2", RnnCell.SIMPLE, (c, d) -> c.x = d.zeros(B, D), true, "x", "(batch, timesteps, 4)",
                        "(2, 4)"),
                bad("x with the wrong features", RnnCell.LSTM, (c, d) -> c.x = d.zeros(B, T, D + 1), true, "x",
                        "(batch, timesteps, 4)", "(2, 3, 5)"),
                bad("x from another device", RnnCell.LSTM,
                        (c, d) -> c.x = AbstractRnnBackendTest.deviceOf(new ScalarBackend()).zeros(B, T, D), true,
                        "x", "expected a tensor on", "to(device)"),
                bad("an output of the wrong shape", RnnCell.LSTM, (c, d) -> c.output = d.full(Shape.of(B, T, H + 1), SENTINEL),
                        true,
                        "output", "(2, 3, 5)", "(2, 3, 6)"),
                bad("a recurrent dropout mask of the wrong shape", RnnCell.GRU,
                        (c, d) -> c.dropout = d.zeros(B, D), true, "recurrentDropoutMask", "(2, 5)", "(2, 4)"),
                bad("a workspace too small", RnnCell.LSTM, (c, d) -> c.workspace = d.zeros(3), true, "workspace",
                        "must hold", "(3,)"),
                bad("an output sharing memory with the workspace", RnnCell.SIMPLE, (c, d) -> {
                    Tensor shared = d.full(Shape.of((int) (B * T * H + c.workspace.size())), SENTINEL);
                    c.workspace = shared;
                    c.output = shared.narrow(0, B * T * H).reshape(B, T, H);
                }, true, "output", "workspace", "share memory"),
                bad("last.h aliasing initial.h", RnnCell.GRU, (c, d) -> {
                    c.initial = new RnnState(d.full(Shape.of(B, H), SENTINEL), null);
                    c.last = new RnnState(c.initial.h(), null);
                }, true, "last.h", "initial.h"),
                bad("no workspace for backward", RnnCell.LSTM, (c, d) -> c.workspace = null, false, "workspace",
                        "null"),
                bad("dOutput of the wrong shape", RnnCell.GRU, (c, d) -> c.dOutput = d.zeros(B, T - 1, H), false,
                        "dOutput", "(2, 3, 5)", "(2, 2, 5)"),
                bad("dx aliasing x", RnnCell.LSTM, (c, d) -> {
                    c.x = d.full(Shape.of(B, T, D), SENTINEL);
                    c.dx = c.x;
                }, false, "dx", "x"),
                bad("a bias gradient for a spec without bias", RnnCell.SIMPLE, (c, d) -> {
                    c.spec = c.spec.withBias(false);
                    c.weights = new RnnWeights(c.weights.kernel(), c.weights.recurrentKernel(), null);
                    c.dWeights = new RnnWeights(c.dWeights.kernel(), null, d.full(Shape.of(H), SENTINEL));
                }, false, "dWeights.bias", "no bias", "(5,)"),
                bad("a cell-state gradient for a GRU", RnnCell.GRU,
                        (c, d) -> c.dInitial = new RnnState(c.dInitial.h(), d.zeros(B, H)), false, "dInitial.c",
                        "no cell state"));
    }

    @org.junit.jupiter.api.Test
    void aWorkspaceSizeForNoSpecOrANegativeSizeIsRefused() {
        RnnSpec spec = RnnSpec.of(RnnCell.LSTM, D, H);
        assertThatThrownBy(() -> device().rnnWorkspaceSize(null, B, T)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rnn workspace size: spec must not be null");
        assertThatThrownBy(() -> device().rnnWorkspaceSize(spec, -1, T)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rnn workspace size: batch and steps must be >= 0, got batch=-1 steps=3");
        assertThatThrownBy(() -> device().rnnWorkspaceSize(spec, B, -2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("steps=-2");
        assertThatThrownBy(() -> RnnSpec.of(RnnCell.LSTM, 1, 600_000_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RnnSpec: LSTM with 600000000 units has 4 × 600000000 gate columns, more than an int "
                        + "holds (2147483647)");
    }

    private static Arguments bad(String name, RnnCell cell, BiConsumer<Call, Device> edit, boolean forward,
            String... mentions) {
        return Arguments.of(name, cell, edit, forward, mentions);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCalls")
    void badArgumentsAreRejectedByNameBeforeAnythingIsWritten(String name, RnnCell cell,
            BiConsumer<Call, Device> edit, boolean forward, String[] mentions) {
        Call call = new Call(device(), cell);
        edit.accept(call, device());
        assertThatThrownBy(forward ? call::forward : call::backward).as(name)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContainingAll(mentions);
        assertThat(call.untouched()).as("nothing written after: " + name).isTrue();
    }
}
