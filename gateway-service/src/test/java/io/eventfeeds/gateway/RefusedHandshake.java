package io.eventfeeds.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole HTTP answer to a WebSocket handshake, body included: java.net.http's WebSocket client keeps only a
 * refusal's status and headers. Plain ws:// only.
 */
public record RefusedHandshake(int status, Map<String, String> headers, String body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Sends an upgrade request to {@code uri} with {@code headers} (e.g. Authorization, Origin) and reads the answer. */
    public static RefusedHandshake of(URI uri, Map<String, String> headers, Duration timeout) throws IOException {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(RawWebSocket.handshake(uri, headers));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int status = Integer.parseInt(readLine(in).split(" ")[1]);
            Map<String, String> answered = new TreeMap<>();
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                answered.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            byte[] body = new byte[Integer.parseInt(answered.getOrDefault("content-length", "0"))];
            in.readFully(body);
            return new RefusedHandshake(status, answered, new String(body, StandardCharsets.UTF_8));
        }
    }

    /** The header's value, names compared without case; null when absent. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public JsonNode problem() throws IOException {
        return JSON.readTree(body);
    }

    private static String readLine(DataInputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the server closed the connection mid-answer");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
