package io.eventfeeds.gateway.protocol;

import io.quarkus.websockets.next.CloseReason;

/** WebSocket close codes the gateway sends (docs/protocol.md). */
public final class CloseCodes {

    /** The gateway is shutting down: reconnect (to another instance) and resume by position. */
    public static final CloseReason GOING_AWAY = new CloseReason(1001, "server shutting down; reconnect and resume");
    /** A binary frame: the protocol is JSON text frames only (RFC 6455 7.4.1, unsupported data). */
    public static final CloseReason UNSUPPORTED_DATA = new CloseReason(1003, "binary frames are not accepted; send JSON text frames");
    /**
     * The client kept sending frames far beyond its budget ({@code feeds.gateway.client-frames.*}): RFC 6455's policy
     * violation. It may reconnect, and should send less.
     */
    public static final CloseReason FLOODING = new CloseReason(1008, "too many frames; send fewer");
    /** The client did not read fast enough; its queue overflowed. It may reconnect and resume by position. */
    public static final CloseReason TOO_SLOW = new CloseReason(4008, "too slow; reconnect and resume by position");

    /** Nothing, not even a pong, came from the client within the idle timeout. It may reconnect and resume. */
    public static final CloseReason SILENT = new CloseReason(4009, "no frame or pong within the idle timeout");

    /**
     * The connection's token expired without an in-band refresh, or its API key was revoked or could not be
     * re-checked (that close keeps the code and says why in its own reason). 4401 mirrors HTTP 401 in the
     * private-use range.
     */
    public static final CloseReason TOKEN_EXPIRED = new CloseReason(4401, "token expired");

    /**
     * The caller already holds its cap of connections: only when two handshakes raced past the handshake's own
     * check, which answers HTTP 429 before upgrading. 4429 mirrors that 429.
     */
    public static final CloseReason TOO_MANY_CONNECTIONS = new CloseReason(4429,
            "too many open connections for this caller");

    private CloseCodes() {
    }
}
