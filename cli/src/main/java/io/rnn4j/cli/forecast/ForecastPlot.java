package io.rnn4j.cli.forecast;

import io.rnn4j.cli.AtomicFiles;
import io.rnn4j.cli.CliException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The forecast demo's PNG: actual vs predicted over the held-out months, and the loss curves. */
public final class ForecastPlot {
    private ForecastPlot() {
    }

    /**
     * Writes the two charts, one above the other.
     *
     * @param time        x positions of the whole series
     * @param actual      the whole series
     * @param predicted   the model's forecasts; only [from, time.length) is drawn
     * @param from        the first held-out index
     * @param context     how many points before {@code from} to show for context
     * @param trainLoss   the training loss per epoch
     * @param valLoss     the validation loss per epoch (may be null)
     */
    public static void write(Path file, String title, String valueLabel, String timeLabel, double[] time,
            double[] actual, double[] predicted, int from, int context, double[] trainLoss, double[] valLoss)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        int start = Math.max(0, from - context);
        XYChart series = new XYChartBuilder().width(1000).height(440).title(title).xAxisTitle(timeLabel)
                .yAxisTitle(valueLabel).build();
        style(series, Styler.LegendPosition.InsideNW);
        series.getStyler().setXAxisDecimalPattern("0");
        if (timeLabel.equals("year")) {
            // Whole years at the axis ends, so that the ticks fall on whole years too.
            series.getStyler().setXAxisMin(Math.floor(time[start]));
            series.getStyler().setXAxisMax(Math.ceil(time[time.length - 1] + 1e-9));
        }
        XYSeries a = series.addSeries("actual", Arrays.copyOfRange(time, start, time.length),
                Arrays.copyOfRange(actual, start, actual.length));
        a.setLineColor(new Color(40, 40, 40));
        a.setMarker(SeriesMarkers.NONE);
        XYSeries p = series.addSeries("predicted (held-out)", Arrays.copyOfRange(time, from, time.length),
                Arrays.copyOfRange(predicted, from, predicted.length));
        p.setLineColor(new Color(214, 39, 40));
        p.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f},
                0f));
        p.setMarker(SeriesMarkers.NONE);

        XYChart loss = new XYChartBuilder().width(1000).height(440).title("loss (mean squared error, scaled)")
                .xAxisTitle("epoch").yAxisTitle("loss").build();
        style(loss, Styler.LegendPosition.InsideNE);
        loss.getStyler().setXAxisDecimalPattern("0");
        loss.getStyler().setYAxisDecimalPattern("0.###");
        loss.addSeries("training", epochs(trainLoss.length), trainLoss).setMarker(SeriesMarkers.CIRCLE);
        if (valLoss != null && valLoss.length == trainLoss.length) {
            loss.addSeries("validation", epochs(valLoss.length), valLoss).setMarker(SeriesMarkers.CIRCLE);
        }
        try {
            AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(List.of(series, loss), 2, 1, out,
                    BitmapEncoder.BitmapFormat.PNG));
        } catch (RuntimeException | LinkageError | java.awt.AWTError | InternalError e) {
            // Java 2D draws text with the system's fonts; a bare server or container may have none
            // ("Fontconfig head is null") or lack the native font libraries.
            throw new CliException("could not draw " + file + ": " + e.getMessage() + ". Java needs fonts to draw "
                    + "text: install fontconfig and a font (e.g. apt-get install fontconfig fonts-dejavu-core), "
                    + "or leave the plot out with --no-plot", e);
        }
    }

    private static void style(XYChart chart, Styler.LegendPosition legend) {
        org.knowm.xchart.style.XYStyler s = chart.getStyler();
        s.setLegendPosition(legend);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setToolTipsEnabled(false);
    }

    private static double[] epochs(int n) {
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = i + 1;
        }
        return e;
    }
}
