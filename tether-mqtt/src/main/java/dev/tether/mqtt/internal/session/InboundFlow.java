package dev.tether.mqtt.internal.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One incoming QoS 1 or 2 message on its way to the application. It is acknowledged (PUBACK or
 * PUBREC) once every stream it was put into has given it out or dropped it unread (closed): the
 * application has it, wherever it was wanted. Messages go only into streams being consumed, so
 * no idle stream can hold an acknowledgement back. When every stream dropped it unread, it is
 * acknowledged too: nobody is left to read it.
 *
 * <p>The count of holders starts at one for the routing itself, so a message that every stream
 * drops while it is still being routed is not acknowledged before routing ends. In manual mode the
 * first stream that gives the message out passes its hold to the application, which lets go of
 * it with {@link #applicationAcknowledged()}.
 */
public final class InboundFlow {

    private final int packetId;
    private final boolean exactlyOnce;
    /*
     * Fields updated through VarHandles rather than an AtomicInteger and an AtomicBoolean: one
     * flow is made per incoming QoS 1/2 message, and the two objects were a fifth of its cost.
     */
    private static final VarHandle HOLDERS;
    private static final VarHandle COMPLETED;
    private static final VarHandle APPLICATION;
    /** Manual mode: no stream gave the message out yet; one did and the application holds it; it acknowledged. */
    private static final int NOT_HANDED_OVER = 0;
    private static final int AWAITING_ACK = 1;
    private static final int ACKNOWLEDGED_BY_APPLICATION = 2;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HOLDERS = lookup.findVarHandle(InboundFlow.class, "holders", int.class);
            COMPLETED = lookup.findVarHandle(InboundFlow.class, "completed", boolean.class);
            APPLICATION = lookup.findVarHandle(InboundFlow.class, "application", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int holders = 1;
    private volatile boolean completed;
    private volatile int application = NOT_HANDED_OVER;
    private final InboundAcknowledgements acknowledgements;
    private volatile boolean done;
    private volatile boolean acknowledged;

    InboundFlow(int packetId, boolean exactlyOnce, InboundAcknowledgements acknowledgements) {
        this.packetId = packetId;
        this.exactlyOnce = exactlyOnce;
        this.acknowledgements = acknowledgements;
    }

    public int packetId() {
        return packetId;
    }

    /** QoS 2: acknowledged by PUBREC rather than PUBACK. */
    public boolean exactlyOnce() {
        return exactlyOnce;
    }

    void expectTake() {
        HOLDERS.getAndAdd(this, 1);
    }

    /** A consumer took the message from one of the streams it was put into. */
    public void taken() {
        release();
    }

    /**
     * Manual mode: a consumer took the message from one of its streams. The first such take
     * passes the stream's hold to the application until {@link #applicationAcknowledged()};
     * later ones only let go of their stream's hold.
     */
    public void handedOver() {
        if (!APPLICATION.compareAndSet(this, NOT_HANDED_OVER, AWAITING_ACK)) {
            release();
        }
    }

    /**
     * Manual mode: the application acknowledged the message ({@code MqttMessage.ack()}).
     * Idempotent; does nothing before a stream gave the message out.
     */
    public void applicationAcknowledged() {
        if (APPLICATION.compareAndSet(this, AWAITING_ACK, ACKNOWLEDGED_BY_APPLICATION)) {
            release();
        }
    }

    /** Something other than a stream keeps the message for now (see {@link #released()}). */
    public void hold() {
        HOLDERS.getAndAdd(this, 1);
    }

    /** A stream dropped the message unread, or a holder let it go. */
    public void released() {
        release();
    }

    /** Routing is over: from now on only the streams holding the message matter. */
    public void routed() {
        release();
    }

    private void release() {
        if ((int) HOLDERS.getAndAdd(this, -1) == 1) {
            complete();
        }
    }

    private void complete() {
        if (COMPLETED.compareAndSet(this, false, true)) {
            done = true;
            acknowledgements.completed();
        }
    }

    /**
     * A QoS 2 message delivered before the process restarted, known from the session store:
     * already done and acknowledged, so a resent copy is answered and not delivered again.
     *
     * @param packetId its packet identifier
     * @return the flow
     */
    public static InboundFlow recovered(int packetId) {
        InboundFlow flow = new InboundFlow(packetId, true, null);
        flow.completed = true;
        flow.done = true;
        flow.acknowledged = true;
        return flow;
    }

    /** {@return whether the application has the message (took it, or the flow ended otherwise)} */
    public boolean isDone() {
        return done;
    }

    /** Marks the PUBACK or PUBREC as sent. */
    public void acknowledged() {
        acknowledged = true;
    }

    /** {@return whether the PUBACK or PUBREC went out} */
    public boolean isAcknowledged() {
        return acknowledged;
    }
}
