package dev.tether.mqtt.internal.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One incoming QoS 1 or 2 message on its way to the application. It is acknowledged (PUBACK or
 * PUBREC) as soon as a consumer has taken it from any stream it was put into: the application has
 * it. Waiting for every stream would let one idle stream stall the others, since brokers hold back
 * further messages until earlier ones are acknowledged. When every stream dropped it unread
 * (closed), it is acknowledged too: nobody is left to read it.
 *
 * <p>The count of streams holding it starts at one for the routing itself, so a message that
 * every stream drops while it is still being routed is not acknowledged before routing ends.
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

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HOLDERS = lookup.findVarHandle(InboundFlow.class, "holders", int.class);
            COMPLETED = lookup.findVarHandle(InboundFlow.class, "completed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int holders = 1;
    private volatile boolean completed;
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

    /** A consumer has the message: taken from a stream, or acknowledged by the application in manual mode. */
    public void taken() {
        HOLDERS.getAndAdd(this, -1);
        complete();
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
