package io.eventfeeds.runtime.kafka;

import java.nio.file.Path;

/**
 * One KRaft node that is both broker and controller: clients reach it on {@code host:port}, the other nodes' controllers
 * on loopback {@code controllerPort}. Its log lives in {@code dataDir}.
 */
public record KafkaNode(int id, String host, int port, int controllerPort, Path dataDir) {

    public String address() {
        return host + ":" + port;
    }

    /** Formatted storage has this file; the broker refuses to start without it. */
    public boolean isFormatted() {
        return dataDir.resolve("meta.properties").toFile().isFile();
    }
}
