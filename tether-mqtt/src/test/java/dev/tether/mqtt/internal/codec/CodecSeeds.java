package dev.tether.mqtt.internal.codec;

import static dev.tether.mqtt.ProtocolVersion.V3_1_1;
import static dev.tether.mqtt.ProtocolVersion.V5;

import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Valid packets of every type, for both protocol versions, built through the public records and
 * encoded by {@link PacketEncoder}: the seeds that the fuzz tests mutate and the files of the
 * Jazzer seed corpus. Between them they set every flag and use every property at least once.
 */
final class CodecSeeds {

    /** A named valid packet; the name is also its corpus file name. */
    record Seed(String name, ProtocolVersion version, Packet packet) {

        /** The packet on the wire. */
        byte[] bytes() {
            ByteBuffer encoded = new PacketEncoder(version).encode(packet);
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        }
    }

    private CodecSeeds() {
    }

    static List<Seed> all() {
        List<Seed> all = new ArrayList<>(of(V5));
        all.addAll(of(V3_1_1));
        return all;
    }

    static List<Seed> of(ProtocolVersion version) {
        return version == V5 ? mqtt5() : mqtt311();
    }

    private static List<Seed> mqtt5() {
        List<Seed> seeds = new ArrayList<>();
        add(seeds, V5, "connect-minimal", new Connect(V5, "c", true, 60, Properties.EMPTY, null, null, null));
        Properties connectProperties = Properties.builder()
                .integer(Property.SESSION_EXPIRY_INTERVAL, 3600)
                .integer(Property.RECEIVE_MAXIMUM, 20)
                .integer(Property.MAXIMUM_PACKET_SIZE, 65_536)
                .integer(Property.TOPIC_ALIAS_MAXIMUM, 10)
                .integer(Property.REQUEST_RESPONSE_INFORMATION, 1)
                .integer(Property.REQUEST_PROBLEM_INFORMATION, 0)
                .userProperty("region", "eu-west")
                .userProperty("region", "eu-central")
                .string(Property.AUTHENTICATION_METHOD, "SCRAM-SHA-256")
                .binary(Property.AUTHENTICATION_DATA, bytes(0x01, 0x02, 0xFE, 0xFF))
                .build();
        Properties willProperties = Properties.builder()
                .integer(Property.WILL_DELAY_INTERVAL, 30)
                .integer(Property.PAYLOAD_FORMAT_INDICATOR, 1)
                .integer(Property.MESSAGE_EXPIRY_INTERVAL, 0xFFFF_FFFFL)
                .string(Property.CONTENT_TYPE, "text/plain")
                .string(Property.RESPONSE_TOPIC, "clients/response")
                .binary(Property.CORRELATION_DATA, bytes(0x00, 0x2A))
                .userProperty("reason", "lost")
                .build();
        add(seeds, V5, "connect-will-credentials-properties", new Connect(V5, "client-\u00e9\u4e2d\uD83D\uDE00", false, 0xFFFF,
                connectProperties, new Will("clients/gone", utf8("offline"), Qos.AT_LEAST_ONCE, true, willProperties),
                "user", bytes(0x73, 0x65, 0x63, 0x72, 0x65, 0x74)));
        add(seeds, V5, "connect-password-only-will-qos2", new Connect(V5, "", true, 30, Properties.EMPTY,
                new Will("w", new byte[0], Qos.EXACTLY_ONCE, false, Properties.EMPTY), null, bytes(0x00)));

        add(seeds, V5, "connack-success", new Connack(false, ReasonCode.SUCCESS, Properties.EMPTY));
        add(seeds, V5, "connack-session-present-properties", new Connack(true, ReasonCode.SUCCESS, Properties.builder()
                .integer(Property.SESSION_EXPIRY_INTERVAL, 120)
                .integer(Property.RECEIVE_MAXIMUM, 100)
                .integer(Property.MAXIMUM_QOS, 1)
                .integer(Property.RETAIN_AVAILABLE, 0)
                .integer(Property.MAXIMUM_PACKET_SIZE, 1_048_576)
                .string(Property.ASSIGNED_CLIENT_IDENTIFIER, "auto-7f3a")
                .integer(Property.TOPIC_ALIAS_MAXIMUM, 16)
                .string(Property.REASON_STRING, "welcome")
                .userProperty("broker", "tether-test")
                .integer(Property.WILDCARD_SUBSCRIPTION_AVAILABLE, 1)
                .integer(Property.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1)
                .integer(Property.SHARED_SUBSCRIPTION_AVAILABLE, 0)
                .integer(Property.SERVER_KEEP_ALIVE, 45)
                .string(Property.RESPONSE_INFORMATION, "responses/")
                .string(Property.SERVER_REFERENCE, "other.example:1883")
                .string(Property.AUTHENTICATION_METHOD, "SCRAM-SHA-256")
                .binary(Property.AUTHENTICATION_DATA, bytes(0x10, 0x20))
                .build()));
        add(seeds, V5, "connack-not-authorized", new Connack(false, ReasonCode.NOT_AUTHORIZED,
                Properties.builder().string(Property.REASON_STRING, "no").build()));

        add(seeds, V5, "publish-qos0", new Publish("sensors/1/temperature", utf8("21.5"), Qos.AT_MOST_ONCE, false, false, 0,
                Properties.EMPTY));
        add(seeds, V5, "publish-qos1-properties", new Publish("a/b", utf8("{\"on\":true}"), Qos.AT_LEAST_ONCE, false, false, 1,
                Properties.builder()
                        .integer(Property.PAYLOAD_FORMAT_INDICATOR, 1)
                        .integer(Property.MESSAGE_EXPIRY_INTERVAL, 60)
                        .string(Property.CONTENT_TYPE, "application/json")
                        .string(Property.RESPONSE_TOPIC, "a/b/reply")
                        .binary(Property.CORRELATION_DATA, bytes(0xCA, 0xFE))
                        .integer(Property.SUBSCRIPTION_IDENTIFIER, 1)
                        .integer(Property.SUBSCRIPTION_IDENTIFIER, 268_435_455)
                        .userProperty("k", "v")
                        .build()));
        add(seeds, V5, "publish-qos2-dup-retain", new Publish("x", bytes(0x00, 0xFF, 0x80), Qos.EXACTLY_ONCE, true, true, 0xFFFF,
                Properties.EMPTY));
        add(seeds, V5, "publish-topic-alias", new Publish("", utf8("aliased"), Qos.AT_LEAST_ONCE, false, false, 7,
                Properties.builder().integer(Property.TOPIC_ALIAS, 3).build()));

        add(seeds, V5, "puback", new Puback(1));
        add(seeds, V5, "puback-reason", new Puback(2, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY));
        add(seeds, V5, "puback-reason-properties", new Puback(3, ReasonCode.QUOTA_EXCEEDED, diagnostics("over quota")));
        add(seeds, V5, "pubrec", new Pubrec(4));
        add(seeds, V5, "pubrec-reason-properties", new Pubrec(5, ReasonCode.PAYLOAD_FORMAT_INVALID, diagnostics("bad")));
        add(seeds, V5, "pubrel", new Pubrel(6));
        add(seeds, V5, "pubrel-reason", new Pubrel(7, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY));
        add(seeds, V5, "pubcomp", new Pubcomp(8));
        add(seeds, V5, "pubcomp-reason-properties", new Pubcomp(9, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND,
                diagnostics("unknown id")));

        add(seeds, V5, "subscribe-options-properties", new Subscribe(10, List.of(
                new TopicSubscription("a/+/c", Qos.AT_MOST_ONCE),
                new TopicSubscription("#", Qos.AT_LEAST_ONCE, true, false, 1),
                new TopicSubscription("$share/group/t", Qos.EXACTLY_ONCE, false, true, 2)),
                Properties.builder().integer(Property.SUBSCRIPTION_IDENTIFIER, 42).userProperty("s", "1").build()));
        add(seeds, V5, "subscribe-single", new Subscribe(11, List.of(new TopicSubscription("t", Qos.AT_LEAST_ONCE)),
                Properties.EMPTY));
        add(seeds, V5, "suback-codes-properties", new Suback(10, List.of(ReasonCode.GRANTED_QOS_0, ReasonCode.GRANTED_QOS_1,
                ReasonCode.GRANTED_QOS_2, ReasonCode.NOT_AUTHORIZED, ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED),
                diagnostics("partial")));
        add(seeds, V5, "suback-single", new Suback(11, List.of(ReasonCode.GRANTED_QOS_1), Properties.EMPTY));
        add(seeds, V5, "unsubscribe-properties", new Unsubscribe(12, List.of("a/+/c", "#"),
                Properties.builder().userProperty("u", "2").build()));
        add(seeds, V5, "unsuback-codes-properties", new Unsuback(12, List.of(ReasonCode.SUCCESS,
                ReasonCode.NO_SUBSCRIPTION_EXISTED), diagnostics("done")));

        add(seeds, V5, "pingreq", Pingreq.INSTANCE);
        add(seeds, V5, "pingresp", Pingresp.INSTANCE);

        add(seeds, V5, "disconnect", Disconnect.NORMAL);
        add(seeds, V5, "disconnect-with-will", new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, Properties.EMPTY));
        add(seeds, V5, "disconnect-properties", new Disconnect(ReasonCode.SERVER_MOVED, Properties.builder()
                .integer(Property.SESSION_EXPIRY_INTERVAL, 0)
                .string(Property.REASON_STRING, "moving")
                .string(Property.SERVER_REFERENCE, "elsewhere:8883")
                .userProperty("why", "maintenance")
                .build()));

