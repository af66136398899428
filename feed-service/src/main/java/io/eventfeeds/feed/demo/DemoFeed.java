package io.eventfeeds.feed.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfeeds.feed.publish.EventPublisher;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * Live demo data as soon as the platform is up: a basketball game on {@code scores:game-1} and moving prices on
 * {@code stocks:*}. It publishes through {@link EventPublisher}, the same path (channel policy, write permission,
 * Kafka acknowledgement) as any REST publisher, as the identity {@value #PUBLISHER} with the publisher role.
 */
@ApplicationScoped
public class DemoFeed {

    public static final String PUBLISHER = "demo-feed";

    private static final Logger LOG = Logger.getLogger(DemoFeed.class);

    private final DemoFeedConfig config;
    private final EventPublisher publisher;
    private final ObjectMapper json;
    private final SecurityIdentity identity = QuarkusSecurityIdentity.builder()
            .setPrincipal(new QuarkusPrincipal(PUBLISHER)).addRole("publisher").build();
    private volatile Cancellable ticking;

    public DemoFeed(DemoFeedConfig config, EventPublisher publisher, ObjectMapper json) {
        this.config = config;
        this.publisher = publisher;
        this.json = json;
    }

    void start(@Observes StartupEvent started) {
        if (config.enabled()) {
            start(config.interval(), config.gameChannel(), config.stocks());
        }
    }

    /** Starts ticking (tests call this directly, so that they need no application restart with the feed on). */
    public synchronized void start(Duration interval, String gameChannel, List<String> symbols) {
        stopTicking();
        RandomGenerator random = RandomGenerator.getDefault();
        BasketballGame game = new BasketballGame("Harbor Hawks", "Valley Comets", random);
        List<Map.Entry<String, StockTicker>> stocks = new ArrayList<>();
        for (String symbol : symbols) {
            stocks.add(Map.entry("stocks:" + symbol, new StockTicker(symbol, 50 + random.nextDouble() * 250, random)));
        }
        LOG.infof("demo feed on: %s and %d stocks every %s", gameChannel, stocks.size(), interval);
        // Ticks that arrive while the previous tick's events still wait for Kafka are dropped, not queued: a demo
        // need not catch up after an outage, and nothing piles up in memory.
        ticking = Multi.createFrom().ticks().every(interval)
                .onOverflow().drop()
                .onItem().transformToUniAndConcatenate(tick -> {
                    List<Uni<Object>> writes = new ArrayList<>();
                    writes.add(publish(gameChannel, "score", game.tick()));
                    stocks.forEach(stock -> writes.add(publish(stock.getKey(), "price", stock.getValue().tick())));
                    return Uni.join().all(writes).andCollectFailures().replaceWithVoid()
                            .onFailure().recoverWithItem(failure -> {
                                LOG.warnf("demo feed tick not published: %s", failure.getMessage());
                                return null;
                            });
                })
                .subscribe().with(ignored -> { }, failure -> LOG.error("demo feed stopped", failure));
    }

    public synchronized void stopTicking() {
        Cancellable running = ticking;
        ticking = null;
        if (running != null) {
            running.cancel();
        }
    }

    void stop(@Observes ShutdownEvent stopping) {
        stopTicking();
    }

    private Uni<Object> publish(String channel, String type, Map<String, Object> data) {
        JsonNode node = json.valueToTree(data);
        return publisher.publish(channel, "channel", type, node, identity).map(accepted -> accepted);
    }
}
