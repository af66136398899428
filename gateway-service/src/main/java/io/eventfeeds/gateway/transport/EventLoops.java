package io.eventfeeds.gateway.transport;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Vert.x's event loops, the threads that own the connections. Each gets a shard of the fan-out when the gateway
 * starts, so that no connection ever waits for one to be made. Vert.x has no public list of them.
 */
public final class EventLoops {

    private EventLoops() {
    }

    /** The event loops; each is the {@link FrameChannel#eventLoop()} of the connections it owns. */
    public static List<Executor> of(Vertx vertx) {
        List<Executor> loops = new ArrayList<>();
        if (vertx instanceof VertxInternal internal) {
            for (EventExecutor loop : internal.getEventLoopGroup()) {
                loops.add(loop);
            }
        }
        return loops;
    }
}
