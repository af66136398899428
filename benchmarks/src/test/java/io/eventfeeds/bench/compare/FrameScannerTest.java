package io.eventfeeds.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameScannerTest {

    private static ByteBuf frame(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    @Test
    void findsSequenceTimestampAndPositionInAGatewayFrame() {
        ByteBuf frame = frame("{\"type\":\"event\",\"channel\":\"scores:bench-1\",\"id\":\"7a1f\",\"event_type\":\"bench\","
                + "\"position\":\"2-1042\",\"ts\":1764041234567,\"publisher\":\"bench\","
                + "\"data\":{\"bench_seq\":41,\"bench_t\":1764041234567890}}");

        assertThat(FrameScanner.longAfter(frame, FrameScanner.SEQ)).isEqualTo(41);
        assertThat(FrameScanner.longAfter(frame, FrameScanner.SENT_MICROS)).isEqualTo(1764041234567890L);
        assertThat(FrameScanner.stringAfter(frame, FrameScanner.POSITION)).isEqualTo("2-1042");
        assertThat(FrameScanner.contains(frame, FrameScanner.SUBSCRIBED)).isFalse();
    }

    @Test
    void findsFieldsInTheRawBodyNchanDeliversWithSpaces() {
        ByteBuf frame = frame(Target.eventData(7, 123) + " ");
        assertThat(FrameScanner.longAfter(frame, FrameScanner.SEQ)).isEqualTo(7);
        assertThat(FrameScanner.longAfter(frame, FrameScanner.SENT_MICROS)).isEqualTo(123);
        assertThat(FrameScanner.longAfter(frame("{\"bench_seq\":  12 }"), FrameScanner.SEQ)).isEqualTo(12);
    }

    @Test
    void aMissingKeyOrValueIsMissingNotZero() {
        assertThat(FrameScanner.longAfter(frame("{\"type\":\"pong\"}"), FrameScanner.SEQ)).isEqualTo(FrameScanner.MISSING);
        assertThat(FrameScanner.longAfter(frame("{\"bench_seq\":\"x\"}"), FrameScanner.SEQ)).isEqualTo(FrameScanner.MISSING);
        assertThat(FrameScanner.longAfter(frame("{\"bench_seq\":"), FrameScanner.SEQ)).isEqualTo(FrameScanner.MISSING);
        assertThat(FrameScanner.stringAfter(frame("{\"type\":\"subscribed\",\"position\":null}"), FrameScanner.POSITION)).isNull();
    }

    @Test
    void aPartialMatchBeforeTheKeyDoesNotHideIt() {
        // "bench_s" starts like the key, then the real key follows; and a key cut off at the end is no match.
        ByteBuf frame = frame("{\"bench_s\":1,\"bench_seq\":5}");
        assertThat(FrameScanner.longAfter(frame, FrameScanner.SEQ)).isEqualTo(5);
        assertThat(FrameScanner.indexAfter(frame("xx\"bench_se"), FrameScanner.SEQ)).isEqualTo(-1);
    }

    @Test
    void scansOnlyTheReadableBytes() {
        ByteBuf whole = frame("{\"bench_seq\":1}{\"bench_seq\":2}");
        ByteBuf second = whole.slice(15, whole.readableBytes() - 15);
        assertThat(FrameScanner.longAfter(second, FrameScanner.SEQ)).isEqualTo(2);
        whole.readerIndex(15);
        assertThat(FrameScanner.longAfter(whole, FrameScanner.SEQ)).isEqualTo(2);
    }

    @Test
    void recognisesSubscribedAndRateLimitedErrors() {
        ByteBuf subscribed = frame("{\"type\":\"subscribed\",\"channel\":\"scores:x\",\"position\":\"0-17\"}");
        assertThat(FrameScanner.contains(subscribed, FrameScanner.SUBSCRIBED)).isTrue();
        assertThat(FrameScanner.stringAfter(subscribed, FrameScanner.POSITION)).isEqualTo("0-17");
        ByteBuf error = frame("{\"type\":\"error\",\"code\":\"rate_limited\",\"channel\":\"scores:x\"}");
        assertThat(FrameScanner.contains(error, FrameScanner.ERROR)).isTrue();
        assertThat(FrameScanner.contains(error, FrameScanner.RATE_LIMITED)).isTrue();
    }
}
