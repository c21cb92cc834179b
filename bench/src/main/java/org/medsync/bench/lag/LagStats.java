package org.medsync.bench.lag;

import java.util.List;

/** Percentiles the way the summaries use them: nearest rank over the sorted values; an undisplayed update is +inf. */
final class LagStats {
    private LagStats() {}

    static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.clamp(rank - 1, 0, sorted.size() - 1));
    }

    static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
