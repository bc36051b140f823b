package dev.tether.mqtt.internal.connection;

import dev.tether.mqtt.Authenticator;
import dev.tether.mqtt.MqttConnectException;
import dev.tether.mqtt.MqttDisconnectException;
import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.MqttProtocolException;
import dev.tether.mqtt.ProtocolVersion;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.internal.codec.Auth;
import dev.tether.mqtt.internal.codec.Connack;
import dev.tether.mqtt.internal.codec.Connect;
import dev.tether.mqtt.internal.codec.Disconnect;
import dev.tether.mqtt.internal.codec.Packet;
import dev.tether.mqtt.internal.codec.PacketDecoder;
import dev.tether.mqtt.internal.codec.PacketEncoder;
import dev.tether.mqtt.internal.codec.Pingresp;
import dev.tether.mqtt.internal.codec.Publish;
import dev.tether.mqtt.internal.codec.Properties;
import dev.tether.mqtt.internal.codec.Property;
import dev.tether.mqtt.internal.transport.Endpoint;
import dev.tether.mqtt.internal.transport.Transport;
import dev.tether.mqtt.internal.transport.TransportConnector;
import dev.tether.mqtt.internal.transport.TransportOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * A connection to a broker speaking MQTT, over any {@link Transport}: writes, the reader loop and keep-alive. {@link #open} connects, sends CONNECT and waits for
 * the CONNACK; {@link #start} then runs the reader on a virtual thread and starts the
 * {@link KeepAlive}, whose deadlines wait on the {@link ConnectionTimer} shared by all connections.
 * The reader only decodes and hands packets to the {@link PacketListener}; writes go through one lock.
 *
 * <p>Keep-alive: a PINGREQ goes out when nothing was sent, or nothing received, for half the
 * keep-alive interval, so the interval never passes without a packet [MQTT-3.1.2-20] and a live
 * broker always has something to answer; when nothing arrives for 1.5 times
 * the interval the connection is declared dead, at that deadline.
 * The silence clock does not run while the reader waits for room in a full message stream, since
 * then the client itself stops reading.
 */
public final class MqttConnection {

    private static final System.Logger LOG = System.getLogger("dev.tether.mqtt.connection");
    private final Transport transport;
    private final OutputStream out;
    private final PacketEncoder encoder;
    private final PacketInput input;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Used under {@link #writeLock} only. */
    private final PacketWriter writer;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set before the client's own DISCONNECT goes out: the broker closing the socket after it is no failure. */
    private final AtomicBoolean disconnecting = new AtomicBoolean();
    private final String name;
    private final ProtocolVersion version;
    private final Traffic traffic;
    private final TransportOptions options;
    private final Authentication authentication;

    private volatile int peerMaximumPacketSize = PacketEncoder.PROTOCOL_MAXIMUM_PACKET_SIZE;
    /** MQTT 5 Request Problem Information 0: reason strings and user properties only where 3.1.2.11.7 allows. */
    private volatile boolean problemInformationWithheld;
    private final KeepAlive keepAlive;
    private PacketListener listener;
    private Thread reader;

    private MqttConnection(Transport transport, ProtocolVersion version, int maximumPacketSize, String name,
                           TransportOptions options, Traffic traffic) {
        this.transport = transport;
        this.options = options;
        this.out = transport.out();
        this.encoder = new PacketEncoder(version);
        this.writer = new PacketWriter(out, encoder);
        this.input = new PacketInput(transport.in(), new PacketDecoder(version, maximumPacketSize), traffic, name);
        this.name = name;
        this.version = version;
        this.traffic = traffic;
        this.authentication = new Authentication(this, name, options.authenticator(), version);
        this.keepAlive = new KeepAlive(this, name);
    }

    /**
     * Connects, sends {@code connect} and returns once the broker accepted it.
     *
     * @param options how to reach the broker (TLS, WebSocket, proxy), the authenticator and the limits
     * @param maximumPacketSize the largest packet this client accepts (announced in CONNECT)
     * @throws MqttConnectException if the broker refused the connection
     * @throws MqttException if the connection failed or timed out, or the broker broke the protocol
     */
    public static Opened open(Endpoint endpoint, TransportOptions options, Connect connect, int maximumPacketSize,
                              Duration timeout, Traffic traffic) throws MqttException {
        String name = endpoint.name();
        Transport transport;
        try {
            transport = TransportConnector.open(endpoint, options, timeout);
        } catch (SocketTimeoutException e) {
            throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "cannot connect to " + endpoint + " within " + timeout
                    + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "cannot connect to " + endpoint + ": " + e.getMessage(), e);
        }
        MqttConnection connection = new MqttConnection(transport, connect.version(), maximumPacketSize, name, options, traffic);
        try {
            transport.readTimeout(timeout);
            Authenticator authenticator = connect.version() == ProtocolVersion.V5 ? options.authenticator() : null;
            connection.write(authenticator == null ? connect : Authentication.withAuthentication(connect, authenticator));
            Packet reply;
            while ((reply = connection.input.readOne()) instanceof Auth auth) {
                Authentication.check(auth, authenticator, ReasonCode.CONTINUE_AUTHENTICATION, name);
                byte[] answer = authenticator.onChallenge(Authentication.authData(auth.properties()));
                connection.write(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, Authentication.authProperties(authenticator, answer)));
            }
            if (!(reply instanceof Connack connack)) {
                throw new MqttProtocolException(ReasonCode.PROTOCOL_ERROR, "broker " + name + " answered CONNECT with "
                        + reply.type() + " instead of CONNACK [MQTT-3.2.0-1]");
            }
            if (connack.reasonCode().isError()) {
                throw Refusals.refused(connack, connect.version(), name);
            }
            if (connect.cleanStart() && connack.sessionPresent()) {
                // The client started clean and so has no session state: a broker that claims one
                // breaks [MQTT-3.2.2-4] (5.0; the broker's side: [MQTT-3.2.2-1] in 3.1.1).
                throw new MqttProtocolException(ReasonCode.PROTOCOL_ERROR, "broker " + name + " says a session is present"
                        + " although the client asked for a clean start [MQTT-3.2.2-4]");
            }
            if (authenticator != null) {
                authenticator.onSuccess(Authentication.authData(connack.properties()));
            }
            UserPropertyLimits.check(connack, options.limits(), name);
            transport.readTimeout(Duration.ZERO);
            long peerMaximum = connack.properties().integer(Property.MAXIMUM_PACKET_SIZE, PacketEncoder.PROTOCOL_MAXIMUM_PACKET_SIZE);
            connection.peerMaximumPacketSize = (int) Math.min(peerMaximum, PacketEncoder.PROTOCOL_MAXIMUM_PACKET_SIZE);
            connection.problemInformationWithheld = connect.version() == ProtocolVersion.V5
                    && connect.properties().integer(Property.REQUEST_PROBLEM_INFORMATION, 1) == 0;
            LOG.log(Level.INFO, "connected to {0} as \"{1}\" (MQTT {2}, session present: {3})", endpoint,
                    connect.clientId(), connect.version(), connack.sessionPresent());
            return new Opened(connection, connack);
        } catch (SocketTimeoutException e) {
            closeQuietly(transport);
            throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "no CONNACK from " + name + " within " + timeout, e);
        } catch (MqttConnectException e) {
            closeQuietly(transport);
            throw e;
        } catch (MqttException e) {
            if (connect.version() == ProtocolVersion.V5 && (e instanceof MqttProtocolException
                    || e.reasonCode() == ReasonCode.NOT_AUTHORIZED)) {
                try {
                    connection.write(new Disconnect(e.reasonCode(), Properties.EMPTY));
                } catch (IOException | RuntimeException ignored) {
                    // closing anyway
                }
            }
            closeQuietly(transport);
            throw e;
        } catch (IOException e) {
            closeQuietly(transport);
            throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "cannot connect to " + name + ": "
                    + TransportConnector.describeFailureAfterOpen(e, endpoint), e);
        }
    }

    /**
     * MQTT 5: re-authenticates on the live connection (AUTH 0x19, then the exchange) and returns
     * once the broker sent AUTH with Success. A broker that refuses closes the connection.
     *
     * @throws MqttException if there is no authenticator, the broker refused or did not answer within {@code timeout}
     */
    public void reauthenticate(Duration timeout) throws MqttException {
        authentication.reauthenticate(timeout);
    }

    /** The connection and the CONNACK that accepted it. */
    public record Opened(MqttConnection connection, Connack connack) {
    }

    /** Starts the reader and, when {@code keepAlive} is not zero, the keep-alive. */
    public void start(PacketListener listener, Duration keepAliveInterval) {
        this.listener = listener;
        reader = Thread.ofVirtual().name("tether-reader-" + name).start(this::readLoop);
        keepAlive.start(keepAliveInterval);
    }

    /** The largest packet the broker accepts; larger ones are refused by {@link #send}. */
    public int peerMaximumPacketSize() {
        return peerMaximumPacketSize;
    }

    /**
     * Writes a packet, trimmed to the broker's maximum packet size where the specification allows.
     *
     * @throws MqttException if the packet is too large for the broker or the connection is gone
     */
    public void send(Packet packet) throws MqttException {
        send(packet, null);
    }

    /**
     * Writes a packet after {@code underLock} has rewritten it while the write lock is held: for
     * decisions that must follow the order of the writes, such as using a topic alias only after
     * the packet that set it went out.
     */
    public void send(Packet packet, UnaryOperator<Packet> underLock) throws MqttException {
        // Checked (and trimmed) before taking the lock when nothing rewrites the packet under it;
        // only the encoding into the shared buffer and the write need the lock.
        Packet fitted = underLock == null ? encoder.fit(packet, peerMaximumPacketSize) : null;
        IOException failed = null;
        writeLock.lock();
        try {
            if (fitted == null) {
                packet = underLock.apply(packet);
                // Not caught as a lost connection below: a packet too large for the broker is
                // refused unsent [MQTT-3.2.2-15], and the connection carries on.
                fitted = encoder.fit(packet, peerMaximumPacketSize);
            }
            if (closed.get()) {
                throw new MqttException(ReasonCode.UNSPECIFIED_ERROR, "connection to " + name + " is closed");
            }
            try {
                traffic.bytesSent.add(writer.write(fitted));
                keepAlive.sent();
            } catch (IOException e) {
                failed = e;
            }
        } finally {
            writeLock.unlock();
        }
        if (failed != null) {
            // Failed outside the write lock: failing tells the session, which takes the outgoing
            // flows' lock, and a publisher may hold that lock while it waits for this one.
            throw lost(failed);
        }
        if (packet instanceof Publish) {
            traffic.publishesSent.increment();
        }
        if (LOG.isLoggable(Level.TRACE)) { // checked first: the message's lambda would be an object per packet
            LOG.log(Level.TRACE, "sent " + packet);
        }
    }

    private MqttException lost(IOException e) {
        MqttException lost = new MqttException(ReasonCode.UNSPECIFIED_ERROR, "connection to " + name + " lost: "
                + e.getMessage(), e);
        fail(lost);
        return lost;
    }

    /** {@return whether the packet is within the broker's maximum packet size as it is} */
    public boolean fits(Packet packet) {
        return encoder.size(packet) <= peerMaximumPacketSize;
    }

    private void write(Packet packet) throws IOException {
        ByteBuffer bytes = encoder.encode(packet);
        out.write(bytes.array(), bytes.arrayOffset(), bytes.remaining());
        out.flush();
        traffic.bytesSent.add(bytes.remaining());
    }

    private void readLoop() {
        MqttException cause = null;
        try {
            while (true) {
                Packet packet;
                while ((packet = input.decode()) != null) {
                    keepAlive.received();
                    if (LOG.isLoggable(Level.TRACE)) {
                        LOG.log(Level.TRACE, "received " + packet);
                    }
                    UserPropertyLimits.check(packet, options.limits(), name);
                    if (problemInformationWithheld) {
                        ProblemInformation.checkWithheld(packet, name);
                    }
                    if (packet instanceof Disconnect disconnect) {
                        cause = serverDisconnect(disconnect);
                        return;
                    }
                    if (packet instanceof Publish) {
                        traffic.publishesReceived.increment();
                    }
                    if (packet instanceof Auth auth) {
                        authentication.received(auth);
                        continue;
                    }
                    if (!(packet instanceof Pingresp)) {
                        keepAlive.readerWaiting(true);
                        try {
                            listener.received(packet);
                        } finally {
                            keepAlive.readerWaiting(false);
                            keepAlive.received();
                        }
                    }
                }
                if (!input.fill()) {
                    if (!closed.get() && !disconnecting.get()) {
                        cause = new MqttException(ReasonCode.UNSPECIFIED_ERROR, "broker " + name + " closed the connection");
                    }
                    return;
                }
            }
        } catch (MqttException e) {
            cause = e;
            if (e instanceof MqttProtocolException && version == ProtocolVersion.V5) {
                // The broker broke the protocol: MQTT 5 says why in a DISCONNECT before closing
                // (MQTT 5, 4.13.1); MQTT 3.1.1 has no reason codes and just closes [MQTT-4.8.0-1].
                // A limit of this client's own choosing is named in a reason string; the
                // specification's violations are told by their reason code alone.
                trySend(new Disconnect(e.reasonCode(), e.reasonCode() == ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR
                        ? reasonString(e.getMessage()) : Properties.EMPTY));
            }
        } catch (IOException e) {
            if (!closed.get() && !disconnecting.get()) {
                cause = new MqttException(ReasonCode.UNSPECIFIED_ERROR, "connection to " + name + " lost: " + e.getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (cause != null) {
                fail(cause);
            }
        }
    }

    private static Properties reasonString(String message) {
        return message == null ? Properties.EMPTY
                : Properties.builder().string(Property.REASON_STRING, message.length() > 200 ? message.substring(0, 200) : message).build();
    }

    private MqttException serverDisconnect(Disconnect disconnect) {
        String reason = disconnect.properties().string(Property.REASON_STRING);
        String reference = disconnect.properties().string(Property.SERVER_REFERENCE);
        return new MqttDisconnectException(disconnect.reasonCode(),
                "broker " + name + " disconnected: " + disconnect.reasonCode().describe()
                        + (reason == null ? "" : ": " + reason)
                        + (reference == null ? "" : " (server reference: " + reference + ")"), reference, reason,
                disconnect.properties().userProperties());
    }

    void trySend(Packet packet) {
        try {
            send(packet);
        } catch (MqttException e) {
            LOG.log(Level.DEBUG, "could not send {0}: {1}", packet.type(), e.getMessage());
        }
    }

    /** Closes because something went wrong; the listener hears the cause once. */
    void fail(MqttException cause) {
        if (closed.compareAndSet(false, true)) {
            LOG.log(Level.INFO, "connection to {0} ended: {1}", name, cause.getMessage());
            authentication.connectionFailed(cause);
            closeQuietly(transport);
            keepAlive.stop();
            listener.closed(cause);
        }
    }

    /**
     * Sends {@code disconnect} (when not null), closes the socket and waits for the connection's
     * threads to end, at most {@code timeout}.
     */
    public void close(Disconnect disconnect, Duration timeout) {
        if (disconnecting.compareAndSet(false, true) && disconnect != null && !closed.get()) {
            trySend(disconnect);
        }
        if (closed.compareAndSet(false, true)) {
            LOG.log(Level.INFO, "disconnected from {0}", name);
            closeQuietly(transport);
            listener.closed(null);
        }
        keepAlive.stop();
        join(reader, timeout);
        join(keepAlive.action(), timeout);
    }

    private static void join(Thread thread, Duration timeout) {
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A deadline for closing: unless the returned future is cancelled first, the socket is closed
     * after {@code timeout}, whatever holds it. A write stuck on a full socket (a broker that
     * stopped reading) holds the write lock, and with it the DISCONNECT and any thread waiting for
     * that publish, for as long as the broker stays silent; closing the socket ends that write
     * with an error and lets the close finish.
     */
    public ScheduledFuture<?> closeAfter(Duration timeout) {
        return ConnectionTimer.after(timeout, () -> Thread.ofVirtual().name("tether-close-" + name)
                .start(() -> closeQuietly(transport)));
    }

    /** Closes a connection that was never started, without a DISCONNECT: the client no longer wants it. */
    public void abandon() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(transport);
            keepAlive.stop();
        }
    }

    /** {@return whether the connection's threads have all ended} */
    public boolean threadsEnded() {
        Thread action = keepAlive.action();
        return (reader == null || !reader.isAlive()) && (action == null || !action.isAlive());
    }

    private static void closeQuietly(Transport transport) {
        try {
            transport.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the socket failed: {0}", e.getMessage());
        }
    }
}
