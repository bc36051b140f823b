/**
 * Tether, an MQTT 3.1.1 and 5.0 client. Only {@code dev.tether.mqtt} is exported; everything under
 * {@code dev.tether.mqtt.internal} is an implementation detail with no compatibility promise.
 */
module dev.tether.mqtt {
    exports dev.tether.mqtt;
}
