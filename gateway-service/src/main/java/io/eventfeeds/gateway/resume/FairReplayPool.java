package io.eventfeeds.gateway.resume;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * The replay threads, shared fairly: work is queued per owner (a caller, or a partition's shared read), and the
 * threads serve the owners in turn, one task per turn, so that a caller with many replays waiting does not make
 * everyone else's wait behind all of them. No owner runs more than {@code perOwner} tasks at once, so a caller whose
 * replays block (on a stalled client, on long reads) holds at most that many threads. Replay work re-queues itself
 * in slices (Replayer), so a long replay takes turns too.
 *
 * <p>A plain monitor guards the queues: replays are not the per-frame path, and a task costs far more than the lock.
 */
final class FairReplayPool {

    private static final Logger LOG = Logger.getLogger(FairReplayPool.class);

    private final int perOwner;
    private final List<Thread> threads = new ArrayList<>();
    private final Map<Object, Owner> owners = new HashMap<>();
    /** Owners with work waiting and a thread to spare, in the order they get their next turn. */
    private final ArrayDeque<Owner> line = new ArrayDeque<>();
    private int queued;
    private int running;
    private boolean shutdown;

    FairReplayPool(int threads, int perOwner, String name) {
        this.perOwner = Math.max(1, perOwner);
        for (int i = 1; i <= threads; i++) {
            Thread thread = new Thread(this::work, name + "-" + i);
            thread.setDaemon(true);
            this.threads.add(thread);
        }
        this.threads.forEach(Thread::start);
    }

    /** Queues the task behind the owner's earlier ones; RejectedExecutionException once the pool is shut down. */
    synchronized void execute(Object owner, Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("the replay threads are shut down");
        }
        Owner turn = owners.computeIfAbsent(owner, Owner::new);
        turn.tasks.addLast(task);
        queued++;
        getInLine(turn);
    }

    /** Tasks waiting for a thread. */
    synchronized int queued() {
        return queued;
    }

    /** Tasks running now. */
    synchronized int running() {
        return running;
    }

    /** Stops the threads, interrupting running tasks; queued tasks never run. */
    void shutdownNow() {
        synchronized (this) {
            shutdown = true;
            notifyAll();
        }
        threads.forEach(Thread::interrupt);
    }

    private void work() {
        while (true) {
            Owner turn;
            Runnable task;
            synchronized (this) {
                while (line.isEmpty() && !shutdown) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // Only shutdownNow interrupts an idle thread: the loop sees shutdown.
                    }
                }
                if (shutdown) {
                    return;
                }
                turn = line.pollFirst();
                turn.inLine = false;
                task = turn.tasks.pollFirst();
                queued--;
                running++;
                turn.running++;
                getInLine(turn);
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.warnf(e, "replay task of %s failed", turn.key);
            } finally {
                synchronized (this) {
                    running--;
                    turn.running--;
                    if (turn.tasks.isEmpty() && turn.running == 0) {
                        owners.remove(turn.key);
                    } else {
                        getInLine(turn);
                    }
                }
                // A task may have been interrupted by shutdownNow; clear it so the next wait does not fail.
                Thread.interrupted();
            }
        }
    }

    /** Puts the owner at the end of the line if it has work waiting and may run more of it. */
    private void getInLine(Owner turn) {
        if (!turn.inLine && !turn.tasks.isEmpty() && turn.running < perOwner) {
            line.addLast(turn);
            turn.inLine = true;
            notify();
        }
    }

    private static final class Owner {
        final Object key;
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        int running;
        boolean inLine;

        Owner(Object key) {
            this.key = key;
        }
    }
}
