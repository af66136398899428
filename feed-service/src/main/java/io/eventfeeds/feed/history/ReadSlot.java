package io.eventfeeds.feed.history;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One history read in flight for its caller. It is given back once both the read is over (it still holds a Kafka
 * consumer until then, even if the client went away) and its answer is over (sent, failed, or the connection
 * closed; until then the page is in memory). Each side says so once, whatever the outcome.
 */
public final class ReadSlot {

    private final Runnable giveBack;
    private final AtomicInteger sidesOpen = new AtomicInteger(2);
    private final AtomicBoolean readOver = new AtomicBoolean();
    private final AtomicBoolean answerOver = new AtomicBoolean();

    ReadSlot(Runnable giveBack) {
        this.giveBack = giveBack;
    }

    /** Call once the read returned or failed. */
    public void readOver() {
        if (readOver.compareAndSet(false, true)) {
            sideOver();
        }
    }

    /**
     * Watches the request's answer and marks the answer side over when it ends or its connection closes. The
     * watch is set up on the request's event loop, where Vert.x calls end handlers, so that an answer ending at
     * the same moment cannot be missed.
     */
    public void watchAnswer(RoutingContext request) {
        Context current = Vertx.currentContext();
        if (current == null) {
            watchOnEventLoop(request);
        } else {
            current.runOnContext(ignored -> watchOnEventLoop(request));
        }
    }

    private void watchOnEventLoop(RoutingContext request) {
        request.addEndHandler(ended -> answerOver());
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            answerOver();
        }
    }

    private void answerOver() {
        if (answerOver.compareAndSet(false, true)) {
            sideOver();
        }
    }

    private void sideOver() {
        if (sidesOpen.decrementAndGet() == 0) {
            giveBack.run();
        }
    }
}
