package io.eventfeeds.gateway;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A WebSocket client that writes frames byte for byte, for what well-behaved clients cannot send (java.net.http
 * encodes every text frame as valid UTF-8). Plain ws:// only.
 */
final class RawWebSocket implements AutoCloseable {

    private static final byte[] MASK = {0x11, 0x22, 0x33, 0x44};
    /** RFC 6455's own sample nonce: any 16 bytes in base64 will do. */
    private static final String SAMPLE_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawWebSocket open(URI uri, String bearerToken) throws IOException {
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        RawWebSocket ws = new RawWebSocket(socket);
        String request = "GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                + SAMPLE_KEY + "\r\nAuthorization: Bearer " + bearerToken + "\r\n\r\n";
        ws.out.write(request.getBytes(StandardCharsets.US_ASCII));
        ws.out.flush();
        String status = ws.readHeaders();
        if (!status.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("handshake refused: " + status);
        }
        return ws;
    }

    /**
     * The start of a masked text frame that says it carries {@code length} bytes, and only the first of them: enough
     * for a server to refuse it by its header. (Sending all of it races the server's close: bytes it never reads make
     * its kernel answer with a reset, which can discard the close frame before the client reads it.)
     */
    void sendTextHeader(long length, byte[] start) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        frame.write(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8) {
            frame.write((int) (length >> shift) & 0xff);
        }
        frame.write(MASK);
        for (int i = 0; i < start.length; i++) {
            frame.write(start[i] ^ MASK[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** A masked, final text frame carrying exactly these bytes (fewer than 126). */
    void sendText(byte[] payload) throws IOException {
        if (payload.length >= 126) {
            throw new IllegalArgumentException("small frames only: " + payload.length + " bytes");
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        frame.write(0x80 | payload.length);
        frame.write(MASK);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ MASK[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Reads frames until the server's close frame and returns its status code (1005 when it has none). */
    int closeCode(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        while (true) {
            int first = in.readUnsignedByte();
            int length = in.readUnsignedByte() & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = (int) in.readLong();
            }
            byte[] payload = in.readNBytes(length);
            if ((first & 0x0f) == 0x8) {
                return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
            }
        }
    }

    private String readHeaders() throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
