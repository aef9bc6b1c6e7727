package io.voiceagent.core.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.testing.FakeTicker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The indexed heap against a trivially correct model, under seeded random operations. */
class DeadlineHeapTest {

    @Test
    void matchesAModelUnderRandomInsertMoveAndRemove() {
        AudioPacer pacer = AudioPacer.builder().ticker(new FakeTicker()).buildManual();
        List<AudioConsumer> consumers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            consumers.add(pacer.newConsumer((d, o, l, f) -> {}, PcmFormat.MONO_16K));
        }
        DeadlineHeap heap = new DeadlineHeap();
        Map<AudioConsumer, Long> model = new HashMap<>();
        Random random = new Random(7);
        for (int step = 0; step < 50_000; step++) {
            AudioConsumer c = consumers.get(random.nextInt(consumers.size()));
            int op = random.nextInt(10);
            if (op < 2) {
                heap.update(c, AudioPacer.NO_DEADLINE);
                model.remove(c);
            } else if (op < 9) {
                long d = random.nextInt(1000);
                heap.update(c, d);
                model.put(c, d);
            } else if (heap.size() > 0) {
                AudioConsumer top = heap.peek();
                long min = model.values().stream().mapToLong(Long::longValue).min().orElseThrow();
                assertThat(heap.peekDeadline()).isEqualTo(min);
                assertThat(model.get(top)).isEqualTo(min);
                heap.update(top, AudioPacer.NO_DEADLINE);
                model.remove(top);
            }
            assertThat(heap.size()).isEqualTo(model.size());
        }
        // Drain in order.
        long last = Long.MIN_VALUE;
        while (heap.size() > 0) {
            long d = heap.peekDeadline();
            assertThat(d).isGreaterThanOrEqualTo(last).isEqualTo(model.remove(heap.peek()));
            last = d;
            heap.update(heap.peek(), AudioPacer.NO_DEADLINE);
        }
        assertThat(model).isEmpty();
        pacer.close();
    }
}
