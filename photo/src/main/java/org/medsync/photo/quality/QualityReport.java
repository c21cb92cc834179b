package org.medsync.photo.quality;

import java.util.List;

/** The gate's verdict: every problem found, each with its measurement; acceptable when there are none. */
public record QualityReport(List<QualityProblem> problems, Measurements measurements) {
    public QualityReport {
        problems = List.copyOf(problems);
    }

    /** All five measurements, also when they pass, so the page and the logs can show how close a photo came. */
    public record Measurements(
            double blur, double glare, double foreshortening, double shorterSide, double confidence) {}

    public boolean acceptable() {
        return problems.isEmpty();
    }
}
