package io.eventfeeds.gateway.fanout;

import io.eventfeeds.events.Position;
import io.eventfeeds.gateway.GatewayConfig;
import io.eventfeeds.gateway.protocol.ErrorCode;
import io.eventfeeds.gateway.protocol.Frames;
import io.eventfeeds.gateway.resume.Replayer;
import io.eventfeeds.gateway.security.ConnectionAuth;
import io.eventfeeds.gateway.session.ClientSession;
import io.eventfeeds.gateway.session.ClientSessions;
import io.eventfeeds.security.channels.ChannelPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.OptionalInt;
import org.jboss.logging.Logger;

/**
 * Subscribes connections to channels and routes each consumed event to its channel's subscriptions, and
 * {@code system:*} events to every connection that may read them.
 */
@ApplicationScoped
public class ChannelRouter {

    private static final Logger LOG = Logger.getLogger(ChannelRouter.class);

    /** Namespace whose events reach every open connection, subscribed or not. */
    public static final String BROADCAST_NAMESPACE = "system";

    private final PartitionProgress progress;
    private final Subscriptions subscriptions;
    private final ClientSessions sessions;
    private final Frames frames;
    private final Replayer replayer;
    private final GatewayConfig config;
    private final ChannelPolicy policy;
    private final ConnectionAuth auth;

    public ChannelRouter(PartitionProgress progress, Subscriptions subscriptions, ClientSessions sessions,
            Frames frames, Replayer replayer, GatewayConfig config, ChannelPolicy policy, ConnectionAuth auth) {
        this.policy = policy;
        this.auth = auth;
        this.progress = progress;
        this.subscriptions = subscriptions;
        this.sessions = sessions;
        this.frames = frames;
        this.replayer = replayer;
        this.config = config;
    }

    /**
     * Subscribes, answering with the {@code subscribed} frame itself (so no event can overtake it); with
     * {@code since}, replays what the client missed first. Permission checks are the caller's.
     *
     * @return why not, when the subscription was refused
     */
    public Optional<Refusal> subscribe(ClientSession session, String channel, Position since, String ref) {
        OptionalInt partition = progress.partitionOf(channel);
        if (partition.isEmpty()) {
            return Optional.of(new Refusal(ErrorCode.NOT_READY,
                    "the gateway is still connecting to Kafka; retry in a moment"));
        }
        int p = partition.getAsInt();
        if (since != null && since.partition() != p) {
            return Optional.of(new Refusal(ErrorCode.BAD_REQUEST,
                    "since: position " + since + " is not a position of channel " + channel));
        }
        Subscription existing = session.subscriptions().get(channel);
        if (existing == null && session.subscriptions().size() >= config.maxSubscriptions()) {
            return Optional.of(new Refusal(ErrorCode.TOO_MANY_SUBSCRIPTIONS,
                    "at most " + config.maxSubscriptions() + " subscriptions per connection"));
        }
        if (since != null && !replayer.reserve(session)) {
            // Before the existing subscription is replaced: a refused resume leaves the connection as it was.
            return Optional.of(new Refusal(ErrorCode.RATE_LIMITED, "too many replays pending (at most "
                    + config.resume().maxPendingPerConnection() + " per connection); subscribe again in a moment"));
        }
        if (existing != null) {
            remove(existing);
        }
        PartitionProgress.State state = progress.state(p);
        if (since == null) {
            synchronized (state) {
                long last = state.lastDispatched == PartitionProgress.UNKNOWN ? -1 : state.lastDispatched;
                Subscription subscription = Subscription.live(session, channel, p, last);
                register(subscription);
                session.send(frames.subscribed(channel, last >= 0 ? new Position(p, last) : null));
            }
        } else {
            Subscription subscription;
            long liveAfter;
            synchronized (state) {
                liveAfter = state.lastDispatched;
                subscription = Subscription.replaying(session, channel, p, since.offset(),
                        config.resume().maxBufferedEvents());
                register(subscription);
            }
            replayer.replay(subscription, since.offset(), liveAfter, ref, this::remove);
        }
        return Optional.empty();
    }

    public void unsubscribe(ClientSession session, String channel) {
        Subscription subscription = session.subscriptions().get(channel);
        if (subscription != null) {
            remove(subscription);
        }
    }

    /** Ends every subscription of a connection (closed, or dropped as too slow). */
    public void unsubscribeAll(ClientSession session) {
        session.subscriptions().values().forEach(this::remove);
    }

    /** Ends a subscription that cannot go on (its replay failed). */
    public void remove(Subscription subscription) {
        subscription.cancel();
        subscriptions.remove(subscription);
        subscription.session().subscriptions().remove(subscription.channel(), subscription);
    }

    /**
     * Sends one consumed event to its subscribers; {@code frame} is null for a record that is no event (it still
     * moves the partition's progress on). The frame is one string shared by every recipient.
     */
    public void dispatch(String channel, int partition, long offset, String frame) {
        PartitionProgress.State state = progress.state(partition);
        boolean elsewhere = false;
        synchronized (state) {
            if (offset > state.lastDispatched) {
                state.lastDispatched = offset;
            }
            if (frame != null && channel != null) {
                for (Subscription subscription : subscriptions.of(channel)) {
                    // A record of the channel on another partition than the channel's own (a producer with its
                    // own partitioner, or a topic whose partition count changed) is not in the log a resume reads,
                    // and its offset counts in another partition: comparing it with lastSent would drop it or,
                    // worse, move lastSent past events of the channel's partition still to come. Subscribers get
                    // exactly the channel's partition, the same events live and replayed.
                    if (subscription.partition() != partition) {
                        elsewhere = true;
                        continue;
                    }
                    subscription.offerLive(offset, frame);
                }
            }
        }
        if (elsewhere) {
            LOG.warnf("skipping record of %s at %s for its subscribers: the channel's partition is %d", channel,
                    new Position(partition, offset), progress.partitionOf(channel).orElse(-1));
        }
        if (frame != null && channel != null && channel.startsWith(BROADCAST_NAMESPACE + ":")) {
            broadcast(channel, frame);
        }
    }

    /** To every connection not subscribed to the channel (subscribers got it already) that may read it. */
    private void broadcast(String channel, String frame) {
        ChannelPolicy.Lookup lookup = policy.lookup(channel);
        if (!lookup.found()) {
            return;
        }
        for (ClientSession session : sessions.all()) {
            if (!session.subscriptions().containsKey(channel)
                    && policy.mayRead(auth.identity(session.connection()), lookup.channel())) {
                session.sendEvent(frame);
            }
        }
    }

    private void register(Subscription subscription) {
        subscriptions.add(subscription);
        subscription.session().subscriptions().put(subscription.channel(), subscription);
    }

    /** A refused subscription: the error frame's code and message. */
    public record Refusal(ErrorCode code, String message) {
    }
}
