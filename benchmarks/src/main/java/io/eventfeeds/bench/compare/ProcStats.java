package io.eventfeeds.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/** CPU time and resident memory of server processes, from /proc. */
public final class ProcStats {

    /** Clock ticks per second of /proc/PID/stat's utime and stime (USER_HZ, 100 on Linux). */
    public static final int TICKS_PER_SECOND = 100;

    private ProcStats() {
    }

    /** utime + stime (fields 14 and 15) of a /proc/PID/stat line. */
    public static long cpuTicks(String statLine) {
        return field(statLine, 14) + field(statLine, 15);
    }

    /** stime (field 15) of a /proc/PID/stat line: the part of {@link #cpuTicks(String)} spent in the kernel. */
    public static long kernelTicks(String statLine) {
        return field(statLine, 15);
    }

    /** The parent pid (field 4) of a /proc/PID/stat line. */
    public static long parentPid(String statLine) {
        return field(statLine, 4);
    }

    /** Numeric field {@code number} (3 or more, as proc(5) counts); the command name may hold spaces and ')'. */
    private static long field(String statLine, int number) {
        String[] fields = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(fields[number - 3]);
    }

    /** VmRSS of a /proc/PID/status text, in KiB (0 when absent, as for a zombie). */
    public static long vmRssKib(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        }
        return 0;
    }

    /** nonvoluntary_ctxt_switches of a /proc/PID/task/TID/status text: how often the thread was preempted. */
    public static long preemptions(String threadStatus) {
        for (String line : threadStatus.split("\n")) {
            if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                return Long.parseLong(line.substring(27).trim());
            }
        }
        return 0;
    }

    /**
     * How often the threads of live processes were switched out while they could still run, summed over every
     * thread (a process's own status counts only its first thread). On a box as full as this one, a server whose
     * writes wake the generators' threads is preempted by them, and each switch costs it kernel time and delays its
     * next write; the count tells how much of that a run had. A thread that ends takes its count with it.
     */
    public static long preemptions(Collection<Long> pids) {
        return preemptions(Path.of("/proc"), pids);
    }

    /** {@link #preemptions(Collection)} under another proc root (tests). */
    static long preemptions(Path proc, Collection<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            try (Stream<Path> threads = Files.list(proc.resolve(Long.toString(pid)).resolve("task"))) {
                for (Path thread : (Iterable<Path>) threads::iterator) {
                    try {
                        sum += preemptions(Files.readString(thread.resolve("status")));
                    } catch (IOException | RuntimeException e) {
                        // the thread ended
                    }
                }
            } catch (IOException | RuntimeException e) {
                // gone
            }
        }
        return sum;
    }

    /** Summed CPU ticks of live processes; vanished ones count 0. */
    public static long cpuTicks(Collection<Long> pids) {
        return sumOfStat(pids, ProcStats::cpuTicks);
    }

    /**
     * Summed kernel CPU ticks of live processes. Set against {@link #cpuTicks(Collection)} it tells the sends, which
     * cost any server the same, from the server's own work.
     */
    public static long kernelTicks(Collection<Long> pids) {
        return sumOfStat(pids, ProcStats::kernelTicks);
    }

    private static long sumOfStat(Collection<Long> pids, ToLongFunction<String> field) {
        long sum = 0;
        for (long pid : pids) {
            try {
                sum += field.applyAsLong(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
            } catch (IOException | RuntimeException e) {
                // gone
            }
        }
        return sum;
    }

    public static long rssKib(Collection<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            try {
                sum += vmRssKib(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
            } catch (IOException | RuntimeException e) {
                // gone
            }
        }
        return sum;
    }

    /** A process and its direct children (nginx: the master and its workers). */
    public static List<Long> withChildren(long pid) {
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    if (parentPid(Files.readString(p.resolve("stat"))) == pid) {
                        pids.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // gone
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return pids;
    }

    public static long selfCpuTicks() {
        try {
            return cpuTicks(Files.readString(Path.of("/proc/self/stat")));
        } catch (IOException e) {
            return 0;
        }
    }
}
