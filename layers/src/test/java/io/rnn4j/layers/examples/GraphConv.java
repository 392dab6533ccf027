package io.rnn4j.layers.examples;

import io.rnn4j.engine.Shape;
import io.rnn4j.engine.Tensor;
import io.rnn4j.layers.ActivationLayer;
import io.rnn4j.layers.CallContext;
import io.rnn4j.layers.Layer;
import io.rnn4j.layers.Weight;
import io.rnn4j.layers.autograd.Ops;
import io.rnn4j.layers.autograd.Variable;
import io.rnn4j.layers.initializers.Initializers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The Java side of keras-io's timeseries_traffic_forecasting.py {@code GraphConv}, on features
 * {@code (num_nodes, batch, seq, in_feat)} (nodes first, as the example's LSTMGC hands them over):
 * each node's representation {@code x·W}, its neighbours' messages aggregated over the graph's
 * edges ({@code tf.gather} of {@code edges[1]}, then {@code tf.math.unsorted_segment_sum/mean/max}
 * by {@code edges[0]}) and multiplied by the same {@code W}, combined by "concat" (last axis) or
 * "add", then the activation. As in the example its activation is a tracked {@code Activation}
 * layer (attribute "activation"), so the Keras file's empty {@code graph_conv/activation} group is
 * this layer's.
 *
 * <p>The nodes axis stands where rnn4j layers have the batch, so any count of nodes passes the
 * input check; {@link #forward} checks it against the graph. Segment sums are a product with the
 * (nodes, edges) 0/1 matrix of {@code edges[0]}, which adds each node's messages in edge order as
 * TensorFlow's segment sum does; the mean divides that sum by {@code max(count, 1)}, as
 * {@code unsorted_segment_mean}; the max of a node without edges is the lowest float32, as
 * {@code unsorted_segment_max}.
 */
final class GraphConv extends Layer {
    private static final Set<String> AGGREGATIONS = Set.of("sum", "mean", "max");
    private final int inFeat;
    private final int outFeat;
    private final int[][] edges;
    private final int numNodes;
    private final String aggregation;
    private final String combination;
    private final ActivationLayer activation;
    private Weight weight;

    /**
     * @param edges {@code {node_indices, neighbor_indices}}, as {@code np.where(adjacency == 1)}
     * @param activation a Keras activation name, or null for none (Keras's {@code Activation(None)})
     */
    GraphConv(int inFeat, int outFeat, int[][] edges, int numNodes, String aggregation, String combination,
            String activation) {
        super("graph_conv");
        if (!AGGREGATIONS.contains(aggregation)) {
            throw new IllegalArgumentException("Invalid aggregation type: " + aggregation);
        }
        if (!combination.equals("concat") && !combination.equals("add")) {
            throw new IllegalArgumentException("Invalid combination type: " + combination + ".");
        }
        if (edges.length != 2 || edges[0].length != edges[1].length) {
            throw new IllegalArgumentException(name() + ": edges must be two lists of equal length (nodes, "
                    + "neighbours), got " + Arrays.deepToString(edges));
        }
        for (int[] side : edges) {
            for (int n : side) {
                if (n < 0 || n >= numNodes) {
                    throw new IllegalArgumentException(name() + ": edge node " + n + " is not in [0, " + numNodes + ")");
                }
            }
        }
        this.inFeat = inFeat;
        this.outFeat = outFeat;
        this.edges = edges;
        this.numNodes = numNodes;
        this.aggregation = aggregation;
        this.combination = combination;
        this.activation = addSublayer("activation", new ActivationLayer(activation == null ? "linear" : activation));
    }

    /** Takes {@code (num_nodes, batch, seq, in_feat)}: the sample shape {@code (batch, seq, in_feat)}. */
    @Override
    protected Shape build(Shape in, RandomGenerator random) {
        if (in.rank() != 3 || in.dim(2) != inFeat) {
            throw new IllegalArgumentException(name() + ": expected features (num_nodes, batch, seq, " + inFeat
                    + "), got (num_nodes, " + in.toString().substring(1));
        }
        weight = addWeight("weight", Shape.of(inFeat, outFeat), Initializers.glorotUniform(), random, null, null,
                true);
        Shape out = Shape.withUnknown(Shape.UNKNOWN, Shape.UNKNOWN, combination.equals("concat") ? 2 * outFeat : outFeat);
        activation.build(out, device(), random);
        return out;
    }

    @Override
    protected Shape acceptedShape() {
        return keepingOnly(inputShape(), -1);
    }

    @Override
    protected Shape outputShapeFor(Shape input) {
        return Shape.withUnknown(input.dim(0), input.dim(1), outputShape().dim(2));
    }

    @Override
    protected Variable forward(Variable features, Tensor mask, CallContext ctx) {
        if (features.dim(0) != numNodes) {
            throw new IllegalArgumentException(name() + ": expected " + numNodes + " nodes on the first axis, got "
                    + features.shape());
        }
        Variable nodes = times(features, weight.variable());
        Variable messages = times(aggregate(features), weight.variable());
        Variable h = combination.equals("concat") ? Ops.concat(3, nodes, messages) : Ops.add(nodes, messages);
        return activation.call(h, null, ctx);
    }

    /** {@code tf.matmul(x, w)} of (n, b, s, in) and (in, out). */
    private static Variable times(Variable x, Variable w) {
        int[] d = x.shape().dims();
        Variable y = Ops.matmul(Ops.reshape(x, d[0] * d[1] * d[2], d[3]), w);
        return Ops.reshape(y, d[0], d[1], d[2], w.dim(1));
    }

    /** The neighbours' features, gathered by edges[1] and reduced by edges[0], (nodes, b, s, in). */
    private Variable aggregate(Variable x) {
        int[] d = x.shape().dims();
        int rest = d[1] * d[2] * d[3];
        int e = edges[0].length;
        float[] ids = new float[e];
        for (int k = 0; k < e; k++) {
            ids[k] = edges[1][k];
        }
        Variable neighbours = Ops.gather(Ops.reshape(x, numNodes, rest), x.device().tensor(ids, e)); // (e, rest)
        Variable out = aggregation.equals("max") ? segmentMax(neighbours, rest) : segmentSum(neighbours);
        return Ops.reshape(out, d);
    }

    private Variable segmentSum(Variable neighbours) {
        int e = edges[0].length;
        float[] onehot = new float[numNodes * e];
        float[] count = new float[numNodes];
        for (int k = 0; k < e; k++) {
            onehot[edges[0][k] * e + k] = 1f;
            count[edges[0][k]]++;
        }
        Variable sum = Ops.matmul(Variable.constant(neighbours.device().tensor(onehot, numNodes, e)), neighbours);
        if (aggregation.equals("sum")) {
            return sum;
        }
        for (int n = 0; n < numNodes; n++) {
            count[n] = Math.max(count[n], 1f);
        }
        return Ops.div(sum, Variable.constant(neighbours.device().tensor(count, numNodes, 1)));
    }

    private Variable segmentMax(Variable neighbours, int rest) {
        List<Variable> rows = new ArrayList<>();
        for (int n = 0; n < numNodes; n++) {
            Variable m = null;
            for (int k = 0; k < edges[0].length; k++) {
                if (edges[0][k] == n) {
                    Variable row = Ops.slice(neighbours, 0, k, 1);
                    m = m == null ? row : Ops.maximum(m, row);
                }
            }
            if (m == null) {
                float[] lowest = new float[rest];
                Arrays.fill(lowest, -Float.MAX_VALUE);
                m = Variable.constant(neighbours.device().tensor(lowest, 1, rest));
            }
            rows.add(m);
        }
        return Ops.concat(0, rows.toArray(Variable[]::new));
    }

    @Override
    public String className() {
        return "GraphConv";
    }
}
