package org.medsync.photo.restore.measure;

import java.util.List;

/** Mean and sample standard deviation, as the paper's Table 1 reports them. */
public record Stats(int count, double mean, double sd) {
    public static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        double sd = values.size() > 1 ? Math.sqrt(ss / (values.size() - 1)) : 0;
        return new Stats(values.size(), mean, sd);
    }
}
