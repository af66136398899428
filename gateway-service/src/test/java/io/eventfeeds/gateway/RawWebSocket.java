package io.eventfeeds.gateway;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A WebSocket client that writes frames byte for byte, for what well-behaved clients cannot send (java.net.http
 * encodes every text frame as valid UTF-8). Plain ws:// only.
 */
public final class RawWebSocket implements AutoCloseable {

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

    public static RawWebSocket open(URI uri, String bearerToken) throws IOException {
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        RawWebSocket ws = new RawWebSocket(socket);
        ws.out.write(handshake(uri, Map.of("Authorization", "Bearer " + bearerToken)));
        ws.out.flush();
        String status = ws.readHeaders();
        if (!status.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("handshake refused: " + status);
        }
        return ws;
    }

    /** The bytes of an upgrade request to {@code uri} with {@code headers} besides the WebSocket ones. */
    public static byte[] handshake(URI uri, Map<String, String> headers) {
        StringBuilder request = new StringBuilder("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost()
                + ":" + uri.getPort() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + SAMPLE_KEY + "\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        return request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The start of a masked text frame that says it carries {@code length} bytes, and only the first of them: enough
     * for a server to refuse it by its header. (Sending all of it races the server's close: bytes it never reads make
     * its kernel answer with a reset, which can discard the close frame before the client reads it.)
     */
    public void sendTextHeader(long length, byte[] start) throws IOException {
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
    public void sendText(byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        appendText(frame, payload);
        out.write(frame.toByteArray());
        out.flush();
    }

    /** A masked close frame with status 1000: the client's half of the closing handshake. */
    public void sendClose() throws IOException {
        byte[] status = {0x03, (byte) 0xe8};
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x88);
        frame.write(0x80 | status.length);
        frame.write(MASK);
        for (int i = 0; i < status.length; i++) {
            frame.write(status[i] ^ MASK[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /**
     * Reads until the server ends the TCP connection (after a closing handshake, {@link #sendClose}) and returns the
     * text frames that came meanwhile. The end of the stream is the barrier a negative check waits on.
     */
    public List<String> textsUntilTheEnd(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        List<String> texts = new ArrayList<>();
        while (true) {
            Frame frame;
            try {
                frame = readFrame();
            } catch (EOFException end) {
                return texts;
            }
            if (frame.opcode == 0x1) {
                texts.add(new String(frame.payload, StandardCharsets.UTF_8));
            }
        }
    }

    /** The same small text frame {@code times} times, in as few writes as the socket takes: a flood. */
    public void sendTextRepeatedly(String text, int times) throws IOException {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < times; i++) {
            appendText(frames, payload);
        }
        out.write(frames.toByteArray());
        out.flush();
    }

    private static void appendText(ByteArrayOutputStream frame, byte[] payload) {
        if (payload.length >= 126) {
            throw new IllegalArgumentException("small frames only: " + payload.length + " bytes");
        }
        frame.write(0x81);
        frame.write(0x80 | payload.length);
        frame.write(MASK, 0, MASK.length);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ MASK[i % 4]);
        }
    }

    /** Reads frames until the server's close frame and returns its status code (1005 when it has none). */
    public int closeCode(Duration timeout) throws IOException {
        return awaitClose(timeout).code();
    }

    /**
     * Reads frames until the server's close frame: the text frames before it, and its status code (1005 when it has
     * none). The client answers nothing, like one that ignores the close.
     */
    public Closing awaitClose(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        List<String> texts = new ArrayList<>();
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode == 0x8) {
                byte[] p = frame.payload;
                return new Closing(texts, p.length >= 2 ? ((p[0] & 0xff) << 8) | (p[1] & 0xff) : 1005);
            }
            if (frame.opcode == 0x1) {
                texts.add(new String(frame.payload, StandardCharsets.UTF_8));
            }
        }
    }

    /** Reads the next text frame from the server, skipping control frames; fails at a close frame or the timeout. */
    public String nextText(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode == 0x8) {
                throw new IOException("closed by the server");
            }
            if (frame.opcode == 0x1) {
                return new String(frame.payload, StandardCharsets.UTF_8);
            }
        }
    }

    /** One unmasked, unfragmented frame from the server. */
    private Frame readFrame() throws IOException {
        int first = in.readUnsignedByte();
        int length = in.readUnsignedByte() & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = (int) in.readLong();
        }
        return new Frame(first & 0x0f, in.readNBytes(length));
    }

    private record Frame(int opcode, byte[] payload) {
    }

    /** What the server sent up to and including its close frame. */
    public record Closing(List<String> texts, int code) {
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
