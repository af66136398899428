package io.eventfeeds.gateway.resume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FairReplayPoolTest {

    private FairReplayPool pool;

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void ownersTakeTurnsSoACallerWithManyTasksDoesNotMakeTheOthersWaitBehindAllOfThem() throws Exception {
        pool = new FairReplayPool(1, 1, "test");
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        pool.execute("x", () -> {
            started.countDown();
            await(gate);
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(5);
        for (String[] task : List.of(new String[] {"alice", "a1"}, new String[] {"alice", "a2"},
                new String[] {"alice", "a3"}, new String[] {"bob", "b1"}, new String[] {"carol", "c1"})) {
            pool.execute(task[0], () -> {
                order.add(task[1]);
                done.countDown();
            });
        }
        assertThat(pool.queued()).isEqualTo(5);

        gate.countDown();

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("a1", "b1", "c1", "a2", "a3");
    }

    @Test
    void anOwnerHoldsAtMostItsShareOfThreadsWhileItsTasksBlock() throws Exception {
        pool = new FairReplayPool(3, 1, "test");
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch firstStarted = new CountDownLatch(1);
        pool.execute("alice", () -> {
            firstStarted.countDown();
            await(stuck);
        });
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        pool.execute("alice", () -> await(stuck));
        AtomicInteger runningWhenBobRan = new AtomicInteger(-1);
        CountDownLatch bobDone = new CountDownLatch(1);
        // In line after alice's second task: had alice no cap, that one would be taken first.
        pool.execute("bob", () -> {
            runningWhenBobRan.set(pool.running());
            bobDone.countDown();
        });

        assertThat(bobDone.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(runningWhenBobRan.get()).as("alice's first task and bob's").isEqualTo(2);
        assertThat(pool.queued()).as("alice's second task waits for her first").isEqualTo(1);
        stuck.countDown();
    }

    @Test
    void afterShutdownQueuedTasksNeverRunRunningOnesAreInterruptedAndNewOnesAreRefused() throws Exception {
        pool = new FairReplayPool(1, 1, "test");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        pool.execute("alice", () -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicInteger ran = new AtomicInteger();
        pool.execute("bob", ran::incrementAndGet);

        pool.shutdownNow();

        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> pool.execute("carol", ran::incrementAndGet))
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(ran).hasValue(0);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
