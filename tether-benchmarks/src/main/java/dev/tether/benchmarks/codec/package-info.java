/**
 * JMH benchmarks of the wire codec ({@code dev.tether.mqtt.internal.codec}): time and allocation
 * per encoded or decoded packet. They run on the class path, where the codec package is visible
 * although the module {@code dev.tether.mqtt} does not export it. See BENCHMARKS.md for how to run
 * them and the latest numbers.
 */
package dev.tether.benchmarks.codec;
