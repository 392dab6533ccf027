package io.rnn4j.layers.examples;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Dense;
import io.rnn4j.layers.LSTM;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.keras.CustomLayerConfig;
import io.rnn4j.layers.keras.KerasSerializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The Java side of keras-io's timeseries_traffic_forecasting.py {@code LSTMGC}: a custom layer that
 * owns a {@link GraphConv}, an {@code LSTM(lstm_units, activation="relu")} and a
 * {@code Dense(output_seq_len)} in the attributes graph_conv, lstm and dense
 * ({@link Layer#addSublayer}) and calls them in its forward pass, as the example does: inputs
 * {@code (batch, seq, nodes, in_feat)} transposed to {@code (nodes, batch, seq, in_feat)}, the graph
 * convolution, a reshape to {@code (nodes·batch, seq, feat)} for the LSTM (one row per node and
 * sample, node-major as {@code tf.reshape} lays them), the Dense, a reshape to
 * {@code (nodes, batch, output_seq_len)} and a transpose to {@code (batch, output_seq_len, nodes)}.
 *
 * <p>Registered in make_traffic_gnn.py as {@code "traffic>LSTMGC"}; its config holds graph_info as
 * {@code {"edges": [[...], [...]], "num_nodes": n}} (the example's GraphInfo object is not JSON).
 */
final class LSTMGC extends Layer implements KerasSerializable {
    static final String KEY = "traffic>LSTMGC";
    private final int inFeat;
    private final int outFeat;
    private final int lstmUnits;
    private final int inputSeqLen;
    private final int outputSeqLen;
    private final int[][] edges;
    private final int numNodes;
    private final Map<String, Object> graphConvParams;
    private final GraphConv graphConv;
    private final LSTM lstm;
    private final Dense dense;

    /** @param graphConvParams aggregation_type, combination_type, activation (null: none), as the example's dict */
    LSTMGC(int inFeat, int outFeat, int lstmUnits, int inputSeqLen, int outputSeqLen, int[][] edges, int numNodes,
            Map<String, Object> graphConvParams) {
        super("lstmgc");
        this.inFeat = inFeat;
        this.outFeat = outFeat;
        this.lstmUnits = lstmUnits;
        this.inputSeqLen = inputSeqLen;
        this.outputSeqLen = outputSeqLen;
        this.edges = new int[][] {edges[0].clone(), edges[1].clone()};
        this.numNodes = numNodes;
        this.graphConvParams = new LinkedHashMap<>(graphConvParams);
        this.graphConv = addSublayer("graph_conv", new GraphConv(inFeat, outFeat, this.edges, numNodes,
                (String) graphConvParams.get("aggregation_type"), (String) graphConvParams.get("combination_type"),
                (String) graphConvParams.get("activation")));
        this.lstm = addSublayer("lstm", new LSTM(lstmUnits).activation("relu"));
        this.dense = addSublayer("dense", new Dense(outputSeqLen));
    }

    /** The layer for a Keras file's LSTMGC entry (CustomLayers factory). */
    static LSTMGC fromConfig(CustomLayerConfig c) {
        Map<String, Object> graph = c.map("graph_info");
        List<?> e = (List<?>) graph.get("edges");
        int[][] edges = new int[2][];
        for (int side = 0; side < 2; side++) {
            edges[side] = ((List<?>) e.get(side)).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
        }
        return new LSTMGC(c.integer("in_feat"), c.integer("out_feat"), c.integer("lstm_units"),
                c.integer("input_seq_len"), c.integer("output_seq_len"), edges,
                ((Number) graph.get("num_nodes")).intValue(), c.map("graph_conv_params"));
    }

    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        if (in.rank() != 3 || in.dim(1) != numNodes || in.dim(2) != inFeat) {
            throw new IllegalArgumentException(name() + ": expected inputs (batch, seq, " + numNodes + ", " + inFeat
                    + "), got " + batchless(in));
        }
        Shape conv = Shape.withUnknown(Shape.UNKNOWN, in.dim(0), inFeat); // (nodes as batch,) batch, seq, in_feat
        graphConv.build(conv, device(), random);
        int feat = graphConv.outputShape().dim(2);
        lstm.build(Shape.withUnknown(in.dim(0), feat), device(), random);
        dense.build(Shape.of(lstmUnits), device(), random);
        return Shape.withUnknown(outputSeqLen, numNodes);
    }

    /** Any number of steps, as the example's LSTM takes. */
    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape(), -2, -1);
    }

    @Override
    protected Variable forward(Variable inputs, Tensor mask, CallContext ctx) {
        int batch = inputs.dim(0);
        int seq = inputs.dim(1);
        Variable x = transpose(inputs, 2, 0, 1, 3);
        Variable gcn = graphConv.call(x, null, ctx); // (nodes, batch, seq, feat)
        gcn = Ops.reshape(gcn, numNodes * batch, seq, gcn.dim(3));
        Variable out = dense.call(lstm.call(gcn, null, ctx), null, ctx); // (nodes·batch, output_seq_len)
        return transpose(Ops.reshape(out, numNodes, batch, outputSeqLen), 1, 2, 0);
    }

    /**
     * {@code tf.transpose(x, perm)} over every axis, the batch's too (rnn4j's Permute keeps the batch
     * first): a gather of x's elements in the output's order, exact while they are fewer than
     * {@link Ops#MAX_GATHER_ROWS} (float32 row indices).
     */
    static Variable transpose(Variable x, int... perm) {
        int[] d = x.shape().dims();
        long n = x.shape().size();
        if (n >= Ops.MAX_GATHER_ROWS) {
            throw new IllegalArgumentException("transpose: " + x.shape() + " has more elements than float32 indices "
                    + "address exactly (" + Ops.MAX_GATHER_ROWS + ")");
        }
        int[] stride = new int[d.length];
        int[] outDims = new int[d.length];
        for (int a = d.length - 1, s = 1; a >= 0; s *= d[a], a--) {
            stride[a] = s;
        }
        for (int a = 0; a < d.length; a++) {
            outDims[a] = d[perm[a]];
        }
        float[] ids = new float[(int) n];
        int[] at = new int[d.length];
        for (int o = 0; o < n; o++) {
            int src = 0;
            for (int a = 0; a < d.length; a++) {
                src += at[a] * stride[perm[a]];
            }
            ids[o] = src;
            for (int a = d.length - 1; a >= 0 && ++at[a] == outDims[a]; a--) {
                at[a] = 0;
            }
        }
        Variable rows = Ops.gather(Ops.reshape(x, (int) n, 1), x.device().tensor(ids, (int) n));
        return Ops.reshape(rows, outDims);
    }

    @Override
    public String className() {
        return "LSTMGC";
    }

    @Override
    public Map<String, Object> kerasConfig() {
        Map<String, Object> graph = new LinkedHashMap<>();
        graph.put("edges", List.of(edges[0], edges[1]));
        graph.put("num_nodes", numNodes);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("in_feat", inFeat);
        c.put("out_feat", outFeat);
        c.put("lstm_units", lstmUnits);
        c.put("input_seq_len", inputSeqLen);
        c.put("output_seq_len", outputSeqLen);
        c.put("graph_info", graph);
        c.put("graph_conv_params", graphConvParams);
        return c;
    }

    @Override
    public String kerasRegisteredName() {
        return KEY;
    }
}
