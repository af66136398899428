package io.eventfeeds.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The nchan side of the comparison does the same keepalive work as the gateway. */
class NchanConfigTest {

    private static final Path REPOSITORY = Path.of("..");
    private static final Pattern NCHAN_PING = Pattern.compile("^\\s*nchan_websocket_ping_interval\\s+(\\d+)\\s*;",
            Pattern.MULTILINE);

    @Test
    void nchanPingsSubscribersAsOftenAsTheGateway() throws IOException {
        String nginx = Files.readString(REPOSITORY.resolve("benchmarks/nchan/nginx.conf"));
        Matcher ping = NCHAN_PING.matcher(nginx);
        assertThat(ping.find()).as("nchan_websocket_ping_interval in benchmarks/nchan/nginx.conf").isTrue();

        Properties gateway = new Properties();
        try (Reader in = Files.newBufferedReader(
                REPOSITORY.resolve("gateway-service/src/main/resources/application.properties"))) {
            gateway.load(in);
        }
        String interval = gateway.getProperty("quarkus.websockets-next.server.auto-ping-interval");
        assertThat(interval).as("the gateway's auto-ping interval").isNotNull();

        assertThat(Duration.ofSeconds(Long.parseLong(ping.group(1))))
                .isEqualTo(Duration.parse("PT" + interval));
    }
}
