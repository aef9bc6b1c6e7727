package io.voiceagent.core.avatar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AvatarProtocolTest {

    @Test
    void parsesEveryMessageOfTheProtocol() {
        assertThat(AvatarProtocol.parse("{\"type\": \"segment_end\"}")).isInstanceOf(AvatarProtocol.SegmentEnd.class);
        assertThat(AvatarProtocol.parse(AvatarProtocol.SEGMENT_END)).isInstanceOf(AvatarProtocol.SegmentEnd.class);
        assertThat(AvatarProtocol.parse("INTERRUPT")).isInstanceOf(AvatarProtocol.Interrupt.class);
        assertThat(AvatarProtocol.parse("  INTERRUPT\n")).isInstanceOf(AvatarProtocol.Interrupt.class);
        assertThat(AvatarProtocol.parse("{\"type\":\"interrupt\"}")).isInstanceOf(AvatarProtocol.Interrupt.class);
        assertThat(AvatarProtocol.parse("{\"type\": \"stream_ended\", \"data\": {\"playback_position\": 1.25,"
                + " \"interrupted\": true}}")).isEqualTo(new AvatarProtocol.StreamEnded(Duration.ofMillis(1250), true));
    }

    @Test
    void streamEndedRoundTripsAtMillisecondPrecision() {
        String s = AvatarProtocol.streamEnded(Duration.ofMillis(2340), false);
        assertThat(s).isEqualTo("{\"type\":\"stream_ended\",\"data\":{\"playback_position\":2.340,\"interrupted\":false}}");
        assertThat(AvatarProtocol.parse(s)).isEqualTo(new AvatarProtocol.StreamEnded(Duration.ofMillis(2340), false));
    }

    @Test
    void anythingElseIsMalformedOrUnknownAndNeverThrows() {
        assertThat(AvatarProtocol.parse("{not json")).isInstanceOf(AvatarProtocol.Malformed.class);
        assertThat(AvatarProtocol.parse("interrupt")).as("the bare form is upper case").isInstanceOf(
                AvatarProtocol.Malformed.class);
        assertThat(AvatarProtocol.parse("[1,2]")).isInstanceOf(AvatarProtocol.Malformed.class);
        assertThat(AvatarProtocol.parse("{\"type\": 7}")).isInstanceOf(AvatarProtocol.Malformed.class);
        assertThat(AvatarProtocol.parse("")).isInstanceOf(AvatarProtocol.Malformed.class);
        assertThat(AvatarProtocol.parse(null)).isInstanceOf(AvatarProtocol.Malformed.class);
        assertThat(AvatarProtocol.parse("x".repeat(5000))).isInstanceOf(AvatarProtocol.Malformed.class);
        assertThat(AvatarProtocol.parse("{\"type\":\"stream_ended\",\"data\":{\"playback_position\":\"1\","
                + "\"interrupted\":false}}")).isInstanceOf(AvatarProtocol.Malformed.class);
        assertThat(AvatarProtocol.parse("{\"type\":\"stream_ended\",\"data\":{\"playback_position\":-1,"
                + "\"interrupted\":false}}")).isInstanceOf(AvatarProtocol.Malformed.class);
        assertThat(AvatarProtocol.parse("{\"type\":\"stream_ended\"}")).isInstanceOf(AvatarProtocol.Malformed.class);
        assertThat(AvatarProtocol.parse("{\"type\":\"dance\"}")).isEqualTo(new AvatarProtocol.Unknown("dance"));
    }
}
