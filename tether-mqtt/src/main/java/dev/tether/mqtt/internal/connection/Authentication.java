package dev.tether.mqtt.internal.connection;

import dev.tether.mqtt.Authenticator;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttProtocolException;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.internal.codec.Auth;
import dev.tether.mqtt.internal.codec.Connect;
import dev.tether.mqtt.internal.codec.Disconnect;
import dev.tether.mqtt.internal.codec.Properties;
import dev.tether.mqtt.internal.codec.Property;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * MQTT 5 enhanced authentication on one connection: the AUTH exchange during CONNECT, and
 * re-authentication on the live connection, whose steps the reader hands here. The
 * {@link Authenticator} may be user code, so it never runs on the reader thread.
 */
final class Authentication {

    private final MqttConnection connection;
    private final String name;
    private final Authenticator authenticator;
    private final ProtocolVersion version;
    private final ReentrantLock reauthentication = new ReentrantLock();
    /** The re-authentication under way, completed by the reader when the broker's AUTH of success comes. */
    private volatile CompletableFuture<Void> pendingReauthentication;

    Authentication(MqttConnection connection, String name, Authenticator authenticator, ProtocolVersion version) {
        this.connection = connection;
        this.name = name;
        this.authenticator = authenticator;
        this.version = version;
    }

    static Connect withAuthentication(Connect connect, Authenticator authenticator) throws MqttException {
        Properties properties = connect.properties().without(Property.AUTHENTICATION_METHOD, Property.AUTHENTICATION_DATA)
                .toBuilder().build();
        properties = merge(properties, authProperties(authenticator, authenticator.initialData()));
        return new Connect(connect.version(), connect.clientId(), connect.cleanStart(), connect.keepAliveSeconds(),
                properties, connect.will(), connect.username(), connect.password());
    }

    private static Properties merge(Properties first, Properties second) {
        Properties.Builder builder = first.toBuilder();
        for (Properties.Entry entry : second.entries()) {
            switch (entry.value()) {
                case String text -> builder.string(entry.property(), text);
                case byte[] bytes -> builder.binary(entry.property(), bytes);
                default -> throw new IllegalStateException("unexpected authentication property " + entry);
            }
        }
        return builder.build();
    }

    static Properties authProperties(Authenticator authenticator, byte[] data) {
        Properties.Builder properties = Properties.builder().string(Property.AUTHENTICATION_METHOD, authenticator.method());
        if (data != null) {
            properties.binary(Property.AUTHENTICATION_DATA, data);
        }
        return properties.build();
    }

    static byte[] authData(Properties properties) {
        byte[] data = properties.binary(Property.AUTHENTICATION_DATA);
        return data == null ? new byte[0] : data;
    }

    /** An AUTH from the broker must be part of an exchange this client started, by the same method. */
    static void check(Auth auth, Authenticator authenticator, ReasonCode expected, String name) throws MqttProtocolException {
        if (authenticator == null) {
            throw new MqttProtocolException(ReasonCode.PROTOCOL_ERROR, "broker " + name
                    + " sent AUTH although no enhanced authentication was asked for [MQTT-4.12.0-6]");
        }
        if (auth.reasonCode() != expected && auth.reasonCode() != ReasonCode.SUCCESS) {
            throw new MqttProtocolException(ReasonCode.PROTOCOL_ERROR, "broker " + name + " sent AUTH with "
                    + auth.reasonCode().describe() + " during the authentication exchange");
        }
        if (!authenticator.method().equals(auth.properties().string(Property.AUTHENTICATION_METHOD))) {
            throw new MqttProtocolException(ReasonCode.PROTOCOL_ERROR, "broker " + name
                    + " sent AUTH with another authentication method than " + authenticator.method() + " [MQTT-4.12.0-5]");
        }
    }

    /**
     * MQTT 5: re-authenticates on the live connection (AUTH 0x19, then the exchange) and returns
     * once the broker sent AUTH with Success. A broker that refuses closes the connection.
     *
     * @throws MqttException if there is no authenticator, the broker refused or did not answer within {@code timeout}
     */
    void reauthenticate(Duration timeout) throws MqttException {
        if (authenticator == null || version != ProtocolVersion.V5) {
            throw new MqttException(ReasonCode.UNSPECIFIED_ERROR,
                    "re-authentication needs MQTT 5 and an authenticator given to the builder");
        }
        reauthentication.lock();
        try {
            CompletableFuture<Void> done = new CompletableFuture<>();
            pendingReauthentication = done;
            connection.send(new Auth(ReasonCode.RE_AUTHENTICATE, authProperties(authenticator, authenticator.initialData())));
            try {
                done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "broker " + name + " did not finish re-authentication within "
                        + timeout, e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof MqttException cause) {
                    throw new MqttException(cause.reasonCode(), "re-authentication failed: " + cause.getMessage(), cause);
                }
                throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "re-authentication failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "interrupted while re-authenticating", e);
            }
        } finally {
            pendingReauthentication = null;
            reauthentication.unlock();
        }
    }

    /**
     * An AUTH on the live connection: a step of a re-authentication. The authenticator may be
     * user code, so it runs on a virtual thread of its own, never on the reader.
     */
    void received(Auth auth) throws MqttProtocolException {
        CompletableFuture<Void> pending = pendingReauthentication;
        if (pending == null) {
            throw new MqttProtocolException(ReasonCode.PROTOCOL_ERROR, "broker " + name
                    + " sent AUTH outside an authentication exchange the client started");
        }
        check(auth, authenticator, ReasonCode.CONTINUE_AUTHENTICATION, name);
        Thread.ofVirtual().name("tether-auth-" + name).start(() -> {
            try {
                if (auth.reasonCode() == ReasonCode.SUCCESS) {
                    authenticator.onSuccess(authData(auth.properties()));
                    pending.complete(null);
                } else {
                    byte[] answer = authenticator.onChallenge(authData(auth.properties()));
                    connection.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, authProperties(authenticator, answer)));
                }
            } catch (MqttException e) {
                pending.completeExceptionally(e);
                connection.trySend(new Disconnect(ReasonCode.NOT_AUTHORIZED, Properties.EMPTY));
                connection.fail(e);
            } catch (RuntimeException e) {
                pending.completeExceptionally(e);
                connection.fail(new MqttException(ReasonCode.UNSPECIFIED_ERROR, "the authenticator failed: " + e, e));
            }
        });
    }

    /** The connection ended: a re-authentication under way fails with its cause. */
    void connectionFailed(MqttException cause) {
        CompletableFuture<Void> pending = pendingReauthentication;
        if (pending != null) {
            pending.completeExceptionally(cause);
        }
    }
}
