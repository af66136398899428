package io.eventfeeds.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcStatsTest {

    @Test
    void readsUtimePlusStimeTheKernelsShareAndParentEvenWithSpacesAndParenthesesInTheName() {
        String stat = "4242 (nginx: a (b) c) S 17 4242 4242 0 -1 4194560 1000 0 0 0 123 45 0 0 20 0 1 0 999 1000 100";
        assertThat(ProcStats.cpuTicks(stat)).isEqualTo(168);
        assertThat(ProcStats.kernelTicks(stat)).isEqualTo(45);
        assertThat(ProcStats.parentPid(stat)).isEqualTo(17);
    }

    @Test
    void readsVmRss() {
        String status = "Name:\tjava\nVmPeak:\t 9999 kB\nVmRSS:\t  204800 kB\nRssAnon:\t 1 kB\n";
        assertThat(ProcStats.vmRssKib(status)).isEqualTo(204800);
        assertThat(ProcStats.vmRssKib("Name:\tzombie\n")).isZero();
    }

    @Test
    void readsHowOftenAThreadWasPreempted() {
        String status = "Name:\tvert.x-eventloo\nvoluntary_ctxt_switches:\t230867\n"
                + "nonvoluntary_ctxt_switches:\t2430549\n";
        assertThat(ProcStats.preemptions(status)).isEqualTo(2430549);
        assertThat(ProcStats.preemptions("Name:\tzombie\n")).isZero();
    }

    @Test
    void sumsPreemptionsOverEveryThreadOfEveryProcess(@TempDir Path proc) throws Exception {
        thread(proc, 42, 42, 5);
        thread(proc, 42, 43, 700);
        thread(proc, 42, 44, 30);
        thread(proc, 50, 50, 1);
        assertThat(ProcStats.preemptions(proc, List.of(42L, 50L))).isEqualTo(736);
        assertThat(ProcStats.preemptions(proc, List.of(42L, 99L))).isEqualTo(735);
    }

    private static void thread(Path proc, long pid, long tid, long preempted) throws Exception {
        Path task = Files.createDirectories(
                proc.resolve(Long.toString(pid)).resolve("task").resolve(Long.toString(tid)));
        Files.writeString(task.resolve("status"), "Name:\tt" + tid + "\nvoluntary_ctxt_switches:\t9\n"
                + "nonvoluntary_ctxt_switches:\t" + preempted + "\n");
    }

    @Test
    void readsThisProcessAndIgnoresVanishedOnes() {
        long self = ProcessHandle.current().pid();
        assertThat(ProcStats.rssKib(List.of(self))).isPositive();
        assertThat(ProcStats.rssKib(List.of(self, Long.MAX_VALUE))).isCloseTo(ProcStats.rssKib(List.of(self)), within(50_000L));
        assertThat(ProcStats.cpuTicks(List.of(Long.MAX_VALUE))).isZero();
        assertThat(ProcStats.kernelTicks(List.of(self))).isBetween(0L, ProcStats.cpuTicks(List.of(self)));
        assertThat(ProcStats.withChildren(self)).startsWith(self);
        assertThat(ProcStats.preemptions(List.of(self))).isNotNegative();
        assertThat(ProcStats.preemptions(List.of(Long.MAX_VALUE))).isZero();
    }
}
