package org.medsync.bench.readout;

import java.util.List;

/** Percentiles and means of samples, and numbers out of Playwright's JavaScript values. */
final class Stats {
    private Stats() {}

    /** Nearest-rank percentile (p = 100 is the maximum); NaN without samples. */
    static double pct(List<Double> v, double p) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = v.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100 * s.size());
        return s.get(Math.max(0, Math.min(s.size() - 1, rank - 1)));
    }

    static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** A JavaScript array of numbers. */
    static double[] numbers(Object js) {
        List<?> l = (List<?>) js;
        double[] d = new double[l.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = ((Number) l.get(i)).doubleValue();
        }
        return d;
    }

    /** A JavaScript array of arrays of numbers. */
    static List<double[]> rows(Object js) {
        return ((List<?>) js).stream().map(Stats::numbers).toList();
    }
}
