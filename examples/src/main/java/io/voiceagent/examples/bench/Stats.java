package io.voiceagent.examples.bench;

import java.util.Arrays;
import java.util.Locale;

/** Small helpers for benchmark figures: percentiles of recorded samples and JSON number formatting. */
final class Stats {
    private Stats() {}

    /** A growable array of long samples; not thread-safe. */
    static final class Samples {
        private long[] values = new long[1024];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int size() {
            return size;
        }

        void addAll(Samples other) {
            for (int i = 0; i < other.size; i++) {
                add(other.values[i]);
            }
        }

        void clear() {
            size = 0;
        }

        /** The {@code p}-th percentile (0-100, nearest rank) of the samples; 0 when empty. */
        long percentile(double p) {
            if (size == 0) {
                return 0;
            }
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(p / 100.0 * size);
            return sorted[Math.min(size - 1, Math.max(0, rank - 1))];
        }

        long max() {
            long m = 0;
            for (int i = 0; i < size; i++) {
                m = Math.max(m, values[i]);
            }
            return m;
        }

        double mean() {
            if (size == 0) {
                return 0;
            }
            double sum = 0;
            for (int i = 0; i < size; i++) {
                sum += values[i];
            }
            return sum / size;
        }
    }

    /** Nanoseconds as milliseconds with three decimals, for JSON. */
    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    /** {@code v} rounded to {@code digits} decimals, for JSON figures. */
    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** Process CPU time in nanoseconds (all threads, including native ones). */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }
}
