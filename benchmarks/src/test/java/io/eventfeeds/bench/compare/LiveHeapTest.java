package io.eventfeeds.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveHeapTest {

    @Test
    void theTotalLineOfAClassHistogramGivesTheLiveBytes() {
        String histogram = String.join("\n",
                "30506:",
                " num     #instances         #bytes  class name (module)",
                "-------------------------------------------------------",
                "   1:        427570       32300504  [B (java.base@17.0.15)",
                "   2:        387555        9301320  java.lang.String (java.base@17.0.15)",
                "Total       2927781      129185624",
                "");

        assertThat(LiveHeap.totalBytes(histogram)).hasValue(129_185_624L);
    }

    @Test
    void anAnswerWithoutAHistogramGivesNothing() {
        assertThat(LiveHeap.totalBytes("14756: com.sun.tools.attach.AttachNotSupportedException: "
                + "Unable to open socket file")).isEmpty();
    }

    /**
     * jcmd sends SIGQUIT to a target that catches it, as nginx's master does (for a graceful shutdown; this ended
     * nginx in the first run): a process that is no JVM is left alone. The stand-in is a Python process that exits
     * on SIGQUIT (a shell cannot trap it when it was ignored on entry), with SIGQUIT unblocked (a child of the JVM
     * inherits the JVM's mask, which blocks it), asked once its handler is set.
     */
    @Test
    void aProcessThatIsNotAJvmHasNoLiveHeapAndIsNotSignalled() throws Exception {
        Process standIn;
        try {
            standIn = new ProcessBuilder("python3", "-c", "import signal, sys, time\n"
                    + "signal.signal(signal.SIGQUIT, lambda *_: sys.exit(3))\n"
                    + "signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGQUIT})\n"
                    + "print('ready', flush=True)\n"
                    + "time.sleep(60)\n").start();
        } catch (IOException e) {
            Assumptions.abort("python3 is not installed: " + e.getMessage());
            return;
        }
        try (BufferedReader out = new BufferedReader(new InputStreamReader(standIn.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("ready");

            assertThat(LiveHeap.bytes(List.of(standIn.pid()))).isEqualTo(OptionalLong.empty());
            assertThat(LiveHeap.bytes(List.of())).isEmpty();
            assertThat(standIn.isAlive()).isTrue();
        } finally {
            standIn.destroyForcibly();
        }
    }

    @Test
    void aJvmIsToldByTheLibraryItMaps(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("41"));
        Files.writeString(proc.resolve("41/maps"), String.join("\n",
                "7f3a2c000000-7f3a2c021000 r--p 00000000 fd:01 1234 /usr/lib/x86_64-linux-gnu/libc.so.6",
                "7f3a2d000000-7f3a2e000000 r-xp 00000000 fd:01 5678 /usr/lib/jvm/java-17/lib/server/libjvm.so",
                ""));
        Files.createDirectories(proc.resolve("42"));
        Files.writeString(proc.resolve("42/maps"),
                "55d1c0000000-55d1c0100000 r-xp 00000000 fd:01 9 /usr/sbin/nginx\n");

        assertThat(LiveHeap.isJvm(proc, 41)).isTrue();
        assertThat(LiveHeap.isJvm(proc, 42)).isFalse();
        assertThat(LiveHeap.isJvm(proc, 43)).isFalse();
    }

    @Test
    void thisJvmAnswersWithAHeapOfSomeBytes() {
        OptionalLong bytes = LiveHeap.bytes(List.of(ProcessHandle.current().pid()));

        assertThat(bytes).isPresent();
        assertThat(bytes.getAsLong()).isPositive();
    }
}
