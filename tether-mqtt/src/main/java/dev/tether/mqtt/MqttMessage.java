package dev.tether.mqtt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An application message: a topic, a payload, a QoS, the retain flag and the MQTT 5 properties
 * that travel with it. Immutable; the payload is copied in and out.
 *
 * <pre>{@code
 * MqttMessage message = MqttMessage.newBuilder("sensors/1/temperature")
 *         .payload("21.5")
 *         .qos(Qos.AT_LEAST_ONCE)
 *         .contentType("text/plain")
 *         .userProperty("unit", "celsius")
 *         .build();
 * client.publish(message);
 *
 * for (MqttMessage received : subscription) {
 *     if (received.topic().matches("sensors/+/temperature")) {
 *         System.out.println(received.payloadAsString());
 *     }
 * }
 * }</pre>
 */
public final class MqttMessage {

    /** The payload of a builder that was given none; never written to. */
    private static final byte[] NO_BYTES = new byte[0];

    private final Topic topic;
    private final byte[] payload;
    private final Qos qos;
    private final boolean retain;
    private final Boolean payloadIsUtf8;
    private final Duration messageExpiry;
    private final String contentType;
    private final Topic responseTopic;
    private final byte[] correlationData;
    private final List<UserProperty> userProperties;
    private final List<Integer> subscriptionIdentifiers;
    private final Runnable acknowledgement;

    private MqttMessage(Builder builder) {
        this.topic = builder.topic;
        this.payload = builder.payload;
        this.qos = builder.qos;
        this.retain = builder.retain;
        this.payloadIsUtf8 = builder.payloadIsUtf8;
        this.messageExpiry = builder.messageExpiry;
        this.contentType = builder.contentType;
        this.responseTopic = builder.responseTopic;
        this.correlationData = builder.correlationData;
        this.userProperties = builder.userProperties == null ? List.of() : List.copyOf(builder.userProperties);
        this.subscriptionIdentifiers = builder.subscriptionIdentifiers;
        this.acknowledgement = builder.acknowledgement;
    }

    /**
     * A QoS 0, not retained message without properties.
     *
     * @param topic the topic name
     * @param payload the payload, copied
     * @return the message
     * @throws IllegalArgumentException if the topic is not a valid topic name
     */
    public static MqttMessage of(String topic, byte[] payload) {
        return newBuilder(topic).payload(payload).build();
    }

    /**
     * A QoS 0, not retained message with a UTF-8 text payload.
     *
     * @param topic the topic name
     * @param payload the payload text, sent as UTF-8
     * @return the message
     * @throws IllegalArgumentException if the topic is not a valid topic name
     */
    public static MqttMessage of(String topic, String payload) {
        return newBuilder(topic).payload(payload).build();
    }

    /**
     * Starts a message to the given topic: empty payload, QoS 0, not retained.
     *
     * @param topic the topic name
     * @return a builder
     * @throws IllegalArgumentException if the topic is not a valid topic name
     */
    public static Builder newBuilder(String topic) {
        return new Builder(Topic.of(topic));
    }

    /** A builder for a message to a topic that is already a {@link Topic}: nothing to check again. */
    static Builder newBuilder(Topic topic) {
        return new Builder(topic);
    }

    /** {@return a builder holding everything this message holds, to derive another message} */
    public Builder toBuilder() {
        Builder builder = new Builder(topic);
        builder.payload = payload;
        builder.qos = qos;
        builder.retain = retain;
        builder.payloadIsUtf8 = payloadIsUtf8;
        builder.messageExpiry = messageExpiry;
        builder.contentType = contentType;
        builder.responseTopic = responseTopic;
        builder.correlationData = correlationData;
        builder.userProperties = userProperties.isEmpty() ? null : new ArrayList<>(userProperties);
        builder.subscriptionIdentifiers = subscriptionIdentifiers;
        return builder;
    }

    /** {@return the topic the message was published to} */
    public Topic topic() {
        return topic;
    }

    /** {@return a copy of the payload} */
    public byte[] payload() {
        return payload.clone();
    }

