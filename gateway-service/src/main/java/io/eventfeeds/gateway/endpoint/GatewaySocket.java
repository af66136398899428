package io.eventfeeds.gateway.endpoint;

import io.eventfeeds.gateway.ops.GracefulShutdown;
import io.eventfeeds.gateway.protocol.CloseCodes;
import io.eventfeeds.gateway.protocol.ErrorCode;
import io.eventfeeds.gateway.protocol.Frames;
import io.eventfeeds.gateway.protocol.Handshakes;
import io.eventfeeds.gateway.security.ConnectionAuth;
import io.eventfeeds.gateway.security.ConnectionsPerCaller;
import io.eventfeeds.gateway.session.ClientSession;
import io.eventfeeds.gateway.session.ClientSessions;
import io.eventfeeds.gateway.session.FrameBudget;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPingMessage;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;
import org.jboss.logging.Logger;

/** The one WebSocket endpoint: JSON text frames, one message per frame (docs/protocol.md). */
@Authenticated
@WebSocket(path = Handshakes.PATH)
public class GatewaySocket {

    private static final Logger LOG = Logger.getLogger(GatewaySocket.class);

    private final ClientSessions sessions;
    private final ClientOps ops;
    private final ConnectionAuth auth;
    private final CurrentIdentityAssociation identity;
    private final Frames frames;
    private final GracefulShutdown shutdown;
    private final ConnectionsPerCaller connectionsPerCaller;

    public GatewaySocket(ClientSessions sessions, ClientOps ops, ConnectionAuth auth,
            CurrentIdentityAssociation identity, Frames frames, GracefulShutdown shutdown,
            ConnectionsPerCaller connectionsPerCaller) {
        this.shutdown = shutdown;
        this.connectionsPerCaller = connectionsPerCaller;
        this.sessions = sessions;
        this.ops = ops;
        this.auth = auth;
        this.identity = identity;
        this.frames = frames;
    }

    @OnOpen
    @NonBlocking
    public void onOpen(WebSocketConnection connection) {
        if (shutdown.isShuttingDown()) {
            connection.close(CloseCodes.GOING_AWAY).subscribe().with(ok -> { }, failure -> { });
            return;
        }
        auth.opened(connection, identity.getIdentity());
        if (!connectionsPerCaller.opened(connection, auth.identity(connection))) {
            connection.close(CloseCodes.TOO_MANY_CONNECTIONS).subscribe().with(ok -> { }, failure -> { });
            return;
        }
        sessions.open(connection, () -> auth.identity(connection), auth.validUntilMillis(connection));
    }

    @OnTextMessage
    @NonBlocking
    public void onFrame(String text, WebSocketConnection connection) {
        sessions.of(connection).ifPresent(session -> {
            session.heard();
            switch (session.admitFrame()) {
                case ADMIT -> ops.handle(session, connection, text);
                case REFUSE_AND_TELL -> session.send(frames.error(ErrorCode.RATE_LIMITED, "more frames than this "
                        + "connection may send; frames are dropped unread until it slows down", null));
                case REFUSE -> { }
                case CLOSE -> session.closeAsFlooding();
            }
        });
    }

    /**
     * The protocol has no binary frames; a client that sends one speaks another protocol, and an error frame would
     * not help it. Closed the way RFC 6455 says for data an endpoint cannot accept.
     */
    @OnBinaryMessage
    @NonBlocking
    public void onBinary(Buffer data, WebSocketConnection connection) {
        connection.close(CloseCodes.UNSUPPORTED_DATA).subscribe().with(ok -> { }, failure -> { });
    }

    /** The answer to the server's automatic pings: the client is alive even when it sends nothing. */
    @OnPongMessage
    @NonBlocking
    public void onPong(Buffer data, WebSocketConnection connection) {
        heardControlFrame(connection);
    }

    /** Vert.x answers pings by itself; they are counted so that a ping flood costs the flooder, not everyone. */
    @OnPingMessage
    @NonBlocking
    public void onPing(Buffer data, WebSocketConnection connection) {
        heardControlFrame(connection);
    }

    private void heardControlFrame(WebSocketConnection connection) {
        sessions.of(connection).ifPresent(session -> {
            session.heard();
            chargeControlFrame(session);
        });
    }

    /** Control frames have no answer of their own to refuse with: over the budget they only count towards the close. */
    private static void chargeControlFrame(ClientSession session) {
        if (session.admitFrame() == FrameBudget.Verdict.CLOSE) {
            session.closeAsFlooding();
        }
    }

    @OnError
    public void onError(WebSocketConnection connection, Throwable failure) {
        LOG.debugf(failure, "error on connection %s", connection.id());
        sessions.of(connection).ifPresent(session -> session.send(frames.error(ErrorCode.BAD_REQUEST,
                "frame could not be processed", null)));
    }

    @OnClose
    @NonBlocking
    public void onClose(WebSocketConnection connection) {
        sessions.remove(connection);
        auth.closed(connection);
        connectionsPerCaller.closed(connection);
    }
}
