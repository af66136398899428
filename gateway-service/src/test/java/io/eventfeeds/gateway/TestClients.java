package io.eventfeeds.gateway;

import static io.eventfeeds.testsupport.ManagementPortTestResource.management;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfeeds.events.EventTopics;
import io.eventfeeds.testsupport.SharedServers;
import io.eventfeeds.testsupport.Tokens;
import io.eventfeeds.testsupport.WsTestClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the gateway tests share: cached tokens, a ready gateway, a plain Kafka producer for many events. */
final class TestClients {

    static final Duration WAIT = Duration.ofSeconds(20);

    private static final Map<String, Cached> TOKENS = new ConcurrentHashMap<>();
    private static KafkaProducer<String, String> producer;

    private TestClients() {
    }

    /** A token of the demo user, reused while it has more than two minutes left. */
    static String token(String user) {
        Cached cached = TOKENS.get(user);
        if (cached == null || cached.fresh.isBefore(Instant.now())) {
            Tokens.TokenResponse response = Tokens.password(user);
            cached = new Cached(response.accessToken(),
                    Instant.now().plusSeconds(Math.max(0, response.expiresInSeconds() - 120)));
            TOKENS.put(user, cached);
        }
        return cached.token;
    }

    static WsTestClient connect(URI ws, String user) {
        return WsTestClient.connect(ws, token(user));
    }

    /** Waits until readiness says the fan-out consumer has its partitions. */
    static void awaitReady() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().get(management("health/ready")).statusCode() == 200);
    }

    static JsonNode subscribe(WsTestClient client, String channel) {
        client.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\"}");
        return client.awaitFrame(f -> "subscribed".equals(f.path("type").asText())
                && channel.equals(f.path("channel").asText()), WAIT);
    }

    static JsonNode awaitEvent(WsTestClient client, String channel, String id) {
        return client.awaitFrame(f -> "event".equals(f.path("type").asText()) && channel.equals(f.path("channel").asText())
                && id.equals(f.path("id").asText()), WAIT);
    }

    static String envelope(String channel, String id, String data) {
        return "{\"id\":\"" + id + "\",\"channel\":\"" + channel + "\",\"data\":" + data + ",\"ts\":"
                + System.currentTimeMillis() + ",\"publisher\":\"test-producer\"}";
    }

    /** Writes events with one plain Kafka producer (acks=all), as a publisher outside the project would. */
    static List<RecordMetadata> produce(String channel, List<String> envelopes) {
        return produceTo(null, channel, envelopes);
    }

    /** As {@link #produce}, to a given partition (null: the one the key hashes to), as a custom partitioner would. */
    static synchronized List<RecordMetadata> produceTo(Integer partition, String channel, List<String> envelopes) {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (String envelope : envelopes) {
            sent.add(producer.send(new ProducerRecord<>(EventTopics.EVENTS, partition, channel, envelope)));
        }
        List<RecordMetadata> written = new ArrayList<>();
        for (Future<RecordMetadata> future : sent) {
            try {
                written.add(future.get(30, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new IllegalStateException("cannot write to " + EventTopics.EVENTS, e);
            }
        }
        return written;
    }

    private record Cached(String token, Instant fresh) {
    }
}
