package io.rnn4j.cli.data;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A univariate series: its values and, for each, a time to plot it at (a decimal year for monthly
 * data, else the step number).
 *
 * @param name         what the values are ("CO2 (ppm)")
 * @param time         x positions, increasing
 * @param timeLabel    the unit of {@code time} ("year" or "step")
 * @param values       the observations
 * @param interpolated how many values were filled in for missing months
 */
public record TimeSeries(String name, double[] time, String timeLabel, double[] values, int interpolated) {

    public TimeSeries {
        if (time.length != values.length) {
            throw new IllegalArgumentException("series: " + time.length + " times but " + values.length + " values");
        }
    }

    public int length() {
        return values.length;
    }

    /** The time of value {@code i} as people read it: "2010-05" for monthly data, else "step 17". */
    public String label(int i) {
        if (timeLabel.equals("year")) {
            int year = (int) Math.floor(time[i] + 1e-9);
            int month = (int) Math.round((time[i] - year) * 12) + 1;
            return String.format(java.util.Locale.ROOT, "%04d-%02d", year, month);
        }
        return "step " + (int) time[i];
    }

    /** The values in order, with step numbers as times. */
    public static TimeSeries ofSteps(String name, double[] values) {
        double[] t = new double[values.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = i;
        }
        return new TimeSeries(name, t, "step", values.clone(), 0);
    }

    /**
     * A monthly series from dates ("1958-03-01" or "1958-03") and values. Months missing between
     * two observations are filled by linear interpolation so the series is evenly spaced, as a
     * windowed model assumes; a date out of order or repeated is an error naming it.
     */
    public static TimeSeries monthly(String name, String[] dates, double[] values, String source) {
        if (dates.length == 0) {
            throw new IllegalArgumentException(source + ": no rows");
        }
        List<Double> time = new ArrayList<>();
        List<Double> out = new ArrayList<>();
        YearMonth prev = null;
        int filled = 0;
        for (int i = 0; i < dates.length; i++) {
            YearMonth m = month(dates[i], source);
            if (prev != null) {
                long gap = prev.until(m, java.time.temporal.ChronoUnit.MONTHS);
                if (gap < 1) {
                    throw new IllegalArgumentException(source + ": date '" + dates[i] + "' does not come after "
                            + prev + "; the rows must be in time order, one per month");
                }
                double from = out.get(out.size() - 1);
                for (long k = 1; k < gap; k++) {
                    YearMonth missing = prev.plusMonths(k);
                    time.add(decimalYear(missing));
                    out.add(from + (values[i] - from) * k / gap);
                    filled++;
                }
            }
            time.add(decimalYear(m));
            out.add(values[i]);
            prev = m;
        }
        return new TimeSeries(name, time.stream().mapToDouble(Double::doubleValue).toArray(), "year",
                out.stream().mapToDouble(Double::doubleValue).toArray(), filled);
    }

    private static YearMonth month(String date, String source) {
        try {
            return date.length() <= 7 ? YearMonth.parse(date) : YearMonth.from(LocalDate.parse(date));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(source + ": '" + date + "' is not a date like 1958-03-01 or 1958-03");
        }
    }

    private static double decimalYear(YearMonth m) {
        return m.getYear() + (m.getMonthValue() - 1) / 12.0;
    }
}
