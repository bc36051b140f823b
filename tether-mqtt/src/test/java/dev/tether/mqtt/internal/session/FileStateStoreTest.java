package dev.tether.mqtt.internal.session;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.mqtt.MqttException;
import dev.tether.mqtt.Qos;
import dev.tether.mqtt.ReasonCode;
import dev.tether.mqtt.internal.codec.Properties;
import dev.tether.mqtt.internal.codec.Property;
import dev.tether.mqtt.internal.codec.Publish;
import dev.tether.mqtt.internal.session.StateStore.OutgoingFlow;
import dev.tether.mqtt.internal.session.StateStore.Recovered;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest {

    private static final String CLIENT = "sensor-7";

    @TempDir
    Path dir;

    private final List<FileStateStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(FileStateStore::close);
    }

    @Test
    void givesBackEveryKindOfRecordInFirstStoredOrder() throws Exception {
        FileStateStore store = store(dir);
        assertEquals(Recovered.EMPTY, store.open(CLIENT));
        ExpectedState expected = new ExpectedState();
        Publish withProperties = new Publish("a/b", "21.5".getBytes(UTF_8), Qos.AT_LEAST_ONCE, false, false, 5,
                Properties.builder()
                        .integer(Property.PAYLOAD_FORMAT_INDICATOR, 1)
                        .integer(Property.MESSAGE_EXPIRY_INTERVAL, 120)
                        .string(Property.CONTENT_TYPE, "text/plain")
                        .string(Property.RESPONSE_TOPIC, "reply/to")
                        .binary(Property.CORRELATION_DATA, new byte[] {1, 2, 3})
                        .userProperty("k", "v1")
                        .userProperty("k", "v2")
                        .build());
        Publish qos2 = publish(2, Qos.EXACTLY_ONCE, 10);
        Publish retainedEmpty = new Publish("é/ü/🚀", new byte[0], Qos.EXACTLY_ONCE, true, false, 65_535, Properties.EMPTY);

        for (Publish publish : List.of(withProperties, qos2, retainedEmpty)) {
            store.outgoingSent(publish);
            expected.sent(publish);
        }
        store.outgoingReleased(2);
        expected.released(2);
        store.outgoingCompleted(5);
        expected.completed(5);
        store.incomingReceived(7);
        store.incomingReceived(8);
        store.incomingReleased(7);
        expected.incomingReceived(8);
        store.outgoingSent(withProperties); // identifier 5 again after completion: a new flow, so last
        expected.sent(withProperties);
        store.close();

        Recovered recovered = reopen(dir, CLIENT);
        assertEquals(expected.recovered(), recovered);
        assertEquals(List.of(2, 65_535, 5), packetIds(recovered));
        assertEquals(List.of(true, false, false), recovered.outgoing().stream().map(OutgoingFlow::released).toList());
        assertEquals(Set.of(8), recovered.incoming());
    }

    @Test
    void keepsTheStateAcrossManyReopens() throws Exception {
        ExpectedState expected = new ExpectedState();
        FileStateStore store = store(dir);
        for (int round = 1; round <= 5; round++) {
            assertEquals(expected.recovered(), store.open(CLIENT), "round " + round);
            Publish publish = publish(round, Qos.EXACTLY_ONCE, 50);
            store.outgoingSent(publish);
            expected.sent(publish);
            if (round > 1) {
                store.outgoingReleased(round - 1);
                expected.released(round - 1);
            }
            store.incomingReceived(round);
            expected.incomingReceived(round);
            store.close();
        }
        assertEquals(expected.recovered(), reopen(dir, CLIENT), "a new store object");
    }

    @Test
    void storesThePublishWithoutDupAndTopicAlias() throws Exception {
        FileStateStore store = store(dir);
        store.open(CLIENT);
        Properties properties = Properties.builder()
                .integer(Property.TOPIC_ALIAS, 3)
                .string(Property.CONTENT_TYPE, "text/plain")
                .build();
        store.outgoingSent(new Publish("a/b", new byte[] {42}, Qos.AT_LEAST_ONCE, true, true, 17, properties));
        store.close();

        Publish stored = reopen(dir, CLIENT).outgoing().get(0).publish();
        assertEquals(new Publish("a/b", new byte[] {42}, Qos.AT_LEAST_ONCE, true, false, 17,
                Properties.builder().string(Property.CONTENT_TYPE, "text/plain").build()), stored);
    }

    @Test
    void refusesCallsThatBreakItsRules() throws Exception {
        FileStateStore store = store(dir);
        assertThrows(IllegalStateException.class, () -> store.outgoingCompleted(1), "not open yet");
        assertThrows(IllegalArgumentException.class, () -> store.open(""));
        assertThrows(NullPointerException.class, () -> store.open(null));
        store.open(CLIENT);
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> store.open(CLIENT));
        assertTrue(twice.getMessage().contains("already open"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.outgoingSent(
                new Publish("a", new byte[0], Qos.AT_MOST_ONCE, false, false, 0, Properties.EMPTY)));
        assertThrows(IllegalArgumentException.class, () -> store.outgoingSent(new Publish("", new byte[0],
                Qos.AT_LEAST_ONCE, false, false, 1, Properties.builder().integer(Property.TOPIC_ALIAS, 1).build())));
        assertThrows(IllegalArgumentException.class, () -> store.outgoingReleased(0));
        assertThrows(IllegalArgumentException.class, () -> store.incomingReceived(65_536));
        store.close();
        assertThrows(IllegalStateException.class, store::clear, "closed");
    }

    @Test
    void doesNotWriteCallsThatChangeNothing() throws Exception {
        FileStateStore store = store(dir);
        store.open(CLIENT);
        store.outgoingSent(publish(1, Qos.EXACTLY_ONCE, 10));
        store.outgoingReleased(1);
        store.incomingReceived(2);
        long size = Files.size(store.path());

        store.outgoingReleased(1);
        store.outgoingReleased(99);
        store.outgoingCompleted(99);
        store.incomingReceived(2);
        store.incomingReleased(99);
        assertEquals(size, Files.size(store.path()));
    }

    @Test
    void recoversFromALastPublishRecordCutAtAnyByte() throws Throwable {
        cutTheLastRecordAtEveryByte(store -> store.outgoingSent(publish(40, Qos.AT_LEAST_ONCE, 100)));
    }

    @Test
    void recoversFromALastAcknowledgementRecordCutAtAnyByte() throws Throwable {
        cutTheLastRecordAtEveryByte(store -> store.outgoingCompleted(1));
    }

    private void cutTheLastRecordAtEveryByte(ThrowingConsumer<FileStateStore> lastChange) throws Throwable {
        FileStateStore store = store(dir.resolve("whole"));
        store.open(CLIENT);
        Recovered before = fill(store).recovered();
        Path log = store.path();
        long start = Files.size(log);
        lastChange.accept(store);
        long end = Files.size(log);
        store.close();
        byte[] whole = Files.readAllBytes(log);

        for (int cut = (int) start; cut < end; cut++) {
            Path directory = dir.resolve("cut-" + cut);
            Files.createDirectories(directory);
            Path copy = directory.resolve(log.getFileName());
            Files.write(copy, Arrays.copyOf(whole, cut));
            try (FileStateStore reopened = new FileStateStore(directory, false)) {
                assertEquals(before, reopened.open(CLIENT), "cut at byte " + cut);
                assertEquals(start, Files.size(copy), "the torn record is cut off the file");
                reopened.incomingReceived(999); // goes right after the last whole record
            }
            assertTrue(reopen(directory, CLIENT).incoming().contains(999), "cut at byte " + cut);
        }
    }

    @Test
    void dropsALastRecordWhoseChecksumFails() throws Exception {
        FileStateStore store = store(dir);
        store.open(CLIENT);
        Recovered before = fill(store).recovered();
        Path log = store.path();
        long start = Files.size(log);
        store.outgoingSent(publish(40, Qos.AT_LEAST_ONCE, 100));
        store.close();

        flipByte(log, Files.size(log) - 10);
        assertEquals(before, reopen(dir, CLIENT));
        assertEquals(start, Files.size(log));
    }

    @Test
    void refusesADamagedRecordBeforeTheLastNamingTheFile() throws Exception {
        FileStateStore store = store(dir.resolve("whole"));
        store.open(CLIENT);
        store.outgoingSent(publish(1, Qos.AT_LEAST_ONCE, 20));
        long middleStart = Files.size(store.path());
        store.outgoingSent(publish(2, Qos.EXACTLY_ONCE, 20));
        long middleEnd = Files.size(store.path());
        store.outgoingCompleted(1);
        Path log = store.path();
        store.close();
        byte[] whole = Files.readAllBytes(log);

        for (long offset = middleStart; offset < middleEnd; offset++) {
            Path directory = dir.resolve("flip-" + offset);
            Files.createDirectories(directory);
            Path copy = Files.write(directory.resolve(log.getFileName()), whole);
            flipByte(copy, offset);
            byte[] damaged = Files.readAllBytes(copy);

            MqttException e = assertThrows(MqttException.class, () -> reopen(directory, CLIENT), "byte " + offset);
            assertEquals(ReasonCode.UNSPECIFIED_ERROR, e.reasonCode());
            assertTrue(e.getMessage().contains(copy.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("offset " + middleStart), e.getMessage());
            assertTrue(Arrays.equals(damaged, Files.readAllBytes(copy)), "the file is left as it is");
            assertThrows(MqttException.class, () -> reopen(directory, CLIENT), "the same error again, not a lock");
        }
    }

    @Test
    void refusesAFileThatIsNotASessionStore() throws Exception {
        Path log = createdLog();
        Files.write(log, "not a session".getBytes(UTF_8));
        assertRefused(log, "not a Tether session store");

        Files.write(log, new byte[0]);
        assertRefused(log, "only 0 bytes long");
    }

    @Test
    void refusesAnUnknownFormatVersion() throws Exception {
        Path log = createdLog();
        byte[] bytes = Files.readAllBytes(log);
        bytes[StoreFormat.MAGIC.length + 1] = 2;
        Files.write(log, bytes);
        assertRefused(log, "format version 2");
    }

    @Test
    void refusesADamagedHeader() throws Exception {
        Path log = createdLog();
        flipByte(log, StoreFormat.MAGIC.length + 5);
        assertRefused(log, "header is damaged");

        Files.write(log, Arrays.copyOf(StoreFormat.header(CLIENT), StoreFormat.headerSize(CLIENT) - 1));
        assertRefused(log, "header is cut short");
    }

    @Test
    void refusesTheFileOfAnotherClient() throws Exception {
        Path log = createdLog();
        Files.write(log, StoreFormat.header("someone-else"));
        assertRefused(log, "'someone-else'");
    }

    @Test
    void compactionKeepsTheFileSmallOverAHundredThousandFlows() throws Exception {
        FileStateStore store = store(dir);
        store.open(CLIENT);
        ExpectedState expected = fill(store);
        for (int i = 0; i < 100_000; i++) {
            int id = 100 + i % 1000;
            store.outgoingSent(publish(id, Qos.AT_LEAST_ONCE, 20));
            store.outgoingCompleted(id);
        }
        long size = Files.size(store.path());
        assertTrue(size <= FileStateStore.DEFAULT_COMPACTION_FLOOR, "the log is " + size + " bytes");
        store.close();
        assertEquals(expected.recovered(), reopen(dir, CLIENT));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".tmp")).toList(), "no temporary file left");
        }
    }

    @Test
    void compactionRewritesExactlyTheLiveState() throws Exception {
        FileStateStore store = new FileStateStore(dir.resolve("compacted"), false, 2048);
        stores.add(store);
        store.open(CLIENT);
        ExpectedState expected = new ExpectedState();
        Random random = new Random(42);
        long previousSize = Files.size(store.path());
        int compactions = 0;
        for (int step = 1; step <= 20_000; step++) {
            int id = 1 + random.nextInt(60);
            switch (random.nextInt(5)) {
                case 0 -> {
                    Publish publish = publish(id, random.nextBoolean() ? Qos.AT_LEAST_ONCE : Qos.EXACTLY_ONCE,
                            random.nextInt(200));
                    store.outgoingSent(publish);
                    expected.sent(publish);
                }
                case 1 -> {
                    store.outgoingReleased(id);
                    expected.released(id);
                }
                case 2 -> {
                    store.outgoingCompleted(id);
                    expected.completed(id);
                }
                case 3 -> {
                    store.incomingReceived(id);
                    expected.incomingReceived(id);
                }
                default -> {
                    store.incomingReleased(id);
                    expected.incomingReleased(id);
                }
            }
            long size = Files.size(store.path());
            if (size < previousSize) {
                compactions++;
                if (compactions <= 5) {
                    assertTrue(Arrays.equals(logOf(expected, dir.resolve("fresh-" + step)),
                            Files.readAllBytes(store.path())), "compaction " + compactions + " at step " + step);
                }
            }
            previousSize = size;
            if (step % 2_000 == 0) {
                store.close();
                assertEquals(expected.recovered(), store.open(CLIENT), "step " + step);
            }
        }
        assertTrue(compactions > 5, compactions + " compactions");
    }

    /** The log a new store writes for exactly this state, in its order. */
    private byte[] logOf(ExpectedState expected, Path directory) throws Exception {
        try (FileStateStore fresh = new FileStateStore(directory, false)) {
            fresh.open(CLIENT);
            for (OutgoingFlow flow : expected.recovered().outgoing()) {
                fresh.outgoingSent(flow.publish());
                if (flow.released()) {
                    fresh.outgoingReleased(flow.publish().packetId());
                }
            }
            for (int id : expected.incomingInOrder()) {
                fresh.incomingReceived(id);
            }
            return Files.readAllBytes(fresh.path());
        }
    }

    @Test
    void clearLeavesOnlyTheHeader() throws Exception {
        FileStateStore store = store(dir);
        store.open(CLIENT);
        fill(store);
        store.clear();
        assertEquals(StoreFormat.headerSize(CLIENT), Files.size(store.path()));
        store.close();
        assertEquals(Recovered.EMPTY, store.open(CLIENT));

        Publish publish = publish(3, Qos.AT_LEAST_ONCE, 5);
        store.outgoingSent(publish);
        store.close();
        assertEquals(new Recovered(List.of(new OutgoingFlow(publish, false)), Set.of()), reopen(dir, CLIENT));
    }

    @Test
    void mapsEveryIdentifierToItsOwnFileInsideTheDirectory() throws Exception {
        Path directory = dir.resolve("store");
        List<String> identifiers = List.of("a/b", "..", "../../../etc/passwd", "/absolute", "a\\b", "C:x", ".",
                " ", "NUL", "Abc", "abc", "ünïcödé-🚀-客户", "x".repeat(1_000), "x".repeat(1_001), "a\u0000b");
        for (int i = 0; i < identifiers.size(); i++) {
            try (FileStateStore store = new FileStateStore(directory, false)) {
                store.open(identifiers.get(i));
                assertEquals(directory, store.path().getParent(), identifiers.get(i));
                store.outgoingSent(publish(i + 1, Qos.AT_LEAST_ONCE, 5));
            }
        }
        for (int i = 0; i < identifiers.size(); i++) {
            assertEquals(List.of(i + 1), packetIds(reopen(directory, identifiers.get(i))), identifiers.get(i));
        }
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = files.filter(f -> !f.equals(dir) && !f.equals(directory)).toList();
            assertEquals(2 * identifiers.size(), all.size(), "a log and a lock file each: " + all);
            for (Path file : all) {
                assertEquals(directory, file.getParent());
                assertTrue(file.getFileName().toString().matches("session-[A-Za-z0-9_-]+\\.tss(\\.lock)?"), file.toString());
            }
        }
    }

    @Test
    void refusesASecondOpenOfTheSameIdentifier() throws Exception {
        FileStateStore first = store(dir);
        first.open(CLIENT);
        FileStateStore second = store(dir);
        MqttException e = assertThrows(MqttException.class, () -> second.open(CLIENT));
        assertTrue(e.getMessage().contains(first.path().toString()) && e.getMessage().contains("in use"), e.getMessage());

        store(dir).open("another-client");
        first.close();
        assertNotNull(second.open(CLIENT), "free once the first is closed");
    }

    @Test
    void refusesAnOpenWhileAnotherProcessHasTheFileAndRecoversAfterItIsKilled() throws Exception {
        // the same child as the kill test below; here it is the lock that matters
        Process child = startWriter();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
            assertEquals("open", lines.readLine(), "the child's first line");
            MqttException e = assertThrows(MqttException.class, () -> reopen(dir, CLIENT));
            assertTrue(e.getMessage().contains("in use by another process"), e.getMessage());
        } finally {
            child.toHandle().destroyForcibly();
            child.waitFor();
        }
        assertNotNull(reopen(dir, CLIENT), "the lock goes with the process");
    }

    @Test
    @Timeout(120)
    void survivesAKillOfTheProcessMidWrite() throws Exception {
        List<StoreWritingProcess.Operation> operations = StoreWritingProcess.operations();
        Recovered stored = Recovered.EMPTY;
        for (int run = 1; run <= 3; run++) {
            // each run goes on from the file the last one left, so recovery also happens mid-stream
            Process child = startWriter();
            List<String> printed = new CopyOnWriteArrayList<>();
            CountDownLatch enough = new CountDownLatch(1);
            Thread reader = Thread.ofPlatform().start(() -> {
                // read on while the child is killed, so that it is writing then, not blocked on a full pipe
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        printed.add(line);
                        if (printed.size() > 2_000) {
                            enough.countDown();
                        }
                    }
                } catch (IOException e) {
                    printed.add("read failed: " + e);
                }
                enough.countDown();
            });
            assertTrue(enough.await(60, TimeUnit.SECONDS), "the child printed " + printed.size() + " lines");
            assertTrue(child.isAlive(), () -> "the child is still writing: " + List.copyOf(printed).subList(0, 5));
            // SIGKILL through the handle: Process.destroyForcibly would also close our end of the
            // pipe, losing the lines still in it
            assertTrue(child.toHandle().destroyForcibly(), "kill sent");
            child.waitFor();
            reader.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(reader.isAlive(), "the pipe ends with the child");
            assertFalse(printed.get(printed.size() - 1).startsWith("read failed"), printed.get(printed.size() - 1));

            // every call whose line was printed had returned; the one after it may have been written too
            int last = Integer.parseInt(printed.get(printed.size() - 1));
            ExpectedState expected = new ExpectedState(stored);
            for (int i = 0; i <= last; i++) {
                expected.apply(operations.get(i));
            }
            Recovered atLeast = expected.recovered();
            expected.apply(operations.get(last + 1));
            Recovered atMost = expected.recovered();
            stored = reopen(dir, CLIENT);
            assertTrue(stored.equals(atLeast) || stored.equals(atMost), "run " + run + ": after operation " + last
                    + " the store has " + summary(stored) + ", expected " + summary(atLeast) + " or " + summary(atMost));
        }
    }

    private Process startWriter() throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                StoreWritingProcess.class.getName(), dir.toString(), CLIENT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static String summary(Recovered recovered) {
        return recovered.outgoing().size() + " outgoing (last " + (recovered.outgoing().isEmpty() ? "-"
                : recovered.outgoing().get(recovered.outgoing().size() - 1).publish().packetId()) + "), "
                + recovered.incoming().size() + " incoming";
    }

    @Test
    void keepsEveryChangeFromConcurrentThreads() throws Exception {
        FileStateStore store = new FileStateStore(dir, false, 8 * 1024);
        stores.add(store);
        store.open(CLIENT);
        int threads = 4;
        int perThread = 2_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<ExpectedState>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = 1 + t * perThread;
                results.add(executor.submit(() -> {
                    ExpectedState mine = new ExpectedState();
                    start.await();
                    for (int id = first; id < first + perThread; id++) {
                        Publish publish = publish(id, Qos.EXACTLY_ONCE, 30);
                        store.outgoingSent(publish);
                        mine.sent(publish);
                        store.incomingReceived(id);
                        mine.incomingReceived(id);
                        if (id % 3 == 0) {
                            store.outgoingReleased(id);
                            mine.released(id);
                        }
                        if (id % 2 == 0) {
                            store.outgoingCompleted(id);
                            mine.completed(id);
                            store.incomingReleased(id);
                            mine.incomingReleased(id);
                        }
                    }
                    return mine;
                }));
            }
            start.countDown();
            Map<Integer, OutgoingFlow> expectedOutgoing = new HashMap<>();
            Set<Integer> expectedIncoming = new HashSet<>();
            for (Future<ExpectedState> result : results) {
                Recovered mine = result.get(60, TimeUnit.SECONDS).recovered();
                mine.outgoing().forEach(flow -> expectedOutgoing.put(flow.publish().packetId(), flow));
                expectedIncoming.addAll(mine.incoming());
            }
            store.close();

            Recovered recovered = reopen(dir, CLIENT);
            Map<Integer, OutgoingFlow> outgoing = new HashMap<>();
            recovered.outgoing().forEach(flow -> outgoing.put(flow.publish().packetId(), flow));
            assertEquals(expectedOutgoing, outgoing);
            assertEquals(expectedIncoming, recovered.incoming());
            for (int t = 0; t < threads; t++) {
                int first = 1 + t * perThread;
                List<Integer> ofThread = packetIds(recovered).stream()
                        .filter(id -> id >= first && id < first + perThread).toList();
                assertEquals(ofThread.stream().sorted().toList(), ofThread, "each thread's flows in the order it stored them");
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void storesTheSameWithFsync() throws Exception {
        ExpectedState expected = new ExpectedState();
        try (FileStateStore store = new FileStateStore(dir, true)) {
            store.open(CLIENT);
            for (int id = 1; id <= 20; id++) {
                Publish publish = publish(id, Qos.EXACTLY_ONCE, 10);
                store.outgoingSent(publish);
                expected.sent(publish);
            }
            store.outgoingReleased(4);
            expected.released(4);
            store.outgoingCompleted(5);
            expected.completed(5);
        }
        assertEquals(expected.recovered(), reopen(dir, CLIENT));
    }

    @Test
    void deletesTheUnfinishedFileOfACompactionThatWasKilled() throws Exception {
        Path log = createdLog();
        Path temporary = log.resolveSibling(log.getFileName().toString().replace(".tss", ".tss.tmp"));
        Files.write(temporary, new byte[] {1, 2, 3});
        assertEquals(Recovered.EMPTY, reopen(dir, CLIENT));
        assertFalse(Files.exists(temporary));
    }

    @Test
    void keepsWorkingWhileCompactionFails() throws Exception {
        FileStateStore store = new FileStateStore(dir, false, 1024);
        stores.add(store);
        store.open(CLIENT);
        ExpectedState expected = fill(store);
        Path log = store.path();
        // a directory where the compaction's new file should go makes every compaction fail
        Path temporary = log.resolveSibling(log.getFileName() + ".tmp");
        Files.createDirectories(temporary.resolve("in-the-way"));
        for (int i = 0; i < 200; i++) {
            store.outgoingSent(publish(100, Qos.AT_LEAST_ONCE, 20));
            store.outgoingCompleted(100);
        }
        long grown = Files.size(log);
        assertTrue(grown > 4 * 1024, "not compacted: " + grown + " bytes");
        Files.delete(temporary.resolve("in-the-way"));
        Files.delete(temporary);
        for (int i = 0; i < 200; i++) {
            store.outgoingSent(publish(100, Qos.AT_LEAST_ONCE, 20));
            store.outgoingCompleted(100);
        }
        assertTrue(Files.size(log) < grown, "compacted again once it can");
        store.close();
        assertEquals(expected.recovered(), reopen(dir, CLIENT));
    }

    @Test
    void anInterruptedWriteFailsAloneAndLeavesTheStoreUsable() throws Exception {
        FileStateStore store = store(dir);
        store.open(CLIENT);
        ExpectedState expected = fill(store);
        long size = Files.size(store.path());

        // a FileChannel closes itself when a thread in it is interrupted
        Thread.currentThread().interrupt();
        MqttException e = assertThrows(MqttException.class, () -> store.outgoingSent(publish(50, Qos.AT_LEAST_ONCE, 5)));
        assertTrue(Thread.interrupted(), "the interrupt status is kept");
        assertTrue(e.getMessage().contains(store.path().toString()), e.getMessage());
        assertEquals(size, Files.size(store.path()), "nothing of the failed record is left");

        Publish next = publish(51, Qos.AT_LEAST_ONCE, 5);
        store.outgoingSent(next);
        expected.sent(next);
        store.close();
        assertEquals(expected.recovered(), reopen(dir, CLIENT));
    }

    // helpers

    private FileStateStore store(Path directory) {
        FileStateStore store = new FileStateStore(directory, false);
        stores.add(store);
        return store;
    }

    private static Recovered reopen(Path directory, String clientIdentifier) throws MqttException {
        try (FileStateStore store = new FileStateStore(directory, false)) {
            return store.open(clientIdentifier);
        }
    }

    /** The log of {@link #CLIENT} with a header only. */
    private Path createdLog() throws MqttException {
        try (FileStateStore store = new FileStateStore(dir, false)) {
            store.open(CLIENT);
            return store.path();
        }
    }

    private void assertRefused(Path log, String what) {
        MqttException e = assertThrows(MqttException.class, () -> reopen(dir, CLIENT));
        assertEquals(ReasonCode.UNSPECIFIED_ERROR, e.reasonCode());
        assertTrue(e.getMessage().contains(log.toString()) && e.getMessage().contains(what), e.getMessage());
    }

    /** A few records of every kind. */
    private static ExpectedState fill(FileStateStore store) throws MqttException {
        ExpectedState expected = new ExpectedState();
        for (int id = 1; id <= 3; id++) {
            Publish publish = publish(id, Qos.EXACTLY_ONCE, 10 * id);
            store.outgoingSent(publish);
            expected.sent(publish);
        }
        store.outgoingReleased(2);
        expected.released(2);
        store.outgoingCompleted(3);
        expected.completed(3);
        store.incomingReceived(11);
        store.incomingReceived(12);
        store.incomingReleased(11);
        expected.incomingReceived(12);
        return expected;
    }

    private static Publish publish(int packetId, Qos qos, int payloadLength) {
        byte[] payload = new byte[payloadLength];
        Arrays.fill(payload, (byte) packetId);
        return new Publish("devices/" + packetId, payload, qos, packetId % 2 == 0, false, packetId,
                Properties.builder().userProperty("id", Integer.toString(packetId)).build());
    }

    private static List<Integer> packetIds(Recovered recovered) {
        return recovered.outgoing().stream().map(flow -> flow.publish().packetId()).toList();
    }

    private static void flipByte(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= 0x10;
        Files.write(file, bytes);
    }
}