    /**
     * The payload as a read-only view, without the copy {@link #payload()} makes: for reading a
     * large payload, or handing it to a channel, without allocating its size again. Each call
     * returns a new view (position 0, limit the payload's length), so callers do not disturb one
     * another; the bytes themselves are the message's own and cannot be changed through it.
     *
     * @return a read-only buffer over the payload; no copy is made
     */
    public ByteBuffer payloadBuffer() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /** {@return the payload decoded as UTF-8 (malformed bytes become U+FFFD)} */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** {@return the payload's length in bytes} */
    public int payloadSize() {
        return payload.length;
    }

    /** {@return the quality of service it was sent or received with} */
    public Qos qos() {
        return qos;
    }

    /** {@return whether the message is (to be) retained by the broker} */
    public boolean isRetain() {
        return retain;
    }

    /** {@return MQTT 5 payload format indicator: true for UTF-8 text, false for bytes, null when absent} */
    public Boolean payloadIsUtf8() {
        return payloadIsUtf8;
    }

    /** {@return MQTT 5 message expiry interval, or null when the message does not expire} */
    public Duration messageExpiry() {
        return messageExpiry;
    }

    /** {@return MQTT 5 content type, or null} */
    public String contentType() {
        return contentType;
    }

    /** {@return MQTT 5 response topic of a request, or null} */
    public Topic responseTopic() {
        return responseTopic;
    }

    /** {@return a copy of the MQTT 5 correlation data, or null} */
    public byte[] correlationData() {
        return correlationData == null ? null : correlationData.clone();
    }

    /** {@return the MQTT 5 user properties, in order, repeats kept} */
    public List<UserProperty> userProperties() {
        return userProperties;
    }

    /**
     * The MQTT 5 Subscription Identifiers of this client's subscriptions that the incoming message
     * matched, as the broker sent them: the ones the application chose
     * ({@link SubscribeRequest.Builder#subscriptionIdentifier(int)}) and, for subscriptions it gave
     * none, the client's own ({@link Subscription#identifier()}), unless
     * {@link MqttClientBuilder#automaticSubscriptionIdentifiers(boolean)} is off.
     *
     * <pre>{@code
     * if (message.subscriptionIdentifiers().contains(42)) { ... }
     * }</pre>
     *
     * @return the identifiers, in the order the broker sent them; empty for an outgoing message,
     *     in MQTT 3.1.1, and when the matching subscriptions have none
     */
    public List<Integer> subscriptionIdentifiers() {
        return subscriptionIdentifiers;
    }

    /**
     * With manual acknowledgement ({@link MqttClientBuilder#manualAcknowledgement(boolean)}):
     * tells the broker the application has this QoS 1 or 2 message (PUBACK or PUBREC). Until
     * then the broker may hold back further messages, up to the client's receive maximum. The
     * acknowledgements go out in the order the messages arrived, as MQTT requires, so acknowledging
     * a later message first holds it back until the earlier ones are acknowledged. Idempotent; a
     * no-op for QoS 0, outgoing messages, and in the default mode, where taking a message from its
     * stream acknowledges it.
     */
    public void ack() {
        if (acknowledgement != null) {
            acknowledgement.run();
        }
    }

    /** This incoming message with the hook {@link #ack()} runs. */
    MqttMessage withAcknowledgement(Runnable acknowledgement) {
        Builder builder = toBuilder();
        builder.acknowledgement = acknowledgement;
        return builder.build();
    }

    byte[] payloadWithoutCopy() {
        return payload;
    }

    byte[] correlationDataWithoutCopy() {
        return correlationData;
    }

    /**
     * Messages are equal when every part is, the payload compared byte by byte.
     *
     * @param other the object to compare with
     * @return true if {@code other} is an equal message
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof MqttMessage that && topic.equals(that.topic) && Arrays.equals(payload, that.payload)
                && qos == that.qos && retain == that.retain && Objects.equals(payloadIsUtf8, that.payloadIsUtf8)
                && Objects.equals(messageExpiry, that.messageExpiry) && Objects.equals(contentType, that.contentType)
                && Objects.equals(responseTopic, that.responseTopic)
                && Arrays.equals(correlationData, that.correlationData)
                && userProperties.equals(that.userProperties)
                && subscriptionIdentifiers.equals(that.subscriptionIdentifiers);
    }

    /** {@return a hash code consistent with {@link #equals}} */
    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retain, contentType, userProperties);
    }

    /** {@return the topic, QoS, retain flag and payload size; never the payload itself} */
    @Override
    public String toString() {
        return "MqttMessage[topic=" + topic + ", qos=" + qos.code() + ", retain=" + retain + ", payload="
                + payload.length + " bytes]";
    }

    /**
     * Builds an {@link MqttMessage}; every setter checks its argument at once.
     *
     * <pre>{@code
     * MqttMessage m = MqttMessage.newBuilder("a/b").payload("x").qos(Qos.EXACTLY_ONCE).retain(true).build();
     * }</pre>
     */
    public static final class Builder {
        private Topic topic;
        private byte[] payload = NO_BYTES;
        private Qos qos = Qos.AT_MOST_ONCE;
        private boolean retain;
        private Boolean payloadIsUtf8;
        private Duration messageExpiry;
        private String contentType;
        private Topic responseTopic;
        private byte[] correlationData;
        /*
         * A builder is made for every message, sent or received, so it allocates no list until a
         * property needs one: user properties in a list made on first use; subscription
         * identifiers in an immutable list replaced on each addition (a message has one or two),
         * which the message then keeps as it is.
         */
        private List<UserProperty> userProperties;
        private List<Integer> subscriptionIdentifiers = List.of();
        private Runnable acknowledgement;

        private Builder(Topic topic) {
            this.topic = topic;
        }

        /**
         * Sets the topic.
         *
         * @param topic the topic name
         * @return this builder
         * @throws IllegalArgumentException if the topic is not a valid topic name
         */
        public Builder topic(String topic) {
            this.topic = Topic.of(topic);
            return this;
        }

        /**
         * Sets the payload.
         *
         * @param payload the bytes, copied
         * @return this builder
         */
        public Builder payload(byte[] payload) {
            this.payload = Objects.requireNonNull(payload, "payload").clone();
            return this;
        }

        /**
         * Sets a text payload, sent as UTF-8.
         *
         * @param payload the text
         * @return this builder
         */
        public Builder payload(String payload) {
            this.payload = Objects.requireNonNull(payload, "payload").getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /**
         * Sets the quality of service.
         *
         * @param qos the QoS
         * @return this builder
         */
        public Builder qos(Qos qos) {
            this.qos = Objects.requireNonNull(qos, "qos");
            return this;
        }

        /**
         * Sets whether the broker keeps the message for future subscribers.
         *
         * @param retain true to retain
         * @return this builder
         */
        public Builder retain(boolean retain) {
            this.retain = retain;
            return this;
        }

        /**
         * MQTT 5: says whether the payload is UTF-8 text.
         *
         * @param utf8 true for UTF-8 text, false for unspecified bytes
         * @return this builder
         */
        public Builder payloadIsUtf8(boolean utf8) {
            this.payloadIsUtf8 = utf8;
            return this;
        }

        /**
         * MQTT 5: the broker drops the message if it cannot deliver it within this time.
         *
         * @param expiry 1 second to about 136 years, whole seconds
         * @return this builder
         * @throws IllegalArgumentException if the expiry is not 1 to 4,294,967,295 seconds
         */
        public Builder messageExpiry(Duration expiry) {
            long seconds = Objects.requireNonNull(expiry, "message expiry").toSeconds();
            if (seconds < 1 || seconds > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("message expiry must be 1 to 4294967295 seconds, was " + expiry);
            }
            this.messageExpiry = Duration.ofSeconds(seconds);
            return this;
        }

        /**
         * MQTT 5: the payload's content type, such as a MIME type.
         *
         * @param contentType the content type
         * @return this builder
         */
        public Builder contentType(String contentType) {
            this.contentType = Objects.requireNonNull(contentType, "content type");
            return this;
        }

        /**
         * MQTT 5: where the receiver should send its response.
         *
         * @param responseTopic a topic name
         * @return this builder
         * @throws IllegalArgumentException if it is not a valid topic name
         */
        public Builder responseTopic(String responseTopic) {
            this.responseTopic = Topic.of(responseTopic);
            return this;
        }

        /**
         * MQTT 5: data that ties a response to its request.
         *
         * @param correlationData the bytes, copied
         * @return this builder
         */
        public Builder correlationData(byte[] correlationData) {
            this.correlationData = Objects.requireNonNull(correlationData, "correlation data").clone();
            return this;
        }

        /**
         * MQTT 5: adds a user property; names may repeat and order is kept.
         *
         * @param name the property name
         * @param value the property value
         * @return this builder
         */
        public Builder userProperty(String name, String value) {
            if (userProperties == null) {
                userProperties = new ArrayList<>();
            }
            userProperties.add(new UserProperty(name, value));
            return this;
        }

        Builder subscriptionIdentifier(int identifier) {
            if (subscriptionIdentifiers.isEmpty()) {
                subscriptionIdentifiers = List.of(identifier);
            } else {
                List<Integer> more = new ArrayList<>(subscriptionIdentifiers);
                more.add(identifier);
                subscriptionIdentifiers = List.copyOf(more);
            }
            return this;
        }

        /**
         * Sets the payload to this very array, without the copy {@link #payload(byte[])} makes:
         * for publishing at high rates or large payloads without allocating their size again.
         * The message is then only as immutable as the array: it must not be changed from here
         * on, since the client may still be sending it (or send it again after a reconnect) long
         * after {@code publish} returned.
         *
         * <pre>{@code
         * byte[] reading = sensor.read();   // a fresh array per message
         * client.publishAsync(MqttMessage.newBuilder("sensors/1").payloadWithoutCopy(reading).build());
         * }</pre>
         *
         * @param payload the bytes, used as they are and never changed by the client
         * @return this builder
         */
        public Builder payloadWithoutCopy(byte[] payload) {
            this.payload = Objects.requireNonNull(payload, "payload");
            return this;
        }

        /** {@return the message} */
        public MqttMessage build() {
            return new MqttMessage(this);
        }
    }
}
