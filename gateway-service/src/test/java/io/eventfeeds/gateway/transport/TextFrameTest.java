package io.eventfeeds.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A frame framed once is what a WebSocket client decodes, at each length encoding, however often it is written. */
class TextFrameTest {

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 125, 126, 127, 65_535, 65_536, 200_000})
    void aSharedFrameWrittenTwiceDecodesTwiceToTheSameText(int length) {
        String text = "é".repeat(length / 2) + "x".repeat(length % 2);
        ByteBuf frame = TextFrame.shared(text.getBytes(StandardCharsets.UTF_8));

        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(false).maxFramePayloadLength(1 << 20).build()));
        client.writeInbound(frame.duplicate());
        client.writeInbound(frame.duplicate());

        for (int copy = 0; copy < 2; copy++) {
            TextWebSocketFrame decoded = client.readInbound();
            assertThat(decoded.isFinalFragment()).isTrue();
            assertThat(decoded.text()).isEqualTo(text);
            decoded.release();
        }
        assertThat(frame.refCnt()).as("still whole for the next recipient").isEqualTo(1);
        assertThat(new String(TextFrame.payload(frame), StandardCharsets.UTF_8)).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {3, 300, 70_000})
    void aReplyFrameDecodesToItsText(int length) {
        String text = "y".repeat(length);
        ByteBuf frame = TextFrame.single(ByteBufAllocator.DEFAULT, text.getBytes(StandardCharsets.UTF_8));
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(false).maxFramePayloadLength(1 << 20).build()));
        client.writeInbound(frame);
        TextWebSocketFrame decoded = client.readInbound();
        assertThat(decoded.text()).isEqualTo(text);
        decoded.release();
    }
}
