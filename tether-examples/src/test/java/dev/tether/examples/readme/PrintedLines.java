package dev.tether.examples.readme;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What an example prints with {@code System.out.println}, line by line, while it runs on another
 * thread; {@link #close()} gives {@code System.out} back.
 */
final class PrintedLines implements AutoCloseable {

    private final PrintStream original = System.out;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    PrintedLines() {
        System.setOut(new PrintStream(new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                if (b == '\n') {
                    lines.add(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        }, true, StandardCharsets.UTF_8));
    }

    /** {@return the next line printed, waiting up to {@code timeout}; null if none came} */
    String next(Duration timeout) throws InterruptedException {
        return lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        System.setOut(original);
    }
}
