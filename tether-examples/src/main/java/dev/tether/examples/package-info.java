/**
 * Runnable examples of Tether, each a {@code main} that starts an embedded broker unless one is
 * named with {@code --host host[:port]}.
 */
package dev.tether.examples;
