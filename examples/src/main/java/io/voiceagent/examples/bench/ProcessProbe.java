package io.voiceagent.examples.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Linux process figures for benchmarks, read from {@code /proc/self}: resident set size, thread
 * count, and CPU time per thread group (native threads included, which {@code ThreadMXBean} cannot
 * see). Returns -1 or an empty map where {@code /proc} is unavailable.
 */
final class ProcessProbe {
    /** USER_HZ: the unit of utime/stime in {@code /proc/<pid>/task/<tid>/stat} (100 on Linux x86-64). */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcessProbe() {}

    /** VmRSS of this process in bytes, or -1. */
    static long rssBytes() {
        long kb = statusField("VmRSS:");
        return kb < 0 ? -1 : kb * 1024;
    }

    /**
     * Proportional set size in bytes from {@code /proc/self/smaps_rollup}, or -1. Unlike VmRSS it
     * counts ZGC's multi-mapped heap (three virtual views of the same memory on JDK 17) once.
     */
    static long pssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * CPU time of this process's children that have been waited for (cutime + cstime of
     * {@code /proc/self/stat}: the espeak-ng processes a TTS ran), in nanoseconds, or -1.
     */
    static long childrenCpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after the command name (which may contain spaces) start at ") ".
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * NANOS_PER_TICK; // fields 16 and 17
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Threads of this process (native and Java), or -1. */
    static long threads() {
        return statusField("Threads:");
    }

    /** Used Java heap in bytes (total minus free; includes garbage not yet collected). */
    static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /**
     * Heap in use right after the most recent garbage collection (sum over the heap pools'
     * collection usage): the live heap as of that GC, without the garbage a sample of
     * {@link #usedHeap()} mostly measures under ZGC. 0 before the first GC.
     */
    static long heapAfterLastGc() {
        long n = 0;
        for (java.lang.management.MemoryPoolMXBean p : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == java.lang.management.MemoryType.HEAP && p.getCollectionUsage() != null) {
                n += p.getCollectionUsage().getUsed();
            }
        }
        return n;
    }

    /** Used heap after a {@code System.gc()} hint (synchronous under ZGC and G1). */
    static long usedHeapAfterGc() {
        System.gc();
        return usedHeap();
    }

    static double mb(double bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static long statusField(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * CPU time (user + system, ns, 10 ms resolution) of the live threads, summed per group: the
     * thread's kernel name (15 characters at most) without its trailing number, e.g.
     * {@code agora-lb-w}, {@code agora-events-}, {@code vad-batcher-}, {@code ZWorker#}. Threads that
     * ended between two snapshots are missing from the later one.
     */
    static Map<String, Long> cpuByThreadGroup() {
        Map<String, Long> groups = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // "tid (comm) state ..." ; comm may contain spaces and parentheses: split at the last ')'.
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String comm = stat.substring(open + 1, close);
                    List<String> f = List.of(stat.substring(close + 2).split(" "));
                    // Fields after comm start at field 3 (state); utime and stime are fields 14 and 15.
                    long ticks = Long.parseLong(f.get(11)) + Long.parseLong(f.get(12));
                    groups.merge(comm.replaceAll("[0-9]+$", ""), ticks * NANOS_PER_TICK, Long::sum);
                } catch (IOException | RuntimeException threadEnded) {
                    // The thread exited while we read it.
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return groups;
    }

    /** {@code after - before} per group, dropping groups that used less than 0.05 % of the window. */
    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after, long windowNanos) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> {
            long n = v - before.getOrDefault(k, 0L);
            if (n * 2000 >= windowNanos) {
                d.put(k, n);
            }
        });
        return d;
    }
}
