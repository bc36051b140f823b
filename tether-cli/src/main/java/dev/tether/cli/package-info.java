/**
 * The {@code tether} command line: {@code pub} and {@code sub} with the flags of
 * {@code mosquitto_pub} and {@code mosquitto_sub}, and {@code bench} for throughput and latency
 * against any broker. {@link dev.tether.cli.Tether} is the entry point; everything else is
 * internal to the command.
 */
package dev.tether.cli;