        add(seeds, V5, "auth-success", new Auth(ReasonCode.SUCCESS, Properties.EMPTY));
        add(seeds, V5, "auth-continue-properties", new Auth(ReasonCode.CONTINUE_AUTHENTICATION, Properties.builder()
                .string(Property.AUTHENTICATION_METHOD, "SCRAM-SHA-256")
                .binary(Property.AUTHENTICATION_DATA, utf8("r=nonce,s=salt,i=4096"))
                .string(Property.REASON_STRING, "step 2")
                .userProperty("a", "b")
                .build()));
        return seeds;
    }

    private static List<Seed> mqtt311() {
        List<Seed> seeds = new ArrayList<>();
        add(seeds, V3_1_1, "connect-minimal", new Connect(V3_1_1, "c", true, 60, Properties.EMPTY, null, null, null));
        add(seeds, V3_1_1, "connect-will-credentials", new Connect(V3_1_1, "client-\u00e9\u4e2d\uD83D\uDE00", false, 0xFFFF,
                Properties.EMPTY, new Will("clients/gone", utf8("offline"), Qos.EXACTLY_ONCE, true, Properties.EMPTY),
                "user", bytes(0x73, 0x65, 0x63, 0x72, 0x65, 0x74)));
        add(seeds, V3_1_1, "connect-username-will-qos1", new Connect(V3_1_1, "", true, 0, Properties.EMPTY,
                new Will("w", new byte[0], Qos.AT_LEAST_ONCE, false, Properties.EMPTY), "u", null));

        add(seeds, V3_1_1, "connack-session-present", new Connack(true, ReasonCode.SUCCESS, Properties.EMPTY));
        add(seeds, V3_1_1, "connack-bad-credentials", new Connack(false, ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                Properties.EMPTY));

        add(seeds, V3_1_1, "publish-qos0-retain", new Publish("sensors/1/temperature", utf8("21.5"), Qos.AT_MOST_ONCE, true,
                false, 0, Properties.EMPTY));
        add(seeds, V3_1_1, "publish-qos1", new Publish("a/b", utf8("{\"on\":true}"), Qos.AT_LEAST_ONCE, false, false, 1,
                Properties.EMPTY));
        add(seeds, V3_1_1, "publish-qos2-dup", new Publish("x", bytes(0x00, 0xFF, 0x80), Qos.EXACTLY_ONCE, false, true, 0xFFFF,
                Properties.EMPTY));

        add(seeds, V3_1_1, "puback", new Puback(1));
        add(seeds, V3_1_1, "pubrec", new Pubrec(2));
        add(seeds, V3_1_1, "pubrel", new Pubrel(3));
        add(seeds, V3_1_1, "pubcomp", new Pubcomp(4));

        add(seeds, V3_1_1, "subscribe", new Subscribe(10, List.of(new TopicSubscription("a/+/c", Qos.AT_MOST_ONCE),
                new TopicSubscription("#", Qos.AT_LEAST_ONCE), new TopicSubscription("t", Qos.EXACTLY_ONCE)),
                Properties.EMPTY));
        add(seeds, V3_1_1, "suback", new Suback(10, List.of(ReasonCode.GRANTED_QOS_0, ReasonCode.GRANTED_QOS_1,
                ReasonCode.GRANTED_QOS_2, ReasonCode.UNSPECIFIED_ERROR), Properties.EMPTY));
        add(seeds, V3_1_1, "unsubscribe", new Unsubscribe(11, List.of("a/+/c", "#"), Properties.EMPTY));
        add(seeds, V3_1_1, "unsuback", new Unsuback(11, List.of(), Properties.EMPTY));

        add(seeds, V3_1_1, "pingreq", Pingreq.INSTANCE);
        add(seeds, V3_1_1, "pingresp", Pingresp.INSTANCE);
        add(seeds, V3_1_1, "disconnect", Disconnect.NORMAL);
        return seeds;
    }

    private static void add(List<Seed> seeds, ProtocolVersion version, String name, Packet packet) {
        seeds.add(new Seed(name, version, packet));
    }

    private static Properties diagnostics(String reason) {
        return Properties.builder().string(Property.REASON_STRING, reason).userProperty("trace", "t-1").build();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
